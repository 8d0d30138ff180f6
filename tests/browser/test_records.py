"""A resident looks up teams: filters by town with and without JavaScript,
opens a team, follows an "in the news" link to the report and comes back.

Runs on the fictional golden site ``tests/sites/records`` (29 teams over
five towns), since the example site names one team and no towns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sitepages import PHONE

pytestmark = pytest.mark.browser

HEPING_TEAMS = 6  # heping-{calligraphy,music,reading} and their "-2" teams


def cards(page: Any) -> list[str]:
    return page.locator("li.record-card:visible h3").all_inner_texts()


def test_filter_by_town_without_javascript_opens_the_town_page(
    new_page: Callable[..., Any], records_site_url: str
) -> None:
    page = new_page(PHONE, java_script_enabled=False)
    page.goto(records_site_url + "/teams/")
    everyone = cards(page)
    assert len(everyone) == 29

    page.locator("[data-filters]").get_by_role("link", name="和平街道").click()

    page.wait_for_url("**/teams/town/heping/")
    assert page.locator("h1").inner_text() == "和平街道的学习团队"
    shown = cards(page)
    assert len(shown) == HEPING_TEAMS and all(name.startswith("和平") for name in shown)
    current = page.locator("[data-filters] a[aria-current='page']")
    assert current.inner_text().startswith("和平街道")


def test_filter_by_town_with_javascript_filters_in_place(
    new_page: Callable[..., Any], records_site_url: str
) -> None:
    page = new_page(PHONE)
    page.goto(records_site_url + "/teams/")
    requests_before = len(page.traffic.requests)

    page.locator("[data-filters]").get_by_role("link", name="和平街道").click()

    page.wait_for_url("**/teams/town/heping/")
    assert len(page.traffic.requests) == requests_before, "filtering loaded a page"
    assert page.locator("h1").inner_text() == "和平街道的学习团队"
    shown = cards(page)
    assert len(shown) == HEPING_TEAMS and all(name.startswith("和平") for name in shown)
    assert page.locator("[data-filter-count]").inner_text() == f"{HEPING_TEAMS} 支团队"

    filters = page.locator("[data-filters]")
    filters.get_by_role("link", name="书画").click()
    assert len(cards(page)) == 8
    assert all("书画" in name for name in cards(page))
    filters.get_by_role("link", name="全部").click()
    assert len(cards(page)) == 29
    assert page.traffic.errors == []


def test_open_a_team_follow_its_news_and_come_back(
    new_page: Callable[..., Any], records_site_url: str
) -> None:
    page = new_page(PHONE)
    page.goto(records_site_url + "/en/teams/")
    page.get_by_role("link", name="Heping Choir Team", exact=True).click()
    page.wait_for_url("**/en/teams/heping-music/")
    assert page.locator("h1").inner_text() == "Heping Choir Team"
    assert page.get_by_text("Heping Subdistrict").first.is_visible()

    # Newest first: the concert report exists only in Chinese and says so.
    chinese_only = page.locator("#news-heading + ul li").first
    assert chinese_only.get_attribute("lang") == "zh-Hans"
    assert chinese_only.locator("a").inner_text() == "河畔音乐会"
    news = page.locator("#news-heading + ul li:not([lang]) a")
    assert news.count() == 1
    title = news.first.inner_text()
    news.first.click()
    page.wait_for_url("**/en/news/**")
    assert page.locator("h1").inner_text() == title
    assert page.get_by_role("link", name="Heping Choir Team").is_visible()

    page.go_back()
    page.wait_for_url("**/en/teams/heping-music/")
    assert page.locator("h1").inner_text() == "Heping Choir Team"

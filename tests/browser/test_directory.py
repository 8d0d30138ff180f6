"""A resident looks for a team in a directory too large to list on one
page: the demonstration site's eighty teams. The page of every team lists
the towns and kinds of team, and offers a finder by name that loads the
names only when used; without JavaScript the towns' pages lead to every
team.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sitepages import PHONE

pytestmark = pytest.mark.browser


def names_fetched(page: Any) -> list[str]:
    return [url for url in page.traffic.requests if url.endswith("/teams/names.json")]


def test_the_finder_loads_the_names_only_when_used_and_opens_the_team(
    new_page: Callable[..., Any], sites: Any
) -> None:
    page = new_page(PHONE)
    page.goto(sites.url("district") + "/teams/")
    assert page.locator("li.record-card").count() == 0, "no team listed before a search"
    finder = page.get_by_role("searchbox", name="按名称查找团队")
    assert finder.is_visible()
    page.wait_for_load_state("networkidle")
    assert names_fetched(page) == [], "the names are not fetched for a reader who does not search"

    finder.press_sequentially("舞蹈")
    status = page.locator("[data-finder-status]")
    status.filter(has_text="找到").wait_for()
    found = page.locator("[data-finder-results] h3").all_inner_texts()
    assert found and all("舞蹈" in name for name in found)
    assert status.inner_text() == f"找到 {len(found)} 支团队"
    assert len(names_fetched(page)) == 1

    finder.press("Enter")  # to the first team found, by keyboard
    first = page.locator("[data-finder-results] a").first
    assert first.evaluate("link => link === document.activeElement")
    page.keyboard.press("Enter")
    page.wait_for_url("**/teams/*/")
    assert page.locator("h1").inner_text() == found[0]
    assert page.traffic.errors == [] and page.traffic.bad_responses == []


def test_the_finder_says_when_nothing_matches_and_finds_chinese_names_on_english_pages(
    new_page: Callable[..., Any], sites: Any
) -> None:
    page = new_page(PHONE)
    page.goto(sites.url("district") + "/en/teams/")
    finder = page.get_by_role("searchbox", name="Find a team by name")
    finder.fill("zzz")
    status = page.locator("[data-finder-status]")
    status.filter(has_text="No team").wait_for()
    assert status.inner_text().startswith("No team’s name contains “zzz”.")

    names = json.loads(page.request.get(sites.url("district") + "/teams/names.json").body())
    chinese = names[0]["name"]
    finder.fill(chinese)
    status.filter(has_text="found").wait_for()
    assert status.inner_text() == "1 team found"
    link = page.locator("[data-finder-results] a")
    assert link.get_attribute("href").endswith(names[0]["url"].removeprefix("/district"))
    assert "/en/teams/" in link.get_attribute("href")


def test_without_javascript_every_team_is_two_taps_away(
    new_page: Callable[..., Any], sites: Any
) -> None:
    page = new_page(PHONE, java_script_enabled=False)
    page.goto(sites.url("district") + "/teams/")
    assert not page.get_by_role("searchbox").is_visible(), "no finder that cannot work"
    town = page.locator("nav.filters a[href*='/teams/town/']").first
    name = town.inner_text().split()[0]
    town.click()  # 1
    page.wait_for_url("**/teams/town/*/")
    assert page.locator("h1").inner_text() == f"{name}的学习团队"
    teams = page.locator("li.record-card h3 a")
    assert teams.count() >= 2
    team = teams.last.inner_text()
    teams.last.click()  # 2
    page.wait_for_url("**/teams/*/")
    assert page.locator("h1").inner_text() == team

"""A resident reads the timeline: narrows it to one kind of event, with and
without JavaScript, and follows an event to its report."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from sitepages import PHONE

pytestmark = pytest.mark.browser


def events(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("li.event:visible .event-title").all_inner_texts()]


def test_timeline_shows_the_five_events_at_their_own_precision(
    new_page: Any, site_url: str
) -> None:
    page = new_page(PHONE)
    page.goto(site_url + "/en/timeline/")
    dates = page.locator("li.event time").all_inner_texts()
    assert dates == [
        "30 April 2020",
        "28 April 2020",
        "27 April 2020",
        "22 April 2020",
        "March 2020",
    ]
    assert page.locator("li.event time").last.get_attribute("datetime") == "2020-03"
    # Each kind is named in words, not told by colour alone.
    assert page.locator("li.event .event-kind").all_inner_texts() == [
        "Meeting",
        "Meeting",
        "Visit",
        "Selection",
        "Selection",
    ]


@pytest.mark.parametrize("javascript", [False, True], ids=["without-js", "with-js"])
def test_filter_by_kind_then_open_the_report(
    new_page: Any, site_url: str, javascript: bool
) -> None:
    page = new_page(PHONE, java_script_enabled=javascript)
    page.goto(site_url + "/timeline/")
    assert len(events(page)) == 5
    loads = len([r for r in page.traffic.requests if r.endswith("/")])

    page.locator("[data-filters]").get_by_role("link", name="会议").click()

    page.wait_for_url("**/timeline/kind/meeting/")
    assert page.locator("h1").inner_text() == "大事记：会议"
    assert events(page) == [
        "新都社区教育学院召开2020年社区教育工作4月例会",
        "新都社区教育学院召开2020年名师工作室推进会",
    ]
    page_loads = len([r for r in page.traffic.requests if r.endswith("/")]) - loads
    assert page_loads == (0 if javascript else 1)

    page.get_by_role("link", name="新都社区教育学院召开2020年名师工作室推进会").click()
    page.wait_for_url("**/news/2020/04/studio-meeting/")
    assert page.locator("h1").inner_text() == "新都社区教育学院召开2020年名师工作室推进会"
    assert page.traffic.errors == []


def test_calendar_file_is_offered_and_served(new_page: Any, site_url: str) -> None:
    page = new_page(PHONE)
    page.goto(site_url + "/en/timeline/")
    link = page.get_by_role("link", name="Subscribe (calendar file for your phone)")
    href = link.get_attribute("href")
    assert href == urlsplit(site_url).path + "/en/events.ics"  # under /xindu/
    response = page.request.get(urljoin(page.url, href))
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.body()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("year", ["2019", "2022", "2024"])
def test_any_month_of_any_year_is_three_taps_from_the_timeline(
    new_page: Any, sites: Any, javascript: bool, year: str
) -> None:
    """The timeline, a year, a month, an event's report: on the
    demonstration site, whose timeline shows only its latest events."""
    page = new_page(PHONE, java_script_enabled=javascript)
    page.goto(sites.url("district") + "/timeline/")
    page.locator("nav.filters a", has_text=year).first.click()  # 1
    page.wait_for_url(f"**/timeline/{year}/")
    months = page.locator("nav.filters ul").last.locator("a")
    assert months.count() >= 2
    last = months.last
    label = last.inner_text()
    last.click()  # 2
    page.wait_for_url(f"**/timeline/{year}/*/")
    assert label.endswith("月") and len(label) <= 3, "the year is plain from the page"
    assert page.locator("h1").inner_text() == f"{year}年{label}大事记"
    assert page.locator("li.event").count() >= 1
    page.locator("li.event .event-title a").first.click()  # 3
    page.wait_for_url("**/news/**")
    assert page.locator("article h1").is_visible()

"""The example site's calendar files, read back by a real iCalendar parser."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sitegen.build import BuildOptions, build
from sitegen.core.ics import Entry, event_lines
from tests.helpers import REPO


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    assert build(REPO, BuildOptions(out_dir=folder, strict=True)).ok
    return folder


def events(path: Path) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    assert calendar["version"] == "2.0"
    return list(calendar.walk("VEVENT"))


def test_the_five_april_2020_events_are_all_day_events_with_stable_ids(out: Path) -> None:
    found = {
        str(e["uid"]): (e.decoded("dtstart"), e.decoded("dtend"), str(e["summary"]))
        for e in events(out / "events.ics")
    }
    assert found == {
        "news-2020-04-excellent-teams-2020-1@example.org": (
            dt.date(2020, 3, 1),
            dt.date(2020, 4, 1),
            "启动2020年优秀市民自主学习团队建设评选活动",
        ),
        "news-2020-04-excellent-teams-2020@example.org": (
            dt.date(2020, 4, 22),
            dt.date(2020, 4, 23),
            "新都区开展2020年优秀市民自主学习团队建设评选活动",
        ),
        "news-2020-04-pujiang-visit@example.org": (
            dt.date(2020, 4, 27),
            dt.date(2020, 4, 28),
            "蒲江社教同仁到新都学习市民自主学习团队培育活动",
        ),
        "news-2020-04-studio-meeting@example.org": (
            dt.date(2020, 4, 28),
            dt.date(2020, 4, 29),
            "新都社区教育学院召开2020年名师工作室推进会",
        ),
        "news-2020-04-april-meeting@example.org": (
            dt.date(2020, 4, 30),
            dt.date(2020, 5, 1),
            "新都社区教育学院召开2020年社区教育工作4月例会",
        ),
    }


def test_english_calendar_links_english_pages_and_says_the_month(out: Path) -> None:
    by_uid = {str(e["uid"]): e for e in events(out / "en/events.ics")}
    launch = by_uid["news-2020-04-excellent-teams-2020-1@example.org"]
    assert str(launch["summary"]).startswith("The 2020 selection")
    assert str(launch["description"]).startswith("March 2020")
    visit = by_uid["news-2020-04-pujiang-visit@example.org"]
    assert str(visit["url"]) == "https://example.org/en/news/2020/04/pujiang-visit/"
    assert visit["categories"].cats == ["Visit"]


def test_calendar_lines_are_folded_without_breaking_characters(out: Path) -> None:
    data = (out / "events.ics").read_bytes()
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # a fold never splits a Chinese character


def icalendar_entry(item: Entry) -> bytes:
    """An entry as icalendar itself writes it: the reference for sitegen's
    own writer."""
    entry = icalendar.Event()
    entry.add("uid", item.uid)
    entry.add("dtstamp", dt.datetime.combine(item.start, dt.time(), dt.UTC))
    entry.add("dtstart", item.start)
    entry.add("dtend", item.end)
    entry.add("summary", item.summary)
    entry.add("categories", [item.kind])
    if item.location:
        entry.add("location", item.location)
    entry.add("description", item.description)
    if item.url:
        entry.add("url", item.url)
    entry.add("transp", "TRANSPARENT")
    data: bytes = entry.to_ical()
    return data


# Text an editor may put in a title, a team name or a town: Chinese, commas
# and semicolons, backslashes and carets at fold points, line breaks, emoji.
TEXT = st.text(
    alphabet=st.sampled_from([*"蒲江新都学院·年月日 abcXYZ012,;:\\^\"'\n\r\t", "😀", "é"]),
    max_size=120,
)


@settings(max_examples=400, deadline=None)
# an escape's backslash, or a caret, where the line is folded; a character
# of three octets across the 75th
@example("s", "k", "a" * 61 + ",b", "", "", dt.date(2020, 1, 1))
@example("s", "k", "a" * 61 + "^b", "", "", dt.date(2020, 1, 1))
@example("s", "k", "蒲" * 40, "", "", dt.date(2020, 1, 1))
@given(
    summary=TEXT,
    kind=TEXT,
    description=TEXT,
    location=TEXT,
    url=st.sampled_from(
        ["", "https://example.org/news/2020/04/a/", "https://example.org/" + "x" * 90]
    ),
    start=st.dates(dt.date(1990, 1, 1), dt.date(2090, 1, 1)),
)
def test_entries_are_written_byte_for_byte_as_icalendar_writes_them(
    summary: str, kind: str, description: str, location: str, url: str, start: dt.date
) -> None:
    item = Entry(
        uid=f"team-{start}-x@example.org",
        start=start,
        end=start + dt.timedelta(days=1),
        summary=summary,
        kind=kind,
        description=description,
        location=location,
        url=url,
    )
    assert event_lines(item) == icalendar_entry(item)

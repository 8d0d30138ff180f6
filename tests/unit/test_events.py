from __future__ import annotations

import datetime as dt

import pytest

from sitegen.core.config import SiteConfig
from sitegen.core.diagnostics import Diagnostics
from sitegen.core.events import gather_events
from sitegen.core.fields import parse_when
from sitegen.core.i18n import format_when, when_attribute
from sitegen.core.load import Source
from sitegen.core.model import Tag, Text, When
from sitegen.core.parse import parse_article
from sitegen.core.records import parse_studio, parse_team
from sitegen.core.resolve import Documents, resolve_site

CONFIG = SiteConfig(Text.plain("Test"), Text(()), "https://example.org/", ("zh", "en"))


@pytest.mark.parametrize(
    ("value", "precision", "start", "end"),
    [
        ("2020-04-27", "day", dt.date(2020, 4, 27), None),
        ("2020-03", "month", dt.date(2020, 3, 1), None),
        (2020, "year", dt.date(2020, 1, 1), None),
        ("2020-04-27/2020-04-29", "day", dt.date(2020, 4, 27), dt.date(2020, 4, 29)),
    ],
)
def test_dates_keep_their_precision(
    value: object, precision: str, start: dt.date, end: object
) -> None:
    when, reason = parse_when(value)
    assert reason == ""
    assert when == When(start, precision, end)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2020-04-29/2020-04-27", "ends (2020-04-27) before it starts (2020-04-29)"),
        ("2020-13", "no month 13"),
        ("end of March", "not a date"),
        ("2020/4/27", "write 2020-04-27"),
    ],
)
def test_bad_event_dates_say_why(value: str, reason: str) -> None:
    when, message = parse_when(value)
    assert when is None and reason in message


def test_each_precision_is_written_without_an_invented_day() -> None:
    march = When(dt.date(2020, 3, 1), "month")
    assert (format_when(march, "zh"), format_when(march, "en")) == ("2020年3月", "March 2020")
    assert when_attribute(march) == "2020-03"
    assert march.last_day == dt.date(2020, 3, 31)
    year = When(dt.date(2020, 1, 1), "year")
    assert (format_when(year, "zh"), format_when(year, "en"), when_attribute(year)) == (
        "2020年",
        "2020",
        "2020",
    )
    span = When(dt.date(2020, 4, 27), "day", dt.date(2020, 5, 2))
    assert format_when(span, "zh") == "2020年4月27日至5月2日"
    assert format_when(span, "en") == "27 April – 2 May 2020"


def site_of(files: dict[str, str]):
    diagnostics = Diagnostics()
    articles, teams, studios = [], [], []
    for path, text in files.items():
        name = path.rsplit("/", 1)[-1]
        if path.startswith("content/news/"):
            stem, lang = name.rsplit(".", 2)[0], name.rsplit(".", 2)[1]
            parsed = parse_article(Source(path, stem, lang, text), CONFIG, diagnostics)
            articles.append(parsed)
        elif path.startswith("content/teams/"):
            teams.append(parse_team(Source(path, name[:-5], "", text), CONFIG, diagnostics))
        else:
            studios.append(parse_studio(Source(path, name[:-5], "", text), CONFIG, diagnostics))
    site = resolve_site(Documents(articles, teams=teams, studios=studios), CONFIG, diagnostics)
    return site, diagnostics.sorted()


SELECTION_ZH = (
    "---\ntitle: 评选结果\ndate: 2020-04-22\nkind: selection\nteams: [choir]\n"
    "events:\n  - {date: 2020-03, title: 启动评选}\n---\n正文。\n"
)
SELECTION_EN = (
    "---\ntitle: The selection\ndate: 2020-04-22\n"
    "events:\n  - {date: 2020-03, title: The selection is launched}\n---\nText.\n"
)
CHOIR = (
    "name: {zh: 合唱团, en: Choir}\n"
    "honours:\n  - {year: 2020, title: 优秀团队, article: 2020-04-22-selection}\n"
    "  - {year: 2019, title: 先进团队}\n"
    "activities:\n  - {date: 2020-05-01, kind: showcase, title: 汇报演出}\n"
)


def test_events_are_gathered_from_articles_their_lists_and_records() -> None:
    site, problems = site_of(
        {
            "content/news/2020-04-22-selection.zh.md": SELECTION_ZH,
            "content/news/2020-04-22-selection.en.md": SELECTION_EN,
            "content/teams/choir.yaml": CHOIR,
            "content/studios/gao.yaml": (
                "name: 高秋工作室\nreports:\n  - {year: 2020, kind: plan, date: 2020-06-01}\n"
            ),
        }
    )
    assert problems == []
    seen = [
        (e.id, e.when.precision, e.kind, e.title.get("en", "zh") or e.label[0]) for e in site.events
    ]
    assert seen == [
        ("studio-gao-plan-2020", "day", "studio", "report_plan"),
        ("team-choir-2020-05-01-showcase", "day", "activity", "汇报演出"),
        ("news-2020-04-selection", "day", "selection", "The selection"),
        ("news-2020-04-selection-1", "month", "selection", "The selection is launched"),
        ("team-choir-honour-2019-2", "year", "honour", "先进团队"),
    ]
    article_event = site.events[2]
    assert article_event.records == ("teams/choir",)
    assert article_event.title.get("zh") == "评选结果"


def test_kind_comes_from_a_tag_when_the_article_has_none() -> None:
    diagnostics = Diagnostics()
    article = parse_article(
        Source(
            "content/news/2020-04-30-meeting.zh.md",
            "2020-04-30-meeting",
            "zh",
            "---\ntitle: 例会\ndate: 2020-04-30\ntags: [工作会议]\n---\n正文。\n",
        ),
        CONFIG,
        diagnostics,
    )
    tags = {"working-meetings": Tag("working-meetings", Text.of({"zh": "工作会议"}), "meeting")}
    site = resolve_site(Documents([article], tags, True), CONFIG, diagnostics)
    assert [e.kind for e in site.events] == ["meeting"]


def test_event_mistakes_name_the_line() -> None:
    _, problems = site_of(
        {
            "content/news/2020-04-22-selection.zh.md": (
                "---\ntitle: 评选\ndate: 2020-04-22\nevents:\n"
                "  - {date: 2020-04-29/2020-04-27, title: 展演}\n"
                "  - {date: 2020-05, title: 颁奖, teams: [choir]}\n---\n正文。\n"
            ),
        }
    )
    assert [(p.line, p.code) for p in problems] == [(5, "bad-date"), (6, "unknown-team")]


def test_gather_events_is_empty_for_an_empty_site() -> None:
    assert gather_events({}, {}, {}, {}, {}, {}, CONFIG, Diagnostics()) == ()

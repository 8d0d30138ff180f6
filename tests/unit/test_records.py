from __future__ import annotations

import pytest

from sitegen.core import plan_records
from sitegen.core.config import SiteConfig
from sitegen.core.diagnostics import Diagnostics
from sitegen.core.load import Source
from sitegen.core.model import Text
from sitegen.core.plan_records import HonourGroup, _honour_pages
from sitegen.core.records import parse_series, parse_studio, parse_team, parse_towns

CONFIG = SiteConfig(Text.plain("Test"), Text(()), "https://example.org/", ("zh", "en"))


def team(text: str, name: str = "choir"):
    diagnostics = Diagnostics()
    record = parse_team(Source(f"content/teams/{name}.yaml", name, "", text), CONFIG, diagnostics)
    return record, [(d.line, d.code, d.message) for d in diagnostics.sorted()]


def test_a_full_team_record_becomes_typed_values() -> None:
    record, problems = team(
        "name: {zh: 新繁书画院, en: Xinfan Academy}\n"
        "town: xinfan\ncategory: calligraphy\nfounded: 2015\nmembers: 40\n"
        "leader: 张三\n"
        "honours:\n"
        "  - {year: 2019, title: 优秀团队}\n"
        "  - {year: 2020, title: {zh: 优秀团队, en: Excellent team}, article: 2020-04-22-x}\n"
        "activities:\n"
        "  - {date: 2020-05-01, kind: showcase, title: 汇报展}\n"
        "  - {date: 2020-03-01, kind: training, title: 培训}\n"
        "assessments:\n"
        "  - {year: 2020, leadership: 优, results: {zh: 良, en: Good}}\n"
    )
    assert problems == []
    assert record is not None
    assert record.id == "choir" and record.name.get("en") == "Xinfan Academy"
    assert (record.founded, record.members, record.town) == (2015, 40, "xinfan")
    assert [h.year for h in record.honours] == [2020, 2019]  # newest first
    assert record.honours[0].article == "2020-04-22-x"
    assert [a.kind for a in record.activities] == ["training", "showcase"]  # by date
    areas = dict(record.assessments[0].areas)
    assert set(areas) == {"leadership", "results"}
    assert areas["results"].get("en") == "Good"


def test_a_year_written_as_text_names_the_number_to_write() -> None:
    _, problems = team("name: a\nfounded: 2015年\n")
    assert problems == [
        (2, "wrong-type", "'founded' must be a year written as a number, not '2015年'")
    ]


def test_negative_member_count_is_refused() -> None:
    record, problems = team("name: a\nmembers: -3\n")
    assert record is not None and record.members is None
    assert problems == [(2, "out-of-range", "'members' must be at least 0, not -3")]


def test_unknown_field_is_a_warning_with_a_suggestion() -> None:
    _, problems = team("name: a\nleeder: 张三\n")
    assert problems == [(2, "unknown-field", "unknown key 'leeder' in team record")]


def test_unknown_activity_kind_suggests_the_closest() -> None:
    record, problems = team(
        "name: a\nactivities:\n  - date: 2020-01-01\n    kind: showcas\n    title: x\n"
    )
    assert problems == [(4, "unknown-kind", "'showcas' is not a known kind")]
    assert record is not None and record.activities[0].kind == "other"


def test_missing_name_and_bad_file_name() -> None:
    record, problems = team("town: a\n")
    assert record is None and problems == [(1, "missing-field", "team record has no 'name'")]
    record, problems = team("name: a\n", name="Gao Qiu")
    assert record is None and problems[0][1] == "bad-id"


def test_empty_translation_is_not_an_error() -> None:
    record, problems = team("name:\n  zh: 合唱团\n  en:\n")
    assert problems == [] and record is not None
    assert not record.name.has("en") and record.name.get("en", "zh") == "合唱团"


def test_studio_reports_and_members() -> None:
    diagnostics = Diagnostics()
    studio = parse_studio(
        Source(
            "content/studios/gao-qiu.yaml",
            "gao-qiu",
            "",
            (
                "name: {zh: 高秋名师工作室, en: Gao Qiu Studio}\nleader: 高秋\n"
                "members: [张三, {zh: 李四, en: Li Si}]\nestablished: 2018\n"
                "reports:\n  - {year: 2019, kind: report}\n  - {year: 2020, kind: plan}\n"
            ),
        ),
        CONFIG,
        diagnostics,
    )
    assert len(diagnostics) == 0
    assert studio is not None
    assert [m.get("en") for m in studio.members] == ["张三", "Li Si"]
    assert [(r.year, r.kind) for r in studio.reports] == [(2020, "plan"), (2019, "report")]


def test_towns_need_a_name_and_a_known_kind() -> None:
    diagnostics = Diagnostics()
    towns = parse_towns(
        Source(
            "content/towns.yaml",
            "towns",
            "",
            (
                "xinfan: {zh: 新繁街道, en: Xinfan, kind: subdistrict}\n"
                "dafeng: {kind: town}\n"
                "Bad Id: {zh: 坏}\n"
                "mulan: {zh: 木兰镇, kind: village}\n"
            ),
        ),
        CONFIG,
        diagnostics,
    )
    assert sorted(towns) == ["mulan", "xinfan"]
    assert towns["xinfan"].kind == "subdistrict"
    assert [(d.line, d.code) for d in diagnostics.sorted()] == [
        (2, "missing-field"),
        (3, "bad-id"),
        (4, "unknown-kind"),
    ]


def test_each_series_needs_an_id_and_a_name_and_may_say_what_it_is() -> None:
    diagnostics = Diagnostics()
    series = parse_series(
        Source(
            "content/series.yaml",
            "series",
            "",
            (
                "teams-2020:\n"
                "  zh: 2020年优秀团队评选\n"
                "  en: Excellent teams 2020\n"
                "  summary: {zh: 从启动到表彰。}\n"
                "no-name: {summary: 无名}\n"
                "2020年专题: {zh: 专题}\n"
                "plain: 只写了名字\n"
                "typo: {zh: 专题, fr: Série}\n"
            ),
        ),
        CONFIG,
        diagnostics,
    )
    assert list(series) == ["teams-2020", "typo"]
    assert series["teams-2020"].name.get("en") == "Excellent teams 2020"
    assert series["teams-2020"].summary.get("en", "zh") == "从启动到表彰。"
    assert [(d.line, d.code, d.message) for d in diagnostics.sorted()] == [
        (5, "missing-field", "series 'no-name' has no name"),
        (6, "bad-id", "series id '2020年专题' may use only a-z, 0-9 and '-'"),
        (7, "wrong-type", "series 'plain' needs {zh: …, en: …}"),
        (8, "unknown-field", "unknown key 'fr' in series 'typo'"),
    ]


def test_a_series_file_that_is_not_a_mapping_is_said_once() -> None:
    diagnostics = Diagnostics()
    source = Source("content/series.yaml", "series", "", "- teams-2020\n")
    assert parse_series(source, CONFIG, diagnostics) == {}
    assert [(d.line, d.message) for d in diagnostics.sorted()] == [
        (1, "series.yaml maps each series id to its names")
    ]


def test_a_long_year_of_honours_goes_on_over_pages_naming_each_honour_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(plan_records, "HONOURS_PAGE", 3)
    big = HonourGroup(Text.plain("优秀团队"), Text.plain(""), None, ("a", "b", "c", "d"), 4)  # type: ignore[arg-type]
    small = HonourGroup(Text.plain("优秀组织"), Text.plain(""), None, ("e", "f"), 2)  # type: ignore[arg-type]
    pages = _honour_pages((big, small))
    shown = [[(g.title.get("zh"), g.teams, g.continued, g.total) for g in page] for page in pages]
    assert shown == [
        [("优秀团队", ("a", "b", "c"), False, 4)],
        [("优秀团队", ("d",), True, 4), ("优秀组织", ("e", "f"), False, 2)],
    ]
    assert _honour_pages(()) == [()], "a year with no honours still has its page"

from __future__ import annotations

import re

import pytest

from sitegen.cli import default_language
from sitegen.core.diagnostics import Diagnostic, Severity
from sitegen.core.messages import CATALOG, SUMMARY, translate

NAMES = re.compile(r"(?<!\{)\{([a-z_]+)\}(?!\})")


def entries() -> list[tuple[str, str, str]]:
    return [(code, en, zh) for code, pairs in CATALOG.items() for en, zh in pairs]


@pytest.mark.parametrize(("code", "english", "chinese"), entries())
def test_each_translation_uses_the_values_of_its_english_text(
    code: str, english: str, chinese: str
) -> None:
    assert set(NAMES.findall(chinese)) == set(NAMES.findall(english)), (code, english)
    assert chinese != english or " " not in english, f"{code}: '{english}' is not translated"


def test_summaries_have_both_languages() -> None:
    for english, chinese in SUMMARY.values():
        assert set(NAMES.findall(english)) == set(NAMES.findall(chinese))


def test_a_diagnostic_reads_the_same_in_both_languages() -> None:
    d = Diagnostic(
        "content/teams/a.yaml",
        2,
        1,
        Severity.ERROR,
        "unknown-town",
        "unknown town id 'xinfang'",
        "did you mean 'xinfan'? the ids are in content/towns.yaml",
    )
    assert d.format("en") == (
        "content/teams/a.yaml:2:1: error: unknown town id 'xinfang' [unknown-town]\n"
        "    hint: did you mean 'xinfan'? the ids are in content/towns.yaml"
    )
    assert d.format("zh") == (
        "content/teams/a.yaml:2:1: 错误: 未知的镇（街道）编号“xinfang” [unknown-town]\n"
        "    提示: 是不是“xinfan”？编号列在 content/towns.yaml 中"
    )


def test_nested_values_are_translated_too() -> None:
    english = "'date': '2020-02-30' is not a real date (day is out of range for month)"
    assert (
        translate("bad-date", english, "zh")
        == "“date”：“2020-02-30”不是真实存在的日期（该月没有这一天）"
    )


def test_unknown_text_stays_english() -> None:
    assert translate("template-error", "template failed: boom", "zh") == "template failed: boom"


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ({}, "en"),
    ],
)
def test_the_editors_language_comes_from_the_locale(
    environment: dict[str, str], expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert default_language() == expected

from __future__ import annotations

import datetime as dt

import pytest

from sitegen.core.fields import parse_date
from sitegen.core.i18n import format_date, format_month
from sitegen.core.text import cut_summary, is_slug, reading_minutes, slugify, text_length


def test_dates_in_each_language() -> None:
    day = dt.date(2020, 4, 27)
    assert format_date(day, "zh") == "2020年4月27日"
    assert format_date(day, "en") == "27 April 2020"
    assert format_month(2020, 3, "zh") == "2020年3月"
    assert format_month(2020, 3, "en") == "March 2020"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2020/4/27", "write 2020-04-27"),
        ("2020年4月27日", "write 2020-04-27"),
        ("April 27", "has no year; write the year first: YYYY-04-27"),
        ("27 April 2020", "write 2020-04-27"),
        ("yesterday", "not a date in the form YYYY-MM-DD"),
        ("2020-02-30", "not a real date"),
        ("", "empty"),
    ],
)
def test_bad_dates_say_what_to_write(text: str, reason: str) -> None:
    parsed, message = parse_date(text)
    assert parsed is None
    assert reason in message


def test_iso_dates_parse() -> None:
    assert parse_date("2020-04-27") == (dt.date(2020, 4, 27), "")
    assert parse_date("2020-4-7") == (dt.date(2020, 4, 7), "")


def test_slugs_are_ascii() -> None:
    assert slugify("新繁书画院") == "xin-fan-shu-hua-yuan"
    assert slugify("Café au lait!") == "cafe-au-lait"
    assert slugify("2020年 优秀团队") == "2020-nian-you-xiu-tuan-dui"
    assert slugify("2020-04-27 Pujiang_Visit!") == "2020-04-27-pujiang-visit"
    assert is_slug("pujiang-visit") and not is_slug("Pujiang Visit") and not is_slug("a--b")


def test_chinese_is_measured_in_characters_and_english_in_words() -> None:
    assert text_length("新都 社区教育", "zh") == 6
    assert text_length("Xindu community education", "en") == 3
    assert reading_minutes(1200, "zh") == 3
    assert reading_minutes(10, "en") == 1


def test_short_text_is_kept_whole() -> None:
    assert cut_summary("一句话。", "zh") == "一句话。"


def test_chinese_summary_ends_at_a_sentence_end_within_the_limit() -> None:
    text = "第一句话很短。" + "第二句话" * 10 + "。" + "第三句" * 30 + "。"
    summary = cut_summary(text, "zh", limit=60)
    assert summary == "第一句话很短。" + "第二句话" * 10 + "。"


def test_chinese_summary_without_sentence_end_is_cut_with_an_ellipsis() -> None:
    summary = cut_summary("字" * 200, "zh", limit=50)
    assert summary == "字" * 50 + "…"


def test_english_summary_counts_words_and_ends_at_a_full_stop() -> None:
    text = "One two three four five six seven eight nine ten eleven. " + "word " * 100
    assert cut_summary(text, "en", limit=20) == (
        "One two three four five six seven eight nine ten eleven."
    )
    cut = cut_summary("word " * 100, "en", limit=20)
    assert cut == " ".join(["word"] * 20) + "…"


def test_english_abbreviation_is_not_a_sentence_end() -> None:
    text = "The meeting was at 3.5 metres e.g.here and went on. " + "more " * 50
    assert cut_summary(text, "en", limit=15).endswith("went on.")

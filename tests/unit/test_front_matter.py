from __future__ import annotations

from sitegen.core.config import SiteConfig
from sitegen.core.diagnostics import Diagnostics
from sitegen.core.load import Source, split_name
from sitegen.core.model import Text
from sitegen.core.parse import (
    front_matter_problem,
    parse_article,
    slug_from_stem,
    split_front_matter,
)

CONFIG = SiteConfig(Text.plain("Test"), Text(()), "https://example.org/", ("zh", "en"))


def article(text: str, path: str = "content/news/2020-04-27-visit.zh.md", lang: str = "zh"):
    diagnostics = Diagnostics()
    source = Source(path, "2020-04-27-visit", lang, text)
    return parse_article(source, CONFIG, diagnostics), diagnostics.sorted()


def test_split_gives_yaml_body_and_the_body_line() -> None:
    split = split_front_matter("---\ntitle: a\ndate: 2020-01-01\n---\n\nbody\n")
    assert split is not None
    assert split.yaml == "title: a\ndate: 2020-01-01"
    assert split.body == "\nbody\n"
    assert split.body_line == 5


def test_split_refuses_missing_or_unclosed_front_matter() -> None:
    assert split_front_matter("title: a\n") is None
    assert split_front_matter("---\ntitle: a\n") is None
    assert "never closed" in front_matter_problem("---\ntitle: a\n")[0]
    assert "does not start" in front_matter_problem("hello\n")[0]


def test_three_dots_also_close_front_matter() -> None:
    split = split_front_matter("---\ntitle: a\n...\nbody")
    assert split is not None and split.body == "body"


def test_file_names_give_stem_and_language() -> None:
    assert split_name("2020-04-27-visit.en.md", ("zh", "en")) == ("2020-04-27-visit", "en")
    assert split_name("2020-04-27-visit.md", ("zh", "en")) == ("2020-04-27-visit", "zh")
    assert split_name("photo.jpg", ("zh", "en")) is None


def test_slug_drops_the_date_and_uses_pinyin_for_chinese() -> None:
    assert slug_from_stem("2020-04-27-pujiang-visit") == "pujiang-visit"
    assert slug_from_stem("2022-04-01-书法讲座") == "shu-fa-jiang-zuo"
    assert slug_from_stem("Spring Term 2021") == "spring-term-2021"


def test_a_good_article_parses_into_typed_values() -> None:
    parsed, problems = article(
        "---\ntitle: 参观学习\ndate: 2020-04-27\nsource: 学院\ntags: [交流]\n---\n\n"
        "第一段。第二句。\n\n第二段。\n"
    )
    assert problems == []
    assert parsed is not None
    assert parsed.title == "参观学习" and parsed.slug == "visit"
    assert parsed.date.isoformat() == "2020-04-27"
    assert parsed.summary == "第一段。第二句。"
    assert parsed.tags == ("交流",)
    assert "<p>第二段。</p>" in parsed.body_html


def test_problems_are_reported_at_their_file_lines() -> None:
    _, problems = article("---\ntitle: a\ndate: 2020/4/27\ntagz: [x]\n---\nbody\n")
    found = {(p.line, p.code) for p in problems}
    assert (3, "bad-date") in found
    assert (4, "unknown-field") in found
    unknown = next(p for p in problems if p.code == "unknown-field")
    assert unknown.hint == "did you mean 'tags'?"


def test_raw_html_is_escaped_and_reported_with_its_line() -> None:
    parsed, problems = article(
        "---\ntitle: a\ndate: 2020-04-27\n---\n\ntext\n\n<script>alert(1)</script>\n"
    )
    assert parsed is not None
    assert "<script>" not in parsed.body_html
    assert "&lt;script&gt;" in parsed.body_html
    assert [(p.line, p.code) for p in problems] == [(8, "raw-html")]


def test_javascript_links_are_not_linked() -> None:
    parsed, _ = article("---\ntitle: a\ndate: 2020-04-27\n---\n[x](javascript:alert(1))\n")
    assert parsed is not None
    assert "<a " not in parsed.body_html


def test_tables_footnotes_and_heading_anchors() -> None:
    parsed, problems = article(
        "---\ntitle: a\ndate: 2020-04-27\n---\n## 课程安排\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "x[^1]\n\n[^1]: note\n"
    )
    assert problems == []
    assert parsed is not None
    assert '<h2 id="ke-cheng-an-pai">' in parsed.body_html
    assert '<div class="table-wrap" tabindex="0"><table>' in parsed.body_html
    assert 'class="footnote-ref"' in parsed.body_html

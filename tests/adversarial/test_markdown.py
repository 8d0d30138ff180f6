"""Markdown that is huge, deeply nested or hostile: the page still builds,
fast, and nothing in it can run a script, with or without allow_html."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tests.adversarial.sites import SITE_YAML, article, build, builds_with
from tests.helpers import time_limit

NEWS = "content/news/2020-04-27-visit.zh.md"
PAGE = "news/2020/04/visit/index.html"
FRONT = "title: 参观学习\ndate: 2020-04-27\n"
ALLOW = SITE_YAML + "allow_html: true\n"

HOSTILE = """\
<script>window.__pwned = 1</script>

<img src="x.png" onerror="window.__pwned = 2">

<iframe src="https://example.com/"></iframe>

A <b onclick="window.__pwned = 3">bold</b> word and
<a href="javascript:window.__pwned = 4">a link</a>.

[plain link](javascript:window.__pwned=5) [upper](JaVaScRiPt:alert(1))
[entity](&#106;avascript:alert(1)) [spaced]( javascript:alert(1)) [vb](vbscript:alert(1))
[data](data:text/html,<script>alert(1)</script>) <javascript:alert(1)> [ref][r]

[r]: javascript:alert(1)
"""
# the file lines and columns of the raw HTML in HOSTILE (the first on each line)
HTML_PLACES = ((6, 1), (8, 1), (10, 1), (12, 3), (13, 1), (17, 23))


def body(page: str) -> str:
    """The article's own part of the page."""
    found = re.search(r"<main\b.*</main>", page, re.S)
    assert found, "the page has no <main>"
    return found.group()


def assert_inert(html: str) -> None:
    """Nothing here can run: no script element, event attribute, frame,
    object, style or javascript:/vbscript:/data: address."""
    tags = re.findall(r"<[a-zA-Z][^>]*>", html)
    for tag in tags:
        name = re.match(r"<([a-zA-Z0-9]+)", tag)
        assert name and name.group(1).lower() not in {
            "script",
            "iframe",
            "object",
            "embed",
            "style",
            "frame",
            "base",
            "form",
            "meta",
            "link",
        }, tag
        assert not re.search(r"\son[a-z]+\s*=", tag, re.I), tag
        assert not re.search(r"\sstyle\s*=", tag, re.I), tag
        for value in re.findall(r'\s(?:href|src|srcset|action)="([^"]*)"', tag):
            scheme = re.match(r"\s*([a-zA-Z][a-zA-Z0-9+.-]*):", value)
            assert scheme is None or scheme.group(1).lower() in {"http", "https", "mailto"}, tag


def test_a_one_megabyte_line_builds_quickly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = ("新都社区教育学院开展市民学习活动，" * 60_000)[: 1024 * 1024 // 3] + "完。"
    text = article(FRONT, line + "\n")
    assert len(text.encode()) > 1024 * 1024
    started = time.perf_counter()
    outcome = build(tmp_path, capsys, {NEWS: text})
    assert time.perf_counter() - started < 15
    builds_with(outcome)
    page = outcome.page(PAGE)
    assert line in page
    summary = re.search(r'<meta name="description" content="([^"]*)">', page)
    assert summary and len(summary.group(1)) <= 121, "the summary is not cut"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("".join("  " * n + "- item\n" for n in range(2_000)), id="nested-lists"),
        pytest.param("> " * 10_000 + "quoted\n", id="nested-quotes"),
        pytest.param("- " * 10_000 + "item\n", id="lists-on-one-line"),
        pytest.param("*" * 50_000 + "a" + "*" * 50_000 + "\n", id="emphasis"),
    ],
)
def test_deep_nesting_builds_a_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    started = time.perf_counter()
    outcome = build(tmp_path, capsys, {NEWS: article(FRONT, text)})
    assert time.perf_counter() - started < 15
    builds_with(outcome)
    assert_inert(body(outcome.page(PAGE)))


DEFINITIONS = "".join(f"[r{n}]: https://example.org/{n}\n" for n in range(5_000))


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        pytest.param("[" * 50_000 + "\n", "<p>" + "[" * 50_000 + "</p>", id="run-of-brackets"),
        pytest.param(
            DEFINITIONS + "\n[the last][r4999]\n",
            '<a href="https://example.org/4999">the last</a>',
            id="reference-definitions",
        ),
    ],
)
def test_brackets_by_the_ten_thousand_build_a_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, shown: str
) -> None:
    # markdown-it-py before 4.0 read link reference definitions in quadratic
    # time: 2,000 definitions took 8 s and these would take many minutes.
    # The limit only turns such a hang into a failure; the test is the page.
    with time_limit(120):
        outcome = build(tmp_path, capsys, {NEWS: article(FRONT, text)})
    builds_with(outcome)
    assert shown in body(outcome.page(PAGE))


def test_hostile_html_is_shown_as_text_and_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outcome = build(tmp_path, capsys, {NEWS: article(FRONT, HOSTILE)})
    warning = "warning: raw HTML is not allowed in articles; it is shown as plain text [raw-html]"
    builds_with(outcome, *(f"{NEWS}:{line}:{column}: {warning}" for line, column in HTML_PLACES))
    main = body(outcome.page(PAGE))
    assert_inert(main)
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in main
    assert "&lt;iframe" in main and "onerror" in main  # as text, for the editor to see


def test_hostile_html_fails_a_strict_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outcome = build(tmp_path, capsys, {NEWS: article(FRONT, HOSTILE)}, "--strict")
    assert outcome.code == 1
    assert len(outcome.problems) == len(HTML_PLACES)


def test_allowed_raw_html_is_sanitised_and_what_is_removed_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outcome = build(tmp_path, capsys, {"site.yaml": ALLOW, NEWS: article(FRONT, HOSTILE)})
    removed = "is removed from this raw HTML [unsafe-html]"
    builds_with(
        outcome,
        f"{NEWS}:6:1: warning: <script> {removed}",
        f"{NEWS}:8:18: warning: onerror= {removed}",
        f"{NEWS}:10:1: warning: <iframe> {removed}",
        f"{NEWS}:12:6: warning: onclick= {removed}",
        f"{NEWS}:13:10: warning: javascript: link {removed}",
        f"{NEWS}:17:23: warning: <script> {removed}",
    )
    main = body(outcome.page(PAGE))
    assert_inert(main)
    assert not any(f"__pwned = {n}" in main for n in (1, 2, 3, 4))
    assert "<b>bold</b>" in main and '<img src="x.png">' in main
    assert "<a>a link</a>" in main


def test_a_declaration_the_html_parser_cannot_name_builds_where_raw_html_is_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``<![`` opens no declaration a browser knows: it is text up to the
    next ``>``, and what follows it is still checked."""
    text = '<div>\n<![注](x)> 文字\n<b onclick="window.__pwned = 6">粗</b>\n</div>\n'
    outcome = build(tmp_path, capsys, {"site.yaml": ALLOW, NEWS: article(FRONT, text)})
    removed = "is removed from this raw HTML [unsafe-html]"
    builds_with(outcome, f"{NEWS}:6:1: warning: onclick= {removed}")
    main = body(outcome.page(PAGE))
    assert_inert(main)
    assert "__pwned" not in main and "<b>粗</b>" in main


def test_markdown_links_to_javascript_never_become_links(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    links = HOSTILE.split("\n\n", 4)[4]
    outcome = build(tmp_path, capsys, {NEWS: article(FRONT, links)})
    main = body(outcome.page(PAGE))
    assert_inert(main)
    assert "[plain link](javascript:window.__pwned=5)" in main
    assert "[vb](vbscript:alert(1))" in main and "&lt;javascript:alert(1)&gt;" in main
    assert "<p>[r]: javascript:alert(1)</p>" in main


def test_safe_markup_survives_the_sanitiser(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "## 小标题\n\n| 左 | 中 | 右 |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n\n"
        '脚注[^1]和<b>粗体</b>、<abbr title="社区教育">社教</abbr>。\n\n'
        "[外部](https://example.org/) [邮件](mailto:a@example.org)\n\n[^1]: 注释。\n"
    )
    plain = build(tmp_path / "plain", capsys, {NEWS: article(FRONT, text)})
    allowed = build(tmp_path / "allowed", capsys, {"site.yaml": ALLOW, NEWS: article(FRONT, text)})
    builds_with(allowed)
    for page in (body(plain.page(PAGE)), body(allowed.page(PAGE))):
        assert_inert(page)
        assert '<th class="align-left">左</th>' in page
        assert '<td class="align-right">3</td>' in page
        assert 'id="xiao-biao-ti"' in page
        assert 'href="#fn1"' in page and 'id="fn1"' in page
        assert '<a href="https://example.org/">外部</a>' in page
        assert '<a href="mailto:a@example.org">邮件</a>' in page
    assert '<abbr title="社区教育">社教</abbr>' in body(allowed.page(PAGE))

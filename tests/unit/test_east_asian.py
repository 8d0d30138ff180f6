"""Chinese written as Chinese writers write it: a sentence per line shows
no gap, and bold around 「」 or after 。 is bold. Text without East-Asian
characters reads exactly as CommonMark says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from sitegen.core.markdown import cjk_friendly, markdown_parser, render_markdown
from sitegen.engine.fastmd import read as read_fast

# The CommonMark 0.31.2 spec's examples, as markdown-it-py's tests keep them.
SPEC = Path(__file__).parent.parent / "data" / "commonmark-0.31.2.json"


def html(body: str) -> str:
    """``body`` as sitegen writes it, by both parsers (which must agree)."""
    slow = render_markdown(body, allow_html=False).html
    fast = render_markdown(body, allow_html=False, read=read_fast).html
    assert fast == slow
    return slow


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("第一句话。\n第二句话。\n第三句话。", "<p>第一句话。第二句话。第三句话。</p>\n"),
        ("新都区社区教育学院\n组织学习团队", "<p>新都区社区教育学院组织学习团队</p>\n"),
        ("报名截至「四月」\n（周五）", "<p>报名截至「四月」（周五）</p>\n"),
        (
            "一行**加粗**\n**再加粗**一行",
            "<p>一行<strong>加粗</strong><strong>再加粗</strong>一行</p>\n",
        ),
        ("学院\n[网站](/zh/)", '<p>学院<a href="/zh/">网站</a></p>\n'),
        # between Chinese and Latin text, or Latin and Latin, a break shows as a space
        ("中文\nEnglish", "<p>中文\nEnglish</p>\n"),
        ("English\n中文", "<p>English\n中文</p>\n"),
        ("one\ntwo", "<p>one\ntwo</p>\n"),
        ("한국어\n한국어", "<p>한국어\n한국어</p>\n"),  # Korean is written with spaces
        # a hard break stays one
        ("第一行  \n第二行", "<p>第一行<br />\n第二行</p>\n"),
        ("第一行\\\n第二行", "<p>第一行<br />\n第二行</p>\n"),
    ],
)
def test_a_line_break_between_chinese_characters_is_no_gap(body: str, expected: str) -> None:
    assert html(body) == expected


def test_the_summary_and_search_text_have_no_gap_either() -> None:
    rendered = render_markdown("第一句话。\n第二句话。", allow_html=False)
    assert rendered.first_paragraph == rendered.plain_text == "第一句话。第二句话。"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("这是**「重要」**的通知。", "这是<strong>「重要」</strong>的通知。"),
        ("请**务必注意。**谢谢", "请<strong>务必注意。</strong>谢谢"),
        ("这是**“重要”**的", "这是<strong>“重要”</strong>的"),
        (
            "**该星号会被识别，而不是直接显示。**这是因为",
            "<strong>该星号会被识别，而不是直接显示。</strong>这是因为",
        ),
        ("时间：*（待定）*。", "时间：<em>（待定）</em>。"),
        ("已~~取消。~~改期", "已<s>取消。</s>改期"),
        ("普通**加粗**文字", "普通<strong>加粗</strong>文字"),
        ("中文_下划线_中文", "中文_下划线_中文"),  # "_" inside a word, as in CommonMark
    ],
)
def test_bold_next_to_chinese_punctuation_is_bold(body: str, expected: str) -> None:
    assert html(body) == f"<p>{expected}</p>\n"


def _examples() -> list[tuple[int, str, str]]:
    examples = json.loads(SPEC.read_text(encoding="utf-8"))
    return [(e["example"], e["markdown"], e["html"]) for e in examples]


def test_every_commonmark_example_reads_as_before() -> None:
    """The CJK-friendly emphasis changes nothing in the spec's 652 examples:
    sitegen's parser gives what the same parser without it gives, and
    markdown-it-py's CommonMark with it gives the spec's HTML wherever
    markdown-it-py alone does."""
    plain = MarkdownIt("commonmark", {"html": True, "typographer": False})
    plain.enable(["table", "strikethrough"])
    plain.use(footnote_plugin, move_to_end=False)
    reference, amended = MarkdownIt("commonmark"), MarkdownIt("commonmark").use(cjk_friendly)
    changed, passed, kept = [], 0, 0
    for number, markdown, expected in _examples():
        if markdown_parser().render(markdown) != plain.render(markdown):
            changed.append(number)
        if reference.render(markdown) == expected:
            passed += 1
            kept += amended.render(markdown) == expected
    assert changed == []
    assert passed > 640 and kept == passed

"""Addresses written as plain text in an article become links, as on any
blog; in Chinese text an address ends where the Chinese starts again."""

from __future__ import annotations

import pytest

from sitegen.core.markdown import render_markdown
from sitegen.engine.fastmd import read as read_fast


def written(body: str) -> tuple[str, tuple[tuple[int, str], ...]]:
    slow = render_markdown(body, allow_html=False)
    fast = render_markdown(body, allow_html=False, read=read_fast)
    assert (fast.html, fast.links) == (slow.html, slow.links)
    return slow.html, slow.links


@pytest.mark.parametrize(
    ("body", "html"),
    [
        (
            "详见 https://example.org/guide。",
            '详见 <a href="https://example.org/guide">https://example.org/guide</a>。',
        ),
        ("网址https://x.cn/b，欢迎", '网址<a href="https://x.cn/b">https://x.cn/b</a>，欢迎'),
        ("（https://e.org/a）", '（<a href="https://e.org/a">https://e.org/a</a>）'),
        ("see http://e.org/a.", 'see <a href="http://e.org/a">http://e.org/a</a>.'),
        ("mailto:office@e.org", '<a href="mailto:office@e.org">mailto:office@e.org</a>'),
        ("https://e.org/路径", '<a href="https://e.org/">https://e.org/</a>路径'),
    ],
)
def test_an_address_in_text_is_a_link(body: str, html: str) -> None:
    assert written(body)[0] == f"<p>{html}</p>\n"


@pytest.mark.parametrize(
    "body",
    [
        "`https://e.org/in-code`",
        "```\nhttps://e.org/in-a-block\n```",
        "    https://e.org/indented-code",
        "main.py, www.e.org, e.org and office@e.org are not links",
    ],
)
def test_code_and_addresses_without_a_scheme_stay_text(body: str) -> None:
    html, links = written(body)
    assert "<a " not in html and links == ()


def test_an_address_inside_a_link_is_not_linked_again() -> None:
    html, links = written("[https://e.org 的首页](https://e.org/home)")
    assert html == '<p><a href="https://e.org/home">https://e.org 的首页</a></p>\n'
    assert links == ((0, "https://e.org/home"),)


def test_a_linked_address_is_checked_on_its_line() -> None:
    _, links = written("第一行\n第二行 https://e.org/a\n第三行")
    assert links == ((1, "https://e.org/a"),)

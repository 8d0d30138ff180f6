"""What real articles are written with beyond plain Markdown: headings
that start at any level, everyday HTML tags, and text that only looks
like a tag. Each is written the same whichever parser read the text."""

from __future__ import annotations

import pytest

from sitegen.core.markdown import Rendered, render_markdown
from sitegen.engine.fastmd import read as read_fast


def rendered(body: str, allow_html: bool = False) -> Rendered:
    slow = render_markdown(body, allow_html)
    fast = render_markdown(body, allow_html, read=read_fast)
    assert fast == slow
    return slow


@pytest.mark.parametrize(
    ("body", "levels"),
    [
        ("### 一\n\n#### 二\n\n### 三", "h2 h3 h2"),
        ("# 一\n\n## 二", "h2 h3"),
        ("## 一\n\n### 二\n\n#### 三\n\n## 四", "h2 h3 h4 h2"),
        ("##### 单独一个", "h2"),
    ],
)
def test_an_article_s_headings_start_at_h2(body: str, levels: str) -> None:
    html = rendered(body).html
    assert [part[:2] for part in html.split("<") if part[:1] == "h" and part[1:2].isdigit()] == (
        levels.split()
    )
    assert rendered(body).skipped_headings == ()


def test_a_skipped_level_is_closed_up_and_said_at_its_line() -> None:
    found = rendered("### 一\n\n##### 二\n\n##### 三\n\n#### 四\n")
    assert found.html == (
        '<h2 id="yi">一</h2>\n<h3 id="er">二</h3>\n<h3 id="san">三</h3>\n<h3 id="si">四</h3>\n'
    )
    # line, its level, the one that fits, the level of the heading above
    assert found.skipped_headings == ((2, 5, 4, 3), (4, 5, 4, 3))


@pytest.mark.parametrize("allow_html", [False, True])
@pytest.mark.parametrize(
    ("body", "html"),
    [
        ("一<br>二<br/>三</br>四<br />五", "一<br>二<br>三<br>四<br>五"),
        ("H<sub>2</sub>O，10<sup>3</sup>", "H<sub>2</sub>O，10<sup>3</sup>"),
        (
            "<u>下划线</u><mark>标记</mark><kbd>Ctrl</kbd>",
            "<u>下划线</u><mark>标记</mark><kbd>Ctrl</kbd>",
        ),
        (
            "<small>小字</small><ins>增</ins><del>删</del>",
            "<small>小字</small><ins>增</ins><del>删</del>",
        ),
        ("只开了<sup>没关", "只开了<sup>没关</sup>"),  # closed, so that the page stays valid
        ("list<i32> 和 Vec<u8>", "list&lt;i32&gt; 和 Vec&lt;u8&gt;"),  # not HTML: text
    ],
)
def test_everyday_html_passes_and_what_is_not_html_is_text(
    body: str, html: str, allow_html: bool
) -> None:
    found = rendered(body, allow_html)
    assert found.html == f"<p>{html}</p>\n"
    assert found.raw_html_lines == ()  # nothing to warn about


@pytest.mark.parametrize("allow_html", [False, True])
def test_a_centred_caption_is_a_paragraph_of_that_class(allow_html: bool) -> None:
    found = rendered('![合影](a.jpg)\n\n<p align="center">学员合影<br/>2020年4月</p>\n', allow_html)
    assert found.html.endswith('<p class="align-center">学员合影<br>2020年4月</p>\n')
    assert found.raw_html_lines == ()


def test_other_html_is_still_shown_as_text_and_said() -> None:
    found = rendered('A <b>bold</b> and <span style="color:red">red</span> word')
    assert found.html == (
        "<p>A &lt;b&gt;bold&lt;/b&gt; and "
        "&lt;span style=&quot;color:red&quot;&gt;red&lt;/span&gt; word</p>\n"
    )
    assert found.raw_html_lines == (0,)


def test_a_first_heading_below_the_highest_level_is_said_as_such() -> None:
    found = rendered("### 关于滚动\n\n## 用法\n")
    assert found.html == '<h2 id="guan-yu-gun-dong">关于滚动</h2>\n<h2 id="yong-fa">用法</h2>\n'
    assert found.skipped_headings == ((0, 3, 2, 0),)  # no heading above it


def test_an_anchor_the_author_chose_is_kept() -> None:
    found = rendered("## 什么是可观测性？ {#what-is-observability}\n\n## 管道 {#pipelines}\n")
    assert found.html == (
        '<h2 id="what-is-observability">什么是可观测性？</h2>\n<h2 id="pipelines">管道</h2>\n'
    )

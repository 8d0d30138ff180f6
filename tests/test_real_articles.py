"""Articles written as real editors write them (tests/real-articles/): a
sentence per line, bold around 「」 and after 。, bare addresses, headings
that start at ### and skip a level, everyday HTML and text that only looks
like HTML. The page says what the author meant, and the build warns of
the one real slip (a skipped heading level) at its line."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from sitegen.cli import main
from tests.helpers import REPO, media_file

SITE = REPO / "tests/real-articles"
ARTICLE = "content/news/2024-03-18-calligraphy-class"
WARNINGS = [
    f"{ARTICLE}/index.en.md:16:1: warning: this heading (#####) skips a level below the "
    "heading above it; it is shown as if written #### [heading-skipped]",
    "    hint: write it with ####, one # more than the heading it belongs under",
    f"{ARTICLE}/index.zh.md:20:1: warning: this heading (#####) skips a level below the "
    "heading above it; it is shown as if written #### [heading-skipped]",
    "    hint: write it with ####, one # more than the heading it belongs under",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("real") / "out"
    assert main(["build", os.fspath(SITE), "--out", os.fspath(out), "--no-search", "-q"]) == 0
    return out


def prose(built: Path, page: str) -> str:
    html = (built / page).read_text(encoding="utf-8")
    found = re.search(r'<div class="prose">\n(.*?)\s*\n  </div>\n', html, re.S)
    assert found, f"{page} has no article text"
    return found.group(1)


def test_the_build_warns_of_the_skipped_heading_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build = ["build", os.fspath(SITE), "--out", os.fspath(tmp_path / "out"), "--no-search"]
    assert main(build) == 0
    assert capsys.readouterr().err.splitlines() == WARNINGS
    assert main([*build, "--strict"]) == 1


def test_the_chinese_article_reads_as_written(built: Path) -> None:
    drawing = "/media/" + media_file(built, "class.svg").parent.name
    assert prose(built, "news/2024/03/calligraphy-class/index.html").split("\n") == [
        # three lines of the source, one paragraph, no gaps
        "<p>3月18日，锦江社区学院书法公益课堂正式开课。来自6个街道的40余名居民参加了第一课。"
        "授课老师从执笔姿势讲起，手把手指导学员临摹楷书。</p>",
        "<p>本期课程<strong>「免费报名」</strong>，名额有限，请<strong>务必提前预约。</strong>"
        "谢谢配合。</p>",
        '<p>报名网址：<a href="https://example.org/signup">https://example.org/signup</a>，'
        '也可发邮件至<a href="mailto:office@example.org">mailto:office@example.org</a>。</p>',
        '<h2 id="ke-cheng-an-pai">课程安排</h2>',  # ### under the page's <h1>
        "<p>每周六上午9:00<br>地点：学院二楼书画室<br></p>",
        '<h3 id="zhu-yi-shi-xiang">注意事项</h3>',  # ##### closed up
        "<p>请自带毛笔和墨汁，学院提供宣纸。水的化学式是H<sub>2</sub>O，墨汁的主要成分是炭黑。</p>",
        f'<figure class="figure"><img src="{drawing}/class.svg" alt="学员在书画室临摹楷书" '
        'width="160" height="90" loading="lazy" decoding="async"></figure>',
        '<p class="align-center">学员在书画室临摹楷书<br>摄影：王老师</p>',
        '<h2 id="xue-yuan-xin-de">学员心得</h2>',
        "<blockquote>",
        "<p>退休以后终于有时间练字了。每周都盼着这堂课。</p>",
        "</blockquote>",
        "<p>编程班的同学说，<code>Vec&lt;u8&gt;</code> 和 list&lt;i32&gt; "
        "这样的写法在课上也见过。</p>",
    ]


def test_the_english_article_keeps_its_spaces(built: Path) -> None:
    text = prose(built, "en/news/2024/03/calligraphy-class/index.html")
    assert "<p>On 18 March the college's free calligraphy class began.\nMore than 40" in text
    assert '<a href="https://example.org/signup">https://example.org/signup</a>.</p>' in text
    assert '<p class="align-center">Residents copying regular script<br>Photo: Ms Wang</p>' in text


def test_the_summary_has_no_gaps(built: Path) -> None:
    home = (built / "index.html").read_text(encoding="utf-8")
    assert "锦江社区学院书法公益课堂正式开课。来自6个街道" in home

"""markdown-it.rs (sitegen/engine/fastmd.py) against markdown-it-py, the
reference: read into sitegen's tree and written by its one writer
(sitegen/core/mdtree.py), the same `Rendered` for every document, or the
document is left to markdown-it-py; and the writer against markdown-it-py's
own HTML renderer.

The documents: every Markdown body of the example site and of the golden
sites, a sample of the benchmark corpus, and generated ones made of
headings, emphasis, links, images, lists, quotes, tables, code, footnotes,
entities and raw HTML. Where the two parsers disagree and markdown-it.rs is
the one that follows CommonMark, a test below says so, and the generated
documents keep out of that shape.
"""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from sitegen.core.cjk import is_wide
from sitegen.core.images import Picture, Variant
from sitegen.core.markdown import Rendered, cjk_friendly, read_markdown, render_markdown
from sitegen.core.mdtree import bare_links, everyday_tag, heading_slug, is_html, write
from sitegen.engine.fastmd import _parser, _plain_footnotes, fits
from sitegen.engine.fastmd import read as read_fast

REPO = Path(__file__).resolve().parents[2]
PICTURE_NAMES = ("a.jpg", "图.png", "b c.jpg")


def picture(name: str) -> Picture:
    stem = name.rsplit(".", 1)[0]
    return Picture(
        name,
        1600,
        1200,
        (
            Variant(f"{stem}-800w.webp", 800, 600, "webp"),
            Variant(f"{stem}-800w.jpg", 800, 600, "jpeg"),
        ),
    )


PICTURES = {name: picture(name) for name in PICTURE_NAMES}


def body_of(text: str) -> str:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return text[end + 5 :]
    return text


def fast(
    body: str, allow_html: bool, base: str = "/", pictures: dict[str, Picture] | None = None
) -> Rendered:
    """``body`` rendered as a build renders it: read by markdown-it.rs where
    it can be trusted with the text."""
    return render_markdown(body, allow_html, base, pictures, read=read_fast)


def differences(body: str) -> list[str]:
    """How the tree renderer's result differs from markdown-it-py's, with
    and without raw HTML, at the root and under a base path."""
    if fits(body):  # the guard lets through nothing that makes markdown-it.rs panic
        try:
            _parser().tree(body)
        except BaseException as exc:
            if type(exc).__name__ == "PanicException":
                pytest.fail(f"markdown-it.rs panics on {body!r}")
            raise
    found = []
    for allow_html in (False, True):
        for base in ("/", "/xindu/"):
            expected = render_markdown(body, allow_html, base, PICTURES)
            got = fast(body, allow_html, base, PICTURES)
            if got != expected:
                for name in Rendered.__dataclass_fields__:
                    if getattr(got, name) != getattr(expected, name):
                        found.append(
                            f"{name} (allow_html={allow_html}, base={base}):\n"
                            f"  markdown-it-py: {getattr(expected, name)!r}\n"
                            f"  markdown-it.rs: {getattr(got, name)!r}"
                        )
    return found


def bench_bodies() -> list[Path]:
    """A sample of the benchmark corpus: the one in bench/.corpus, else 200
    articles generated for the test."""
    for size in ("1000", "100", "5000"):
        news = REPO / "bench" / ".corpus" / size / "sitegen" / "content" / "news"
        if news.is_dir():
            return sorted(news.glob("*.md"))[:400]
    out = Path(os.environ.get("TMPDIR", "/tmp")) / f"sitegen-md-corpus-{os.getuid()}"
    news = out / "sitegen" / "content" / "news"
    if not news.is_dir():
        subprocess.run(
            [
                sys.executable,
                str(REPO / "bench" / "corpus.py"),
                "--articles",
                "200",
                "--out",
                str(out),
            ],
            check=True,
            capture_output=True,
        )
    return sorted(news.glob("*.md"))


def test_every_known_body_renders_the_same() -> None:
    files = sorted((REPO / "content").rglob("*.md"))
    files += sorted((REPO / "tests" / "sites").glob("*/input/**/*.md"))
    files += bench_bodies()
    assert len(files) > 200
    taken = 0
    for path in files:
        body = body_of(path.read_text(encoding="utf-8"))
        assert differences(body) == [], path
        taken += read_fast(body) is not None
    assert taken == len(files), "markdown-it.rs should take every ordinary article"


# --- generated documents -----------------------------------------------------

WORD = st.sampled_from(
    [
        "新都",
        "社区教育",
        "学院",
        "word",
        "Team",
        "a",
        "x_y",
        "1.",
        "2)",
        "3",
        "  ",
        " ",
        "新\u3000都",
        "&amp;",
        "&copy;",
        "&#x41;",
        "&#0;",
        "&bogus;",
        "\\*",
        "\\[",
        "\\\\",
        "!",
        "#",
        ":",
        "|",
        "\\|",
        '"',
        "'",
        "<",
        ">",
        "&",
        "-",
        "+",
        "=",
        "~",
        "^",
        "`",
        "\t",
        "a\xa0b",
        "&nbsp;",
    ]
)
URL = st.sampled_from(
    [
        "/news/2020/04/x/",
        "https://example.org/a?b=1&c=2#d",
        "a.jpg",
        "图.png",
        "<b c.jpg>",
        "mailto:a@example.org",
        "../up",
        "//cdn.example.org/x",
        "/img/a%20b.png",
        "#top",
        "https://例子.中国/路径",
        "javascript:alert(1)",
        "data:image/png;base64,AA",
        "<>",
        "<https://a b>",
        "http://a.org/\\_x",
        "/a(b)c",
        "https://xn--x.org/%E4%B8%AD",
        "%",
        "tel:+86-28",
        "HTTP://EXAMPLE.ORG",
        "/路径/文件.pdf",
        "x&amp;y",
        "</x y/>",
    ]
)
TITLE = st.sampled_from(["", ' "标题"', " 'a \"b\"'", " (t)", ' "a &amp; b"', ' "x\\"y"'])


@st.composite
def inline(draw: st.DrawFn, depth: int = 0) -> str:
    kinds = ["word"] * 6 + ["html", "code", "auto", "ref", "break"]
    if depth < 3:
        kinds += ["em", "strong", "strike", "link", "image", "reflink"]
    kind = draw(st.sampled_from(kinds))
    if kind == "word":
        return draw(WORD)
    inner = "".join(draw(st.lists(inline(depth + 1), min_size=0, max_size=3)))
    if kind == "em":
        return draw(st.sampled_from(["*{}*", "_{}_", "*{}", "{}_"])).format(inner)
    if kind == "strong":
        return draw(st.sampled_from(["**{}**", "__{}__", "***{}***"])).format(inner)
    if kind == "strike":
        return draw(st.sampled_from(["~~{}~~", "~{}~", "~~{}"])).format(inner)
    if kind == "link":
        return f"[{inner}]({draw(URL)}{draw(TITLE)})"
    if kind == "image":
        return f"![{inner}]({draw(URL)}{draw(TITLE)})"
    if kind == "reflink":
        return draw(st.sampled_from(["[{}][r]", "[r]", "[{}][]", "[R][]"])).format(inner)
    if kind == "html":
        return draw(
            st.sampled_from(
                [
                    "<b>",
                    "</b>",
                    '<a href="x">',
                    "<!-- c -->",
                    "<img src=x onerror=y>",
                    "<x y='z'/>",
                    "<?php ?>",
                    "<span\nclass=a>",
                    "</script>",
                ]
            )
        )
    if kind == "code":
        return draw(st.sampled_from(["`{}`", "`` {} ``", "`{}"])).format(inner.replace("`", ""))
    if kind == "auto":
        return draw(
            st.sampled_from(
                [
                    "<https://example.org/a?b>",
                    "<a@example.org>",
                    "<http://例子.cn>",
                    "<https://a.org/%41>",
                    "<MAILTO:x@y.org>",
                    "<irc://x/y>",
                    "https://bare.org",
                ]
            )
        )
    if kind == "ref":
        return draw(st.sampled_from(["[^1]", "[^note]", "[^missing]", "[^Note]"]))
    return draw(st.sampled_from(["\n", "  \n", "\\\n"]))


LINE = st.lists(inline(), min_size=1, max_size=6).map("".join)


@st.composite
def block(draw: st.DrawFn, depth: int = 0) -> str:
    kinds = ["para"] * 4 + ["heading", "setext", "code", "fence", "hr", "html", "table"]
    kinds += ["refdef", "footdef"]
    if depth < 3:
        kinds += ["quote", "bullet", "ordered"]
    kind = draw(st.sampled_from(kinds))
    if kind == "para":
        return "\n".join(draw(st.lists(LINE, min_size=1, max_size=3)))
    if kind == "heading":
        return "#" * draw(st.integers(1, 7)) + draw(st.sampled_from([" ", "  ", ""])) + draw(LINE)
    if kind == "setext":
        return draw(LINE) + "\n" + draw(st.sampled_from(["===", "---", "-"]))
    if kind == "code":
        return "    " + draw(LINE).replace("\n", "\n    ")
    if kind == "fence":
        info = draw(st.sampled_from(["", "python", "a\\_b &amp; c", " js x"]))
        fence = "```"
        return f"{fence}{info}\n{draw(LINE)}\n{draw(st.sampled_from([fence, '', fence + 'x']))}"
    if kind == "hr":
        return draw(st.sampled_from(["***", "---", "_ _ _", "* * *"]))
    if kind == "html":
        return draw(
            st.sampled_from(
                [
                    "<div>\n*x*\n</div>",
                    "<script>alert(1)</script>",
                    "<!-- note -->",
                    "<p>",
                    "</a>",
                    "<table><tr><td>x</td></tr></table>",
                    "<pre>\n\n</pre>",
                    "<iframe src=x>",
                ]
            )
        )
    if kind == "table":
        columns = draw(st.integers(1, 3))
        aligns = [draw(st.sampled_from(["---", ":--", "--:", ":-:"])) for _ in range(columns)]
        rows = draw(st.lists(st.lists(LINE, min_size=0, max_size=4), min_size=0, max_size=3))
        header = [draw(LINE).replace("\n", " ") for _ in range(columns)]
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join(aligns) + "|"]
        lines += ["| " + " | ".join(c.replace("\n", " ") for c in row) + " |" for row in rows]
        return "\n".join(lines)
    if kind == "refdef":
        return f"[{draw(st.sampled_from(['r', 'R', 'x']))}]: {draw(URL)}{draw(TITLE)}"
    if kind == "footdef":
        label = draw(st.sampled_from(["1", "note", "Note", "unused"]))
        rest = draw(st.lists(block(depth + 1), min_size=0, max_size=2))
        return f"[^{label}]: " + "\n\n".join(rest).replace("\n", "\n    ")
    inner = "\n\n".join(draw(st.lists(block(depth + 1), min_size=1, max_size=3)))
    if draw(st.booleans()):
        inner = inner.replace("\n\n", "\n")  # tight
    if kind == "quote":
        return "> " + inner.replace("\n", "\n> ")
    marker = draw(st.sampled_from(["- ", "* ", "+ "] if kind == "bullet" else ["1. ", "3) "]))
    items = [inner, *draw(st.lists(block(depth + 1), max_size=2))]
    return "\n".join(marker + item.replace("\n", "\n" + " " * len(marker)) for item in items)


DOCUMENT = st.lists(block(), min_size=1, max_size=6).flatmap(
    lambda blocks: st.sampled_from(["\n\n", "\n", "\n\n\n"]).map(
        lambda sep: sep.join(blocks) + "\n"
    )
)


_QUOTES = re.compile(r"[ \t\-*+0-9.)]*>")


def _quote_depth(line: str) -> int:
    """How many quotes ``line`` opens, through any list markers before them."""
    depth, at = 0, 0
    while (found := _QUOTES.match(line, at)) is not None:
        depth, at = depth + 1, found.end()
    return depth


def _table_under_a_deeper_quote(body: str) -> bool:
    """Whether a line with a pipe follows a line in more quotes than it:
    a table there is not lazy text of the deeper quote."""
    lines = body.split("\n")
    return any(
        "|" in after and _quote_depth(after) < _quote_depth(line)
        for line, after in itertools.pairwise(lines)
    )


def comparable(body: str) -> bool:
    """Whether ``body`` keeps out of the shapes where the parsers disagree
    and CommonMark or GFM sides with markdown-it.rs (see the tests below)."""
    if "~~~" in body:
        return False
    if _table_under_a_deeper_quote(body):
        return False
    # a header row whose only pipes are escaped, at the top level or in a quote
    return not re.search(r"^(?:[^|\\\n]|\\.)*\\\|(?:[^|\\\n]|\\.)*\n[ \t>]*:?-", body, re.MULTILINE)


def test_a_link_in_a_tight_list_item_is_on_the_item_s_line() -> None:
    """markdown-it.rs may start an emphasis after the link inside it; the
    line of a tight item's text is where its first node starts."""
    body = "- 新都\n- 新都\n- -   *[\n    ](/news/2020/04/x/)*\n    ===\n"
    assert fast(body, False).links == ((2, "/news/2020/04/x/"),)
    assert differences(body) == []


@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
@given(DOCUMENT)
def test_generated_documents_render_the_same(body: str) -> None:
    if comparable(body):
        assert differences(body) == []


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet="*_[]()!<>`\\&#;:|-~^ \n\tax1.\"'/", max_size=80))
def test_generated_punctuation_renders_the_same(body: str) -> None:
    body += "\n"
    if comparable(body):
        assert differences(body) == []


# --- where the two disagree --------------------------------------------------
# CommonMark and GFM side with markdown-it.rs in each case below, and the
# new rendering keeps its reading; each is an input editors rarely write.


def test_a_deep_list_keeps_all_its_items() -> None:
    """markdown-it-py stops at 20 levels of tokens (ten of lists) and drops
    what is deeper; CommonMark sets no limit, nor does markdown-it.rs."""
    body = "".join("  " * n + f"- item{n}\n" for n in range(15))
    html = fast(body, False).html
    assert all(f"item{n}" in html for n in range(15))
    assert html.count("<ul>") == 15
    assert "item14" not in render_markdown(body, False).html


@pytest.mark.parametrize(
    ("body", "kept"),
    [
        ("\u3000\u3000新都社区\n", "<p>\u3000\u3000新都社区</p>"),
        ("## \u3000标题\u3000\n", '<h2 id="biao-ti">\u3000标题\u3000</h2>'),
        ("| \u3000甲 |\n|---|\n| 乙\xa0 |\n", "<th>\u3000甲</th>"),
    ],
)
def test_other_white_space_than_spaces_and_tabs_is_kept_at_the_edges(body: str, kept: str) -> None:
    """CommonMark strips only spaces and tabs from a paragraph or heading,
    GFM from a table cell; markdown-it-py strips every Unicode space, the
    full-width indent of a Chinese paragraph included."""
    assert kept in fast(body, False).html
    assert kept not in render_markdown(body, False).html


def test_a_run_of_four_tildes_closes_no_strikethrough() -> None:
    """GFM: a run of more than two tildes is text."""
    assert fast("a~~b~~~~\n", False).html == "<p>a~~b~~~~</p>\n"
    assert "<s>" in render_markdown("a~~b~~~~\n", False).html


def test_a_table_under_a_quote_is_not_lazy_text_of_it() -> None:
    """A table may interrupt a paragraph, so its rows are not paragraph
    continuation text and cannot continue a quote lazily (CommonMark 5.1)."""
    html = fast("> 引文\n| 甲 |\n|---|\n", False).html
    assert html.startswith('<blockquote>\n<p>引文</p>\n</blockquote>\n<div class="table-wrap"')
    assert "<table>" not in render_markdown("> 引文\n| 甲 |\n|---|\n", False).html
    # nor of a quote inside a quote: the table is the outer quote's
    nested = "> > 引文\n> | 甲 |\n> |---|\n"
    html = fast(nested, False).html
    assert html.startswith("<blockquote>\n<blockquote>\n<p>引文</p>\n</blockquote>\n<div class=")
    assert "<table>" not in render_markdown(nested, False).html


def test_a_header_row_needs_a_pipe_that_is_not_escaped() -> None:
    """GFM: cells are separated by pipes; ``\\|`` over ``---`` is a heading."""
    assert fast("\\|\n---\n", False).html == '<h2 id="section">|</h2>\n'
    quoted = fast("> \\|\n> ---\n", False).html
    assert quoted == '<blockquote>\n<h2 id="section">|</h2>\n</blockquote>\n'


@pytest.mark.parametrize(
    ("body", "html"),
    [
        ("```\nx", "<pre><code>x\n</code></pre>\n"),
        ("<div>\nx", "<p>&lt;div&gt;\nx\n</p>\n"),
    ],
)
def test_a_block_at_the_end_of_a_text_without_a_line_break_ends_with_one(
    body: str, html: str
) -> None:
    """A code or HTML block is made of lines, each ending with a line break
    (as an indented code block already does in markdown-it-py)."""
    assert fast(body, False).html == html
    assert render_markdown(body, False).html != html


@pytest.mark.parametrize(
    "body",
    [
        "正文[^1]\n[^1]: 注释紧接正文\n",  # a definition right under text
        "甲[^a]\n\n[^a]: 一\n\n[^a]: 二\n",  # a label defined twice
        "[^a]: [^b]: 套\n\n甲[^a][^b]\n",  # a definition in a definition
        "甲[^a]\n\n[^a]:     注\n",  # a definition's text four spaces in
        "甲[^a]\n\n[^a]: <div>\n    注\n    </div>\n",  # raw HTML opening a definition
        "> 引文\n-\n",  # an empty list item under a quote
        "见 [`代码\n",  # a bracket and an open code span
        "\\`[`\n",  # an escaped backtick, a bracket and an open code span
        "^[行内脚注]\n",
        "1\n:-\n",  # a header row without a pipe, a table to markdown-it.rs only
        "- <!doctype html>\n",  # "<!" and a small letter opens an HTML block
        "[链接](https://例子.中国/)\n",  # a host markdown-it-py writes in punycode
        "[链接](< https://example.org/ >)\n",  # spaces markdown-it-py trims
        "![*<b>*新都**](/news/2020/04/x/)\n",  # emphasis closed twice by one run, in an image
        "见 ![_._图__](a.jpg) 与 [链接](/)\n",
    ],
)
def test_what_markdown_it_rs_reads_otherwise_is_left_to_markdown_it_py(body: str) -> None:
    """Footnotes follow mdit_py_plugins' syntax (CommonMark has none); the
    rest are shapes where markdown-it.rs is wrong or panics."""
    assert read_fast(body) is None
    assert fast(body, False) == render_markdown(body, False)


# --- what markdown-it.rs is not given -----------------------------------------

HOSTILE = {
    "nested-quotes": "> " * 10_000 + "quoted\n",
    "quote-per-line": "".join(">" * n + " x\n" for n in range(3_000)),
    "nested-lists": "".join("  " * n + "- item\n" for n in range(2_000)),
    "lists-on-one-line": "- " * 10_000 + "item\n",
    "ordered-on-one-line": "1. " * 30_000 + "item\n",
    "emphasis": "*a " * 60_000 + "b" + "*" * 60_000 + "\n",
    "images": "![" * 60_000 + "a" + "](b)" * 60_000 + "\n",
    "brackets": "[" * 50_000 + "\n",
    "inline-footnotes": "^[" * 40 + "a" + "]" * 40 + "\n\n[^x]: y\n",
    "footnote-refs": "[^" * 40 + "\n\n[^a]: x\n",
    "definitions": "".join(f"[x{n}]: /u{n}\n" for n in range(20_000)),
    "one-megabyte-line": "新都社区教育学院" * 45_000 + "\n",
}


@pytest.mark.parametrize("shape", ["nested-quotes", "emphasis", "images", "definitions"])
def test_shapes_that_would_crash_or_stall_markdown_it_rs_are_left_to_markdown_it_py(
    shape: str,
) -> None:
    assert not fits(HOSTILE[shape])


def test_no_hostile_shape_crashes_or_stalls_a_render() -> None:
    """Each in a process of its own: a Rust stack overflow kills the process
    without a Python traceback."""
    script = (
        "import sys, time\n"
        "from sitegen.core.markdown import render_markdown\n"
        "from sitegen.engine.fastmd import read\n"
        "body = sys.stdin.read()\n"
        "started = time.perf_counter()\n"
        "render_markdown(body, False, read=read)\n"
        "render_markdown(body, True, read=read)\n"
        "print(round(time.perf_counter() - started, 2))\n"
    )
    slow = []
    for name, body in HOSTILE.items():
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", script],
            input=body,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=REPO,
        )
        assert done.returncode == 0, f"{name}: exit {done.returncode}\n{done.stderr[-2000:]}"
        if time.perf_counter() - started > 30:
            slow.append(name)
    assert slow == []


# --- the writer against markdown-it-py's own --------------------------------


def _stock() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.use(footnote_plugin).use(anchors_plugin, min_level=2, max_level=4, slug_func=heading_slug)
    return md.use(cjk_friendly)


def stock_html(body: str) -> str:
    """``body`` as markdown-it-py and its plugins write it, with no rule of
    sitegen's writer: raw HTML kept, heading anchors as sitegen makes them."""
    return _stock().render(body)


def stock_comparable(body: str) -> bool:
    """Whether no rule of sitegen's writer applies to ``body``: tables in a
    box aligned by class, pictures and figures, no footnote defined inside
    another (which markdown-it-py lets out of the list of notes), and none
    of the rules for articles as people write them: headings that do not
    start at ``##`` or skip a level, a line break in East-Asian text, an
    address written as text, everyday or made-up tags."""
    if "|" in body or "![" in body or ("[^" in body and not _plain_footnotes(body)):
        return False
    tokens = _stock().parse(body)
    levels = [int(t.tag[1:]) for t in tokens if t.type == "heading_open"]
    if levels and (levels[0] != 2 or any(b > a + 1 for a, b in itertools.pairwise(levels))):
        return False
    for token in tokens:
        if token.type != "inline":
            continue
        if "\n" in token.content and any(map(is_wide, token.content)):
            return False
        inside = 0
        for child in token.children or ():
            inside += child.type == "link_open"
            inside -= child.type == "link_close"
            if child.type == "text" and not inside and bare_links(child.content):
                return False
            if child.type == "html_inline" and (
                everyday_tag(child.content) is not None or not is_html(child.content)
            ):
                return False
    return min(levels, default=2) == 2


@settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
@given(DOCUMENT)
def test_the_writer_writes_what_markdown_it_py_writes(body: str) -> None:
    if stock_comparable(body):
        assert write(read_markdown(body), True, "/", {}).html == stock_html(body)

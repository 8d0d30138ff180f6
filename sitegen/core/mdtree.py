"""Markdown parsed by markdown-it.rs and written out by a renderer of our own.

``markdown-it-pyrs`` binds markdown-it.rs, a Rust port of markdown-it; it
parses CommonMark (with tables, strikethrough and footnotes) ten to fifteen
times faster than markdown-it-py and hands back a syntax tree. This module
walks that tree and writes the HTML, and collects what later stages need,
byte for byte as :mod:`sitegen.core.markdown` does with markdown-it-py and its
plugins and rules (heading anchors, footnotes, tables wrapped and aligned by
class, raw HTML escaped, pictures and figures, root links under the base
path). ``tests/unit/test_markdown_engines.py`` renders many documents both
ways and compares them.

Where the two parsers disagree and CommonMark (or GFM, for tables and
strikethrough) sides with markdown-it.rs, its reading is kept: white space
other than spaces and tabs (a full-width indent) at the edges of a
paragraph, heading or cell stays; lists and quotes deeper than
markdown-it-py's 20 levels of tokens keep their content; a run of more
than two tildes strikes nothing; a table under a quote is not lazy text
of it; a header row needs a pipe that is not escaped; a fenced code or
HTML block at the very end of a text without a final line break ends with
one.

markdown-it.rs cannot be trusted on every input, so :func:`render_tree`
declines (returns ``None``) and markdown-it-py renders the document when:

- a line opens containers more than :data:`MAX_PREFIX` characters deep, or a
  stretch of text between blank lines holds more than :data:`MAX_DELIMITERS`
  emphasis or bracket characters: the Rust tree is freed by recursion, and a
  tree some 50,000 levels deep overflows the stack and kills the process;
  deep lists and quotes also take it quadratic time;
- more than :data:`MAX_BRACKET_LINES` lines start with ``[``: it reads a run
  of link reference definitions in quadratic time;
- a ``[`` and a code span left open share a paragraph (it panics), or an
  empty list item follows a line of text (it may read it as lazy text of a
  quote, against CommonMark);
- the text holds ``^[`` (an inline footnote): nested ones make it panic or
  take exponential time;
- a footnote label is defined twice, or a definition follows a line of text
  or may sit inside another: markdown-it.rs reads these otherwise than
  mdit_py_plugins, whose footnote syntax sitegen keeps (CommonMark has
  none);
- something in the tree is not written here the way markdown-it-py would
  write it (an unknown node, a link whose host markdown-it-py would
  punycode, an image inside an image's description), or the tree is too
  deep to walk.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import unquote

from markdown_it.common.normalize_url import normalizeLink, normalizeLinkText
from markdown_it.common.utils import unescapeAll
from markdown_it_pyrs import MarkdownIt, Node

from sitegen.core.images import Picture, picture_html

MAX_PREFIX = 64  # characters of ">", list markers and indentation before a line's text
MAX_DELIMITERS = 1_000  # "*", "_", "~" and "[" between two blank lines
MAX_BRACKET_LINES = 1_000

_PREFIX = re.compile(rf"^[ \t>*+\-0-9.)]{{{MAX_PREFIX}}}", re.MULTILINE)
_BRACKET_LINE = re.compile(r"^[ \t>]*\[", re.MULTILINE)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_IMAGE_TOKEN = re.compile(r"\\.|!\[|[\[\]*_]|\n[ \t]*\n")
_BACKTICKS = re.compile(r"`+")
_FENCE_LINE = re.compile(r"[ \t>*+\-0-9.)]*(?:```|~~~)")
# an empty list item right under a line of text: markdown-it.rs wrongly takes
# it for lazy text of a quote or list above (">1\n-"), CommonMark for a list
_EMPTY_ITEM = re.compile(r"^[ \t>]*(?:[-+*]|\d{1,9}[.)])[ \t]*$", re.MULTILINE)
# "<!" and a small letter opens an HTML block in CommonMark 0.31 and in
# markdown-it-py; markdown-it.rs knows only capitals ("<!DOCTYPE")
_SMALL_DECLARATION = re.compile(r"<![a-z]")
# what may name a host: after "mailto:", or after "//" (with or without a scheme)
_AUTHORITY = re.compile(r"(?i)(?:mailto:|(?:[a-z][a-z0-9+.\-]*:)?//)([^/?#]*)")
# footnote definitions that markdown-it.rs reads otherwise than mdit_py_plugins,
# whose syntax sitegen keeps: a label defined twice (it keeps the first, the
# plugin the last), a definition right under a line of text (it continues the
# paragraph) and one inside another (it does not nest them)
_FOOTNOTE_DEFINITION = re.compile(r"^([ \t>*+\-0-9.)]*)\[\^([^\]\s]+)\]:", re.MULTILINE)
# a definition whose text starts four spaces or a tab in: code to markdown-it.rs
_INDENTED_NOTE = re.compile(r"^[ \t>*+\-0-9.)]*\[\^[^\]\s]+\]:(?: {4}| {0,3}\t)", re.MULTILINE)
_FOOTNOTE_REF = re.compile(r"\[\^[^\]\s]+\](?!:)")
_NESTED_FOOTNOTE = re.compile(r"\]:[ \t>*+\-0-9.)]*\[\^")

_INLINE = frozenset(
    {
        "text",
        "text_special",
        "softbreak",
        "hardbreak",
        "em",
        "strong",
        "strikethrough",
        "code_inline",
        "link",
        "autolink",
        "image",
        "html_inline",
        "footnote_ref",
        "footnote_ref_anchor",
    }
)
# block nodes that markdown-it-py opens with a token of nesting 1 (what
# markdown.py's `_near_top` counts at the top level)
_OPENED = frozenset(
    {"paragraph", "heading", "lheading", "blockquote", "bullet_list", "ordered_list", "table"}
)
_ALIGN = {"left": ' class="align-left"', "center": ' class="align-center"'}
_ALIGN["right"] = ' class="align-right"'
_BACKREF = ' <a href="#fnref{}" class="footnote-backref">\u21a9\ufe0e</a>'


class _Declined(Exception):
    """A document this module leaves to markdown-it-py."""


@dataclass(frozen=True, slots=True)
class TreeRendered:
    """What :func:`render_tree` made of a body; lines are 0-based."""

    html: str
    first_paragraph: str
    plain_text: str
    raw_html: tuple[tuple[int, str], ...]  # each piece of raw HTML, in order
    images: tuple[tuple[int, str, str], ...]  # line, address, description
    links: tuple[tuple[int, str], ...]


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable_many(["table", "strikethrough", "footnote"])


def _earliest(nodes: Sequence[Node]) -> Node:
    """The node that starts first among ``nodes`` and all they hold: the
    line of a tight list item's paragraph, which has no node of its own.
    markdown-it.rs may start an emphasis after a link inside it."""
    best, stack = nodes[0], list(nodes)
    while stack:
        node = stack.pop()
        if node.srcmap is not None and (best.srcmap is None or node.srcmap[0] < best.srcmap[0]):
            best = node
        stack.extend(node.children)
    return best


def _escape(text: str) -> str:
    """markdown-it's escapeHtml: ``&<>"``, not the apostrophe."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def fits(body: str) -> bool:
    """Whether markdown-it.rs may parse ``body``: nothing in it is nested or
    repeated in a shape that makes it crash or slow (see the module's text)."""
    if "^[" in body or _PREFIX.search(body):
        return False
    if "[" in body:
        if body.count("[") > MAX_BRACKET_LINES and (
            len(_BRACKET_LINE.findall(body)) > MAX_BRACKET_LINES
        ):
            return False
        if "[^" in body:
            found = _FOOTNOTE_DEFINITION.findall(body)
            labels = [label for _, label in found]
            if len(labels) != len(set(labels)) or _NESTED_FOOTNOTE.search(body):
                return False
            if any("    " in prefix or "\t" in prefix for prefix, _ in found):
                return False  # perhaps inside another definition
            if _after_text(body, _FOOTNOTE_DEFINITION):
                return False
            if _INDENTED_NOTE.search(body):
                return False
    if _after_text(body, _EMPTY_ITEM):
        return False
    if "<!" in body and _SMALL_DECLARATION.search(body):
        return False
    if "`" in body and "[" in body and _open_code_after_bracket(body):
        return False
    delimiters = body.count("*") + body.count("_") + body.count("~") + body.count("[")
    if delimiters > MAX_DELIMITERS:
        for part in _BLANK_LINE.split(body):
            count = part.count("*") + part.count("_") + part.count("~") + part.count("[")
            if count > MAX_DELIMITERS:
                return False
    return "![" not in body or not _emphasis_in_image(body)


def _emphasis_in_image(body: str) -> bool:
    """Whether an image's description may hold emphasis: markdown-it.rs
    closes nested emphasis there otherwise than in other text (``![*.*a**](x)``
    is described as ".a" by markdown-it-py, "*.a*" by markdown-it.rs). Any
    ``*`` or ``_`` between an image's ``![`` and its ``]`` counts."""
    depth = 0  # brackets open since the outermost image's "![", else 0
    for found in _IMAGE_TOKEN.finditer(body, body.find("![")):
        token = found.group()
        if token == "![":
            depth += 1
        elif not depth or token[0] == "\\":
            continue
        elif token == "[":
            depth += 1
        elif token == "]":
            depth -= 1
        elif token in "*_":
            return True
        else:  # a blank line, which no description crosses
            depth = 0
    return False


def _after_text(body: str, pattern: re.Pattern[str]) -> bool:
    """Whether a line that ``pattern`` finds comes right under a line that
    is neither blank nor one that ``pattern`` finds (a run of footnote
    definitions is read alike)."""
    for found in pattern.finditer(body):
        start = found.start()
        if start:
            above = body[body.rfind("\n", 0, start - 1) + 1 : start - 1]
            if above.strip() and not pattern.match(above):
                return True
    return False


def _open_code_after_bracket(body: str) -> bool:
    """Whether a stretch of text holds a ``[`` and a run of backticks that
    no run of the same length closes: markdown-it.rs 0.6 panics on that
    (``[`x``). Checked line by line and cell by cell, which finds more open
    runs than there are, never fewer; fence lines are left out."""
    for part in _BLANK_LINE.split(body):
        if "`" not in part or "[" not in part:
            continue
        for line in part.split("\n"):
            if "`" not in line or _FENCE_LINE.match(line):
                continue
            for cell in line.split("|"):
                if "\\`" in cell:
                    return True  # an escaped backtick opens no run, and shifts the rest
                runs = [len(run) for run in _BACKTICKS.findall(cell)]
                while runs:
                    opener = runs.pop(0)
                    if opener not in runs:
                        return True
                    del runs[: runs.index(opener) + 1]
    return False


def render_tree(
    body: str,
    allow_html: bool,
    base_path: str,
    pictures: Mapping[str, Picture],
    slug: Callable[[str], str],
) -> TreeRendered | None:
    """``body`` rendered from markdown-it.rs's tree, or ``None`` where that
    parser is not to be trusted with it or the tree holds something this
    renderer does not write as markdown-it-py would."""
    if "\r" in body or "\0" in body:  # as markdown-it-py's normalize step
        body = re.sub(r"\r\n?", "\n", body).replace("\0", "\ufffd")
    if not fits(body):
        return None
    try:
        tree = _parser().tree(body)
    except BaseException as exc:  # a Rust panic is a BaseException
        if type(exc).__name__ != "PanicException":
            raise
        return None
    writer = _Writer(body, allow_html, base_path.rstrip("/"), pictures, slug)
    try:
        writer.document(tree)
    except (_Declined, RecursionError):
        return None
    return TreeRendered(
        html="".join(writer.out),
        first_paragraph=writer.first_paragraph,
        plain_text=" ".join(writer.texts),
        raw_html=tuple(writer.raw_html),
        images=tuple(writer.images),
        links=tuple(writer.links),
    )


def _check_url(url: str) -> None:
    """markdown-it-py writes a host of other letters than ASCII in punycode
    (``xn--…``) and trims white space off an address that markdown-it.rs
    percent-encodes: leave such links to the former. Other addresses come
    out the same from both."""
    if "%" in url or "[" in url:
        authority = _AUTHORITY.match(url)
        if authority and ("%" in authority.group(1) or "[" in authority.group(1)):
            raise _Declined(url)
        decoded = unquote(url)
        if decoded != decoded.strip():
            raise _Declined(url)


def _autolink(node: Node) -> tuple[str, str]:
    """The address and the text of an autolink, as markdown-it-py makes them."""
    children = node.children
    if len(children) != 1 or children[0].name != "text_special":
        raise _Declined("autolink")
    raw = str(children[0].meta["content"])
    return normalizeLink(raw if ":" in raw else "mailto:" + raw), normalizeLinkText(raw)


def _alt_text(nodes: Sequence[Node]) -> str:
    """An image's description as markdown-it-py's renderInlineAsText makes it."""
    parts: list[str] = []
    for node in nodes:
        name = node.name
        if name in ("text", "text_special", "html_inline"):
            parts.append(node.meta["content"])
        elif name == "code_inline":
            parts.append(_code_content(node))
        elif name in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif name == "autolink":
            parts.append(_autolink(node)[1])
        elif name in ("em", "strong", "strikethrough", "link", "image"):
            parts.append(_alt_text(node.children))
        elif name != "footnote_ref":
            raise _Declined(name)
    return "".join(parts)


def _alt_source(nodes: Sequence[Node]) -> str:
    """An image's description as markdown.py collects it for BodyImage: the
    contents of its inline tokens, one level deep."""
    parts: list[str] = []
    for node in nodes:
        name = node.name
        if name in ("text", "text_special", "html_inline"):
            parts.append(node.meta["content"])
        elif name == "code_inline":
            parts.append(_code_content(node))
        elif name == "autolink":
            parts.append(_autolink(node)[1])
        elif name in ("em", "strong", "strikethrough", "link"):
            parts.append(_alt_source(node.children))
        elif name == "image":  # its token's content is the source text
            raise _Declined("image in an image")
        elif name not in ("softbreak", "hardbreak", "footnote_ref"):
            raise _Declined(name)
    return "".join(parts)


def _code_content(node: Node) -> str:
    return "".join(str(child.meta.get("content", "")) for child in node.children)


def _heading_title(nodes: Sequence[Node], parts: list[str]) -> None:
    """The text the anchors plugin makes a heading's slug from: its text and
    code, images left out."""
    for node in nodes:
        name = node.name
        if name in ("text", "text_special"):
            parts.append(node.meta["content"])
        elif name == "code_inline":
            parts.append(_code_content(node))
        elif name == "autolink":
            parts.append(_autolink(node)[1])
        elif name in ("em", "strong", "strikethrough", "link"):
            _heading_title(node.children, parts)


def _unique(slug: str, taken: set[str]) -> str:
    """mdit_py_plugins.anchors' unique_slug."""
    unique, n = slug, 1
    while unique in taken:
        unique = f"{slug}-{n}"
        n += 1
    taken.add(unique)
    return unique


class _Writer:
    """Writes one document; ``out`` collects the HTML."""

    def __init__(
        self,
        source: str,
        allow_html: bool,
        prefix: str,
        pictures: Mapping[str, Picture],
        slug: Callable[[str], str],
    ) -> None:
        self.source = source
        self.allow_html = allow_html
        self.prefix = prefix  # the base path without its last "/"; "" at the root
        self.pictures = pictures
        self.slug = slug
        self.out: list[str] = []
        self.texts: list[str] = []
        self.first_paragraph = ""
        self.raw_html: list[tuple[int, str]] = []
        self.images: list[tuple[int, str, str]] = []
        self.links: list[tuple[int, str]] = []
        self.slugs: set[str] = set()
        self.opened = 0  # top-level blocks opened so far (markdown.py's _near_top)
        self.figure = False  # writing the image of a figure paragraph
        self.notes: dict[int, tuple[int, int]] = {}  # a reference's offset -> number, use
        self.note_order: dict[Any, int] = {}  # a definition's id -> its number
        self.note_uses: dict[int, int] = {}  # a number -> how often it is referred to
        self._newlines: list[int] | None = None

    # --- positions ------------------------------------------------------

    def line(self, node: Node) -> int:
        """The 0-based line where ``node`` starts (its srcmap counts bytes)."""
        span = node.srcmap
        if span is None:
            raise _Declined("no position")
        if self._newlines is None:
            data = self.source.encode()
            self._newlines = [m.start() for m in re.finditer(b"\n", data)]
        return bisect_right(self._newlines, span[0] - 1)

    # --- blocks ---------------------------------------------------------

    def document(self, root: Node) -> None:
        children = root.children
        notes = None
        if "[^" in self.source:
            self.number_notes(root)
        if children and children[-1].name == "footnote_container":
            notes = children[-1]
            children = children[:-1]
        self.blocks(children, top=True)
        if notes is not None and self.notes:
            self.footnotes(notes)

    def blocks(self, nodes: Sequence[Node], top: bool = False) -> None:
        out = self.out
        after_hidden = False  # the previous token was a tight list's hidden paragraph
        run: list[Node] = []
        for node in nodes:
            name = node.name
            if name in _INLINE:  # a tight list item's paragraph, shown without <p>
                run.append(node)
                continue
            if run:
                self.inline_block(run, _earliest(run), paragraph=True)
                run = []
                after_hidden = True
            if top and name in _OPENED:
                self.opened += 1
            if name == "paragraph":
                self.paragraph(node, top)
            elif name == "heading" or name == "lheading":
                level = node.meta["level"]
                children = node.children
                anchor = ""
                if 2 <= level <= 4:
                    parts: list[str] = []
                    _heading_title(children, parts)
                    anchor = f' id="{_escape(_unique(self.slug("".join(parts)), self.slugs))}"'
                out.append(f"{chr(10) if after_hidden else ''}<h{level}{anchor}>")
                self.inline_block(children, node)
                out.append(f"</h{level}>\n")
            elif name == "bullet_list" or name == "ordered_list":
                if after_hidden:
                    out.append("\n")
                if name == "bullet_list":
                    out.append("<ul>\n")
                else:
                    start = node.meta.get("start", 1)
                    out.append("<ol>\n" if start == 1 else f'<ol start="{start}">\n')
                for item in node.children:
                    if item.name != "list_item":
                        raise _Declined(item.name)
                    content = item.children
                    if not content:
                        out.append("<li></li>\n")
                        continue
                    out.append("<li>" if content[0].name in _INLINE else "<li>\n")
                    self.blocks(content)
                    out.append("</li>\n")
                out.append("</ul>\n" if name == "bullet_list" else "</ol>\n")
            elif name == "blockquote":
                content = node.children
                out.append("\n<blockquote>" if after_hidden else "<blockquote>")
                if content:
                    out.append("\n")
                    self.blocks(content)
                out.append("</blockquote>\n")
            elif name == "fence":
                self.fence(node)
            elif name == "code_block":
                out.append(f"<pre><code>{_escape(node.meta['content'])}</code></pre>\n")
            elif name == "html_block":
                content = node.meta["content"]
                self.raw_html.append((self.line(node), content))
                out.append(content if self.allow_html else f"<p>{html.escape(content)}</p>\n")
            elif name == "table":
                self.table(node, after_hidden)
            elif name == "hr":
                out.append("\n<hr />\n" if after_hidden else "<hr />\n")
            else:
                raise _Declined(name)
            after_hidden = False
        if run:
            self.inline_block(run, _earliest(run), paragraph=True)

    def paragraph(self, node: Node, top: bool) -> None:
        children = node.children
        figure = False
        if top:
            shown = [
                child
                for child in children
                if child.name not in ("text", "text_special") or child.meta["content"].strip()
            ]
            figure = len(shown) == 1 and shown[0].name == "image"
        if figure:
            self.out.append('<figure class="figure">')
            self.figure = True
            self.inline_block(children, node, paragraph=True)
            self.figure = False
            self.out.append("</figure>\n")
        else:
            self.out.append("<p>")
            self.inline_block(children, node, paragraph=True)
            self.out.append("</p>\n")

    def fence(self, node: Node) -> None:
        meta = node.meta
        info = unescapeAll(meta.get("info") or "").strip()
        content = _escape(node.meta["content"])
        if info:
            lang = _escape(meta.get("lang_prefix", "language-") + info.split(maxsplit=1)[0])
            self.out.append(f'<pre><code class="{lang}">{content}</code></pre>\n')
        else:
            self.out.append(f"<pre><code>{content}</code></pre>\n")

    def table(self, node: Node, after_hidden: bool) -> None:
        if node.srcmap is None:
            raise _Declined("no position")
        header = self.source.encode()[node.srcmap[0] :].split(b"\n", 1)[0]
        if b"|" not in header:
            # markdown-it-py reads a table only under a header with a "|"
            # ("1" over ":-" is a paragraph); markdown-it.rs needs none
            raise _Declined("table without a pipe in its header")
        out = self.out
        aligns = [_ALIGN.get(a, "") for a in node.meta.get("alignments", ())]
        out.append('<div class="table-wrap" tabindex="0">')
        out.append("\n<table>\n" if after_hidden else "<table>\n")
        for part in node.children:
            if part.name not in ("thead", "tbody"):
                raise _Declined(part.name)
            cell = "th" if part.name == "thead" else "td"
            out.append(f"<{part.name}>\n")
            for row in part.children:
                out.append("<tr>\n")
                for column, tcell in enumerate(row.children):
                    align = aligns[column] if column < len(aligns) else ""
                    out.append(f"<{cell}{align}>")
                    self.inline_block(tcell.children, row)
                    out.append(f"</{cell}>\n")
                out.append("</tr>\n")
            out.append(f"</{part.name}>\n")
        out.append("</table>\n</div>\n")

    # --- inline ---------------------------------------------------------

    def inline_block(self, nodes: Sequence[Node], where: Node, paragraph: bool = False) -> None:
        """One inline token of markdown-it-py: a paragraph's, a heading's or
        a table cell's text. ``where`` gives its line."""
        plain: list[str] = []
        self.inline(nodes, plain, where)
        text = "".join(plain)
        self.texts.append(text)
        if paragraph and not self.first_paragraph:
            self.first_paragraph = text

    def inline(self, nodes: Sequence[Node], plain: list[str], where: Node) -> None:
        out = self.out
        for node in nodes:
            name = node.name
            if name == "text" or name == "text_special":
                content = node.meta["content"]
                out.append(_escape(content))
                plain.append(content)
            elif name == "softbreak":
                out.append("\n")
                plain.append(" ")
            elif name == "hardbreak":
                out.append("<br />\n")
                plain.append(" ")
            elif name == "link":
                meta = node.meta
                url = meta["url"]
                _check_url(url)
                self.links.append((self.line(where), url))
                title = meta.get("title")
                title_attr = f' title="{_escape(title)}"' if title else ""
                out.append(f'<a href="{_escape(self.rooted(url))}"{title_attr}>')
                self.inline(node.children, plain, where)
                out.append("</a>")
            elif name == "strong" or name == "em" or name == "strikethrough":
                tag = "strong" if name == "strong" else "em" if name == "em" else "s"
                out.append(f"<{tag}>")
                self.inline(node.children, plain, where)
                out.append(f"</{tag}>")
            elif name == "code_inline":
                content = _code_content(node)
                if content and not content.strip(" "):
                    content = self.blank_code(node)
                out.append(f"<code>{_escape(content)}</code>")
                plain.append(content)
            elif name == "image":
                self.image(node, where)
            elif name == "html_inline":
                content = node.meta["content"]
                self.raw_html.append((self.line(where), content))
                out.append(content if self.allow_html else html.escape(content))
            elif name == "autolink":
                url, text = _autolink(node)
                _check_url(str(node.meta.get("url", "")))
                self.links.append((self.line(where), url))
                out.append(f'<a href="{_escape(self.rooted(url))}">{_escape(text)}</a>')
                plain.append(text)
            elif name == "footnote_ref":
                self.footnote_ref(node)
            elif name != "footnote_ref_anchor":  # the backlinks are written in footnotes()
                raise _Declined(name)

    def blank_code(self, node: Node) -> str:
        """A code span of spaces only, which CommonMark keeps whole and
        markdown-it.rs shortens by one space at each end: its spaces
        counted in the source."""
        span, ticks = node.srcmap, int(node.meta.get("marker_len", 0))
        if span is None or not ticks:
            raise _Declined("code span")
        written = self.source.encode()[span[0] : span[1]]
        if b"\n" in written or written.strip(b"`") != b" " * (len(written) - 2 * ticks):
            raise _Declined("code span")
        return " " * (len(written) - 2 * ticks)

    def rooted(self, url: str) -> str:
        """``url`` under the base path when it is written from the site root."""
        if self.prefix and url.startswith("/") and not url.startswith("//"):
            return self.prefix + url
        return url

    def image(self, node: Node, where: Node) -> None:
        meta = node.meta
        url = meta["url"]
        _check_url(url)
        children = node.children
        self.images.append((self.line(where), unquote(url), _alt_source(children)))
        eager = len(self.images) == 1 and self.opened <= 2
        title = meta.get("title") or ""
        src = self.rooted(url)
        alt = _alt_text(children)
        pic = self.pictures.get(unquote(src))
        if pic is None:
            title_attr = f' title="{_escape(title)}"' if title else ""
            self.out.append(f'<img src="{_escape(src)}" alt="{_escape(alt)}"{title_attr} />')
            return
        shown = picture_html(pic, alt, lazy=not eager, title="" if self.figure else title)
        if self.figure and title:
            shown += f"<figcaption>{html.escape(title)}</figcaption>"
        self.out.append(shown)

    # --- footnotes ------------------------------------------------------

    def number_notes(self, root: Node) -> None:
        """Number footnotes as mdit_py_plugins does: by their first
        reference in the text, definitions' own references in place."""
        refs = [node for node in root.walk() if node.name in ("footnote_ref", "footnote_inline")]
        order = self.note_order
        uses = self.note_uses
        placed: list[tuple[int, Node]] = []
        for ref in refs:
            if ref.name == "footnote_inline" or ref.srcmap is None:
                raise _Declined("inline footnote")
            placed.append((ref.srcmap[0], ref))
        if len(placed) != len(_FOOTNOTE_REF.findall(self.source)):
            # a reference markdown-it.rs dropped (one inside a definition no
            # one refers to, which the plugin still lists) or left as text
            raise _Declined("footnote references")
        placed.sort(key=lambda pair: pair[0])
        for offset, ref in placed:
            number = order.setdefault(ref.meta["def_id"], len(order) + 1)
            self.notes[offset] = (number, uses.get(number, 0))
            uses[number] = uses.get(number, 0) + 1

    def footnote_ref(self, node: Node) -> None:
        span = node.srcmap
        if span is None or span[0] not in self.notes:
            raise _Declined("footnote reference")
        number, use = self.notes[span[0]]
        ref = f"{number}:{use}" if use else str(number)
        self.out.append(
            f'<sup class="footnote-ref"><a href="#fn{number}" id="fnref{ref}">[{ref}]</a></sup>'
        )

    def footnotes(self, container: Node) -> None:
        definitions: dict[Any, Node] = {}
        for definition in container.children:
            if definition.name != "footnote_def":
                raise _Declined(definition.name)
            definitions[definition.meta["def_id"]] = definition
        out = self.out
        out.append(
            '<hr class="footnotes-sep" />\n<section class="footnotes">\n'
            '<ol class="footnotes-list">\n'
        )
        self.opened += 1  # footnote_block_open
        for def_id, number in self.note_order.items():
            if def_id not in definitions:
                raise _Declined("footnote without definition")
            definition = definitions[def_id]
            self.opened += 1  # footnote_open
            out.append(f'<li id="fn{number}" class="footnote-item">')
            content = [c for c in definition.children if c.name != "footnote_ref_anchor"]
            if content and content[0].name == "html_block":
                raise _Declined("raw HTML opening a footnote")  # markdown-it.rs keeps a space
            backrefs = "".join(
                _BACKREF.format(f"{number}:{use}" if use else number)
                for use in range(self.note_uses[number])
            )
            if content and content[-1].name == "paragraph":
                self.blocks(content[:-1])
                last = content[-1]
                out.append("<p>")
                self.inline_block(last.children, last, paragraph=True)
                out.append(backrefs + "</p>\n")
            else:
                self.blocks(content)
                out.append(backrefs)
            out.append("</li>\n")
        out.append("</ol>\n</section>\n")

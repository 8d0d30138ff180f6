"""A Markdown document as one tree, and the one writer of its HTML.

Whichever parser reads a body (markdown-it-py in :mod:`sitegen.core.markdown`,
or the faster markdown-it.rs in :mod:`sitegen.engine.fastmd`), it hands back
a tree of :class:`Node` in the vocabulary below, and :func:`write` turns that
tree into the article's HTML and collects what later stages need of it: the
first paragraph, the plain text, the raw HTML, the pictures and the links.
A feature of how an article is written out (heading anchors, figures,
footnotes, tables aligned by class, links under the base path) is written
here once.

The vocabulary (``meta`` keys in brackets):

- blocks: ``paragraph`` (``hidden``: a tight list item's, shown without
  ``<p>``), ``heading`` (``level``), ``bullet_list``, ``ordered_list``
  (``start``), ``list_item``, ``blockquote``, ``fence`` (``info``),
  ``code_block``, ``html_block``, ``table`` holding ``thead`` and ``tbody``,
  which hold ``tr``, which hold ``th`` or ``td`` (``align``), and ``hr``;
- inline: ``text``, ``softbreak``, ``hardbreak``, ``em``, ``strong``, ``s``,
  ``code``, ``html``, ``link`` (``title``), ``image`` (``title``; ``source``
  where the description is itself an image) and ``footnote_ref``
  (``number``, ``use``);
- the document's last child may be ``footnotes``, holding one ``footnote``
  (``number``, ``uses``) per note in the order of their numbers.

A block's ``children`` are blocks; a text block's (``paragraph``,
``heading``, ``th``, ``td``) and an inline node's ``inline`` are inline
nodes and plain strings, which are text (most of a document: a string is
smaller and quicker to make than a node). A node's ``text`` is its content
(code, raw HTML) or address (link, image); ``line`` is the 0-based line of
the body where its block starts, on the text blocks and ``tr`` that hold a
link, image or raw HTML and on ``html_block`` (the only lines asked for; a
reader may leave the others 0).

The HTML is markdown-it-py's, byte for byte, with sitegen's rules: raw HTML
escaped unless the site allows it, tables wrapped in a scrolling box and
aligned by class (no ``style`` attribute, which a Content-Security-Policy
without 'unsafe-inline' would refuse), headings of levels 2 to 4 given a
unique ``id``, a picture of the article's folder shown with its copies and
size (loaded at once only near the top), alone in a top-level paragraph a
figure captioned by the image's title, and a link or image written from the
site's root given the base path.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from linkify_it import LinkifyIt
from markdown_it.common.normalize_url import normalizeLink, normalizeLinkText

from sitegen.core.cjk import is_wide, joins_lines
from sitegen.core.images import Picture, picture_html
from sitegen.core.text import slugify


class Node:
    """One node of a Markdown tree (see the module's text)."""

    __slots__ = ("children", "inline", "line", "meta", "name", "text")

    def __init__(
        self,
        name: str,
        children: Sequence[Node] = (),
        text: str = "",
        line: int = 0,
        meta: Mapping[str, Any] | None = None,
        inline: Sequence[Inline] = (),
    ) -> None:
        self.name = name
        self.children = children  # blocks
        self.inline = inline  # a text's content
        self.text = text
        self.line = line
        self.meta: Mapping[str, Any] = meta or _NO_META

    def __repr__(self) -> str:
        held = list(self.children or self.inline)
        return f"Node({self.name!r}, {held!r}, {self.text!r}, {self.line})"


Inline = Node | str  # a piece of text is a plain string


_NO_META: Mapping[str, Any] = {}
SOFTBREAK = Node("softbreak")  # the same node wherever a line breaks
HARDBREAK = Node("hardbreak")

# blocks that markdown-it-py opens with a token (what counts as "near the top")
_OPENED = frozenset({"paragraph", "heading", "blockquote", "bullet_list", "ordered_list", "table"})
_TAGS = {"em": "em", "strong": "strong", "s": "s"}
_BACKREF = ' <a href="#fnref{}" class="footnote-backref">\u21a9\ufe0e</a>'


@dataclass(frozen=True, slots=True)
class Written:
    """What :func:`write` made of a tree; lines are 0-based."""

    html: str
    first_paragraph: str
    plain_text: str
    raw_html: tuple[tuple[int, str], ...]  # each piece of raw HTML, in order
    images: tuple[tuple[int, str, str], ...]  # line, address, description
    links: tuple[tuple[int, str], ...]
    # each heading whose level was closed up: line, its level, the level that
    # fits (one more than the heading above it), as written in Markdown, and
    # the level of the heading above it (0: none, it comes first)
    skipped_headings: tuple[tuple[int, int, int, int], ...] = ()
    everyday: bool = False  # everyday tags were written (see EVERYDAY_TAGS)


def write(
    root: Node,
    allow_html: bool,
    base_path: str,
    pictures: Mapping[str, Picture],
    files: Mapping[str, tuple[str, str]] | None = None,
) -> Written:
    """The HTML of the document ``root`` and what later stages need of it.
    ``files``: the attachments of the article's folder by name, each with
    its address and what a link to it says after its text."""
    writer = _Writer(allow_html, base_path.rstrip("/"), pictures, files or {})
    writer.document(root)
    return Written(
        html="".join(writer.out),
        first_paragraph=writer.first_paragraph,
        plain_text=" ".join(writer.texts),
        raw_html=tuple(writer.raw_html),
        images=tuple(writer.images),
        links=tuple(writer.links),
        skipped_headings=tuple(writer.skipped),
        everyday=writer.everyday > 0,
    )


def escape(text: str) -> str:
    """markdown-it's escapeHtml: ``&<>"``, not the apostrophe."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def heading_slug(title: str) -> str:
    return slugify(title) or "section"


def alt_text(nodes: Iterable[Inline]) -> str:
    """An image's description as its ``alt``: the text without markup, as
    CommonMark asks (markdown-it-py's renderInlineAsText)."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(node)
            continue
        name = node.name
        if name in ("code", "html"):
            parts.append(node.text)
        elif name in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif name in ("em", "strong", "s", "link", "image"):
            parts.append(alt_text(node.inline))
    return "".join(parts)


def alt_source(nodes: Iterable[Inline]) -> str:
    """An image's description as the article lists it: its text and code,
    an image inside it as written."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(node)
            continue
        name = node.name
        if name in ("code", "html"):
            parts.append(node.text)
        elif name in ("em", "strong", "s", "link"):
            parts.append(alt_source(node.inline))
        elif name == "image":
            parts.append(str(node.meta.get("source", "")))
    return "".join(parts)


def _heading_title(nodes: Iterable[Inline], parts: list[str]) -> None:
    """The text a heading's anchor is made from: its text and code, images
    left out."""
    for node in nodes:
        if isinstance(node, str):
            parts.append(node)
        elif node.name == "code":
            parts.append(node.text)
        elif node.name in ("em", "strong", "s", "link"):
            _heading_title(node.inline, parts)


# addresses in text: with a scheme, not "www." alone, nor "example.org",
# nor an e-mail address without "mailto:" (a file name such as "main.py"
# is not a link), nor "//" alone
_LINKIFY = LinkifyIt(options={"fuzzy_link": False, "fuzzy_email": False, "fuzzy_ip": False})
_LINKIFY.add("//", None)
SCHEME = re.compile(r"(?:https?|ftp|mailto):", re.IGNORECASE)  # what an address starts with
_HTML_LINK_OPEN = re.compile(r"<a[\s>]", re.IGNORECASE)
_HTML_LINK_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)


# Raw HTML that every article may use, whatever the site allows: line
# breaks, raised and lowered text, underlining, marking, keys, small
# print, insertions and deletions, written without attributes.
EVERYDAY_TAGS = ("br", "sup", "sub", "u", "mark", "kbd", "small", "ins", "del")
_EVERYDAY = re.compile(r"<(/?)(" + "|".join(EVERYDAY_TAGS) + r")\s*/?>", re.IGNORECASE)
# a caption under a picture, centred as old editors centre it
_ALIGNED = re.compile(
    r"<p\s+align\s*=\s*[\"']?(center|left|right)[\"']?\s*>(.*?)</p>", re.IGNORECASE | re.DOTALL
)
_TAG = re.compile(r"(</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>)")
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")
# the elements of HTML: a "tag" with another name (list<i32>, Vec<u8>) is text
HTML_ELEMENTS = frozenset(
    """a abbr address area article aside audio b base bdi bdo blockquote body br button
    canvas caption center cite code col colgroup data datalist dd del details dfn dialog
    div dl dt em embed fieldset figcaption figure font footer form frame frameset h1 h2
    h3 h4 h5 h6 head header hgroup hr html i iframe img input ins kbd label legend li
    link main map mark marquee menu meta meter nav noscript object ol optgroup option
    output p param picture pre progress q rp rt ruby s samp script search section select
    slot small source span strike strong style sub summary sup table tbody td template
    textarea tfoot th thead time title tr track tt u ul var video wbr""".split()  # noqa: SIM905
)


def everyday_tag(raw: str) -> str | None:
    """``raw`` as written on the page where it is an everyday tag
    (``<br/>``, ``</br>`` and ``<br>`` as ``<br />``), else None."""
    match = _EVERYDAY.fullmatch(raw.strip())
    if match is None:
        return None
    name = match.group(2).lower()
    if name == "br":
        return "<br />"
    return f"<{match.group(1)}{name}>"


def is_html(raw: str) -> bool:
    """Whether a piece of raw HTML is HTML: a comment, a declaration, or
    a tag of an element HTML has."""
    name = _TAG_NAME.match(raw)
    return name is None or name.group(1).lower() in HTML_ELEMENTS


def bare_links(text: str) -> list[tuple[int, int, str]]:
    """The addresses written as text in ``text`` (``https://…``,
    ``mailto:…``): where each starts and ends, and its URL. An address ends
    at the first East-Asian character or punctuation: in
    ``见https://example.org/a。`` the address is ``https://example.org/a``."""
    found: list[tuple[int, int, str]] = []
    if not _LINKIFY.pretest(text):
        return found
    for start, end in _latin_runs(text):
        run = text[start:end]
        if not _LINKIFY.pretest(run):
            continue
        for match in _LINKIFY.match(run) or ():
            found.append((start + match.index, start + match.last_index, match.url))
    return found


def _latin_runs(text: str) -> list[tuple[int, int]]:
    """Where ``text`` is not East-Asian wide, run by run."""
    runs: list[tuple[int, int]] = []
    start = None
    for at, char in enumerate(text):
        if is_wide(char):
            if start is not None:
                runs.append((start, at))
                start = None
        elif start is None:
            start = at
    if start is not None:
        runs.append((start, len(text)))
    return runs


# blocks that may hold headings
_CONTAINERS = frozenset(
    {"document", "blockquote", "bullet_list", "ordered_list", "list_item", "footnotes", "footnote"}
)


def skips_a_level(levels: Sequence[int]) -> bool:
    """Whether headings of these levels, in this order, skip a level (see
    ``_Writer.heading_level``)."""
    if not levels:
        return False
    highest, outline = min(levels), list[int]()
    for level in levels:
        while outline and outline[-1] >= level:
            outline.pop()
        if level > (outline[-1] if outline else highest - 1) + 1:
            return True
        outline.append(level)
    return False


def _highest_heading(root: Node) -> int:
    """The highest level (the smallest number) of the headings of the
    document ``root``: of those outside lists and quotes where there are
    any (the article's own outline), else of all; 0 where there is none."""
    levels: list[int] = [node.meta["level"] for node in root.children if node.name == "heading"]
    if levels:
        return min(levels)
    highest = 0
    todo = [root]
    while todo:
        node = todo.pop()
        if node.name == "heading":
            level = node.meta["level"]
            highest = level if not highest else min(highest, level)
        elif node.name in _CONTAINERS:
            todo.extend(node.children)
    return highest


def _last_char(plain: list[str]) -> str:
    """The last character of the text written so far, "" where there is none."""
    for text in reversed(plain):
        if text:
            return text[-1]
    return ""


def _first_char(nodes: Sequence[Inline], index: int) -> str:
    """The first character of the text from ``nodes[index]`` on (inside
    emphasis or a link too), "" where it does not start with text."""
    while index < len(nodes):
        node = nodes[index]
        if isinstance(node, str):
            if node:
                return node[0]
            index += 1
        elif node.name == "code":
            return node.text[:1]
        elif node.name in _TAGS or node.name == "link":
            nodes, index = node.inline, 0  # what follows it is not needed: it starts the text
        else:
            return ""
    return ""


# "## 什么是可观测性？ {#what-is-observability}": the anchor the author chose,
# as Hugo, Pandoc and kramdown write it
_CHOSEN_ANCHOR = re.compile(r"\s*\{#([A-Za-z0-9][\w.:-]*)\}\s*$")


def _chosen_anchor(node: Node) -> tuple[Node, str]:
    """A heading without the ``{#anchor}`` its text ends with, and that
    anchor; the heading as it is and "" where it names none."""
    held = list(node.inline)
    start = len(held)
    while start > 0 and isinstance(held[start - 1], str):
        start -= 1
    tail = "".join(held[start:])  # type: ignore[arg-type]
    found = _CHOSEN_ANCHOR.search(tail)
    if found is None:
        return node, ""
    text = tail[: found.start()]
    kept = [*held[:start], *([text] if text else [])]
    return Node(node.name, line=node.line, meta=node.meta, inline=kept), found.group(1)


def _unique(slug: str, taken: set[str]) -> str:
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
        allow_html: bool,
        prefix: str,
        pictures: Mapping[str, Picture],
        files: Mapping[str, tuple[str, str]],
    ) -> None:
        self.allow_html = allow_html
        self.prefix = prefix  # the base path without its last "/"; "" at the root
        self.pictures = pictures
        self.files = files
        self.out: list[str] = []
        self.texts: list[str] = []
        self.first_paragraph = ""
        self.raw_html: list[tuple[int, str]] = []
        self.images: list[tuple[int, str, str]] = []
        self.links: list[tuple[int, str]] = []
        self.slugs: set[str] = set()
        self.opened = 0  # top-level blocks opened so far
        self.figure = False  # writing the image of a figure paragraph
        self.html_links = 0  # <a> tags of raw HTML open
        self.everyday = 0  # everyday tags written (see EVERYDAY_TAGS)
        # an article's headings start at <h2>, under the page's <h1>, and
        # skip no level (see heading_level): the highest level written in
        # Markdown, the headings above the one at hand (each one's level in
        # Markdown and on the page), and each heading closed up (its line,
        # its level, the level that fits)
        self.highest = 0
        self.outline: list[tuple[int, int]] = []
        self.skipped: list[tuple[int, int, int, int]] = []

    # --- blocks ---------------------------------------------------------

    def document(self, root: Node) -> None:
        self.highest = _highest_heading(root)
        children = root.children
        if children and children[-1].name == "footnotes":
            self.blocks(children[:-1], top=True)
            self.footnotes(children[-1])
        else:
            self.blocks(children, top=True)

    def blocks(self, nodes: Iterable[Node], top: bool = False) -> None:
        out = self.out
        after_hidden = False  # the previous block was a tight list's paragraph
        for node in nodes:
            name = node.name
            if top and name in _OPENED:
                self.opened += 1
            if name == "paragraph":
                if node.meta.get("hidden"):
                    self.inline_block(node, paragraph=True)
                    after_hidden = True
                    continue
                self.paragraph(node, top)
            elif name == "heading":
                self.heading(node, after_hidden)
            elif name == "bullet_list" or name == "ordered_list":
                self.a_list(node, after_hidden)
            elif name == "blockquote":
                out.append("\n<blockquote>" if after_hidden else "<blockquote>")
                if node.children:
                    out.append("\n")
                    self.blocks(node.children)
                out.append("</blockquote>\n")
            elif name == "fence":
                info = node.meta.get("info", "")
                content = escape(node.text)
                if info:
                    lang = escape("language-" + info.split(maxsplit=1)[0])
                    out.append(f'<pre><code class="{lang}">{content}</code></pre>\n')
                else:
                    out.append(f"<pre><code>{content}</code></pre>\n")
            elif name == "code_block":
                out.append(f"<pre><code>{escape(node.text)}</code></pre>\n")
            elif name == "html_block":
                self.html_block(node)
            elif name == "table":
                self.table(node, after_hidden)
            elif name == "hr":
                out.append("\n<hr />\n" if after_hidden else "<hr />\n")
            else:
                raise ValueError(f"not a block of a Markdown tree: {name}")
            after_hidden = False

    def paragraph(self, node: Node, top: bool) -> None:
        figure = False
        if top:
            shown = [c for c in node.inline if not isinstance(c, str) or c.strip()]
            figure = len(shown) == 1 and isinstance(shown[0], Node) and shown[0].name == "image"
        if figure:
            self.out.append('<figure class="figure">')
            self.figure = True
            self.inline_block(node, paragraph=True)
            self.figure = False
            self.out.append("</figure>\n")
        else:
            self.out.append("<p>")
            self.inline_block(node, paragraph=True)
            self.out.append("</p>\n")

    def heading(self, node: Node, after_hidden: bool) -> None:
        level = self.heading_level(node)
        node, chosen = _chosen_anchor(node)
        anchor = ""
        if chosen:
            self.slugs.add(chosen)
            anchor = f' id="{escape(chosen)}"'
        elif 2 <= level <= 4:
            parts: list[str] = []
            _heading_title(node.inline, parts)
            anchor = f' id="{escape(_unique(heading_slug("".join(parts)), self.slugs))}"'
        self.out.append(f"{chr(10) if after_hidden else ''}<h{level}{anchor}>")
        self.inline_block(node)
        self.out.append(f"</h{level}>\n")

    def heading_level(self, node: Node) -> int:
        """The level ``node`` is written at: one below the heading it belongs
        under (the last one of a higher level), the highest at ``<h2>``
        under the page's ``<h1>``; a level skipped is closed up, and said."""
        source, outline = node.meta["level"], self.outline
        while outline and outline[-1][0] >= source:
            outline.pop()
        above, level = (outline[-1][0], outline[-1][1] + 1) if outline else (self.highest - 1, 2)
        if source > above + 1:
            self.skipped.append((node.line, source, above + 1, outline[-1][0] if outline else 0))
        outline.append((source, min(level, 6)))
        return min(level, 6)

    def a_list(self, node: Node, after_hidden: bool) -> None:
        out = self.out
        if after_hidden:
            out.append("\n")
        if node.name == "bullet_list":
            out.append("<ul>\n")
        else:
            start = node.meta.get("start", 1)
            out.append("<ol>\n" if start == 1 else f'<ol start="{start}">\n')
        for item in node.children:
            content = item.children
            if not content:
                out.append("<li></li>\n")
                continue
            hidden = content[0].name == "paragraph" and content[0].meta.get("hidden")
            out.append("<li>" if hidden else "<li>\n")
            self.blocks(content)
            out.append("</li>\n")
        out.append("</ul>\n" if node.name == "bullet_list" else "</ol>\n")

    def table(self, node: Node, after_hidden: bool) -> None:
        out = self.out
        out.append('<div class="table-wrap" tabindex="0">')
        out.append("\n<table>\n" if after_hidden else "<table>\n")
        for part in node.children:
            out.append(f"<{part.name}>\n")
            for row in part.children:
                out.append("<tr>\n")
                for cell in row.children:
                    align = cell.meta.get("align")
                    out.append(
                        f'<{cell.name} class="align-{align}">' if align else f"<{cell.name}>"
                    )
                    self.inline_block(cell, where=row.line)
                    out.append(f"</{cell.name}>\n")
                out.append("</tr>\n")
            out.append(f"</{part.name}>\n")
        out.append("</table>\n</div>\n")

    # --- inline ---------------------------------------------------------

    def inline_block(self, node: Node, paragraph: bool = False, where: int | None = None) -> None:
        """The text of a paragraph, heading or table cell; its links and
        raw HTML are on ``where`` (the block's line if not given)."""
        plain: list[str] = []
        self.inline(node.inline, plain, node.line if where is None else where)
        text = "".join(plain)
        self.texts.append(text)
        if paragraph and not self.first_paragraph:
            self.first_paragraph = text

    def inline(self, nodes: Sequence[Inline], plain: list[str], line: int) -> None:
        """Written without recursion: emphasis may nest hundreds deep."""
        out = self.out
        stack: list[tuple[Sequence[Inline], int, str]] = []  # the rest of each level, its end tag
        index, closing = 0, ""
        while True:
            if index == len(nodes):
                if not stack:
                    return
                out.append(closing)
                nodes, index, closing = stack.pop()
                continue
            node = nodes[index]
            index += 1
            if isinstance(node, str):
                if index < len(nodes) and isinstance(nodes[index], str):  # one text, in pieces
                    start = index - 1
                    while index < len(nodes) and isinstance(nodes[index], str):
                        index += 1
                    node = "".join(nodes[start:index])  # type: ignore[arg-type]
                plain.append(node)
                if ":" in node and SCHEME.search(node) and not self.in_link(stack, closing):
                    self.linked(node, line)
                else:
                    out.append(escape(node))
                continue
            name = node.name
            if name == "softbreak":
                line += 1
                if joins_lines(_last_char(plain), _first_char(nodes, index)):
                    continue  # between two Chinese characters: nothing (see sitegen.core.cjk)
                out.append("\n")
                plain.append(" ")
            elif name == "hardbreak":
                line += 1
                out.append("<br />\n")
                plain.append(" ")
            elif name in _TAGS:
                out.append(f"<{_TAGS[name]}>")
                stack.append((nodes, index, closing))
                nodes, index, closing = node.inline, 0, f"</{_TAGS[name]}>"
            elif name == "link":
                self.links.append((line, node.text))
                title = node.meta.get("title")
                title_attr = f' title="{escape(title)}"' if title else ""
                out.append(f'<a href="{escape(self.address(node.text))}"{title_attr}>')
                stack.append((nodes, index, closing))
                nodes, index, closing = node.inline, 0, "</a>" + self.file_note(node.text)
            elif name == "code":
                out.append(f"<code>{escape(node.text)}</code>")
                plain.append(node.text)
            elif name == "image":
                self.image(node, line)
            elif name == "html":
                self.html(node.text, line, plain)
            elif name == "footnote_ref":
                number, use = node.meta["number"], node.meta["use"]
                ref = f"{number}:{use}" if use else str(number)
                out.append(
                    f'<sup class="footnote-ref"><a href="#fn{number}" id="fnref{ref}">'
                    f"[{ref}]</a></sup>"
                )
            else:
                raise ValueError(f"not inline in a Markdown tree: {name}")

    def html(self, raw: str, line: int, plain: list[str]) -> None:
        """A piece of raw HTML in a paragraph: an everyday tag (see
        :data:`EVERYDAY_TAGS`) as it is, the rest as the site allows (as
        it is, or shown as text), and told of; what is not an HTML tag at
        all (``list<i32>``) is text."""
        everyday = everyday_tag(raw)
        if everyday is not None:
            self.everyday += 1
            self.out.append(everyday)
            return
        if not is_html(raw):
            self.out.append(escape(raw))
            plain.append(raw)
            return
        if _HTML_LINK_OPEN.match(raw):
            self.html_links += 1
        elif _HTML_LINK_CLOSE.match(raw):
            self.html_links = max(0, self.html_links - 1)
        self.raw_html.append((line, raw))
        self.out.append(raw if self.allow_html else html.escape(raw))

    def html_block(self, node: Node) -> None:
        """A block of raw HTML: a centred caption (``<p align="center">``)
        as a paragraph of that class, the rest as the site allows."""
        caption = _ALIGNED.fullmatch(node.text.strip())
        if caption is not None:
            self.out.append(f'<p class="align-{caption.group(1).lower()}">')
            plain: list[str] = []
            for piece in _TAG.split(caption.group(2)):
                if _TAG.fullmatch(piece):
                    self.html(piece, node.line, plain)
                elif piece:
                    self.out.append(escape(piece))
                    plain.append(piece)
            self.texts.append("".join(plain))
            self.out.append("</p>\n")
            return
        self.raw_html.append((node.line, node.text))
        out = self.out
        out.append(node.text if self.allow_html else f"<p>{html.escape(node.text)}</p>\n")

    def in_link(self, stack: list[tuple[Sequence[Inline], int, str]], closing: str) -> bool:
        """Whether the text at hand is a link's (written in Markdown or HTML):
        ``closing`` ends the span it is in, ``stack`` those around it."""
        if self.html_links > 0 or closing.startswith("</a>"):
            return True
        return any(outer.startswith("</a>") for _, _, outer in stack)

    def linked(self, text: str, line: int) -> None:
        """``text`` with each address written in it made a link (see
        :func:`bare_links`)."""
        out, done = self.out, 0
        for start, end, url in bare_links(text):
            self.links.append((line, url))
            out.append(escape(text[done:start]))
            shown = escape(normalizeLinkText(text[start:end]))
            out.append(f'<a href="{escape(normalizeLink(url))}">{shown}</a>')
            done = end
        out.append(escape(text[done:]))

    def rooted(self, url: str) -> str:
        """``url`` under the base path when it is written from the site root."""
        if self.prefix and url.startswith("/") and not url.startswith("//"):
            return self.prefix + url
        return url

    def address(self, url: str) -> str:
        """Where a link written as ``url`` leads: to a picture or an
        attachment of the article's folder where it names one (published in
        its media folder, not beside the page), else as written."""
        name, mark, rest = url.partition("#")
        if not name or name[:1] == "/":
            return self.rooted(url)
        found = self.files.get(unquote(name))
        if found is not None:
            return self.prefix + found[0] + mark + rest
        pic = self.pictures.get(unquote(name))
        if pic is None or not pic.folder:
            return self.rooted(url)
        return self.prefix + pic.href + mark + rest

    def file_note(self, url: str) -> str:
        """After a link to an attachment: what it is and how large."""
        found = self.files.get(unquote(url.partition("#")[0])) if self.files else None
        return f'<span class="file-info">{escape(found[1])}</span>' if found else ""

    def image(self, node: Node, line: int) -> None:
        url = node.text
        self.images.append((line, unquote(url), alt_source(node.inline)))
        eager = len(self.images) == 1 and self.opened <= 2
        title = node.meta.get("title") or ""
        src = self.rooted(url)
        alt = alt_text(node.inline)
        pic = self.pictures.get(unquote(src))
        if pic is None:
            title_attr = f' title="{escape(title)}"' if title else ""
            self.out.append(f'<img src="{escape(src)}" alt="{escape(alt)}"{title_attr} />')
            return
        shown = picture_html(
            pic, alt, lazy=not eager, title="" if self.figure else title, base=self.prefix
        )
        if self.figure and title:
            shown += f"<figcaption>{html.escape(title)}</figcaption>"
        self.out.append(shown)

    # --- footnotes ------------------------------------------------------

    def footnotes(self, container: Node) -> None:
        out = self.out
        out.append(
            '<hr class="footnotes-sep" />\n<section class="footnotes">\n'
            '<ol class="footnotes-list">\n'
        )
        self.opened += 1  # the list of notes
        for note in container.children:
            number = note.meta["number"]
            self.opened += 1  # the note
            out.append(f'<li id="fn{number}" class="footnote-item">')
            backrefs = "".join(
                _BACKREF.format(f"{number}:{use}" if use else number)
                for use in range(note.meta["uses"])
            )
            content = note.children
            if content and content[-1].name == "paragraph":
                self.blocks(content[:-1])
                last = content[-1]
                out.append("<p>")
                self.inline_block(last, paragraph=True)
                out.append(backrefs + "</p>\n")
            else:
                self.blocks(content)
                out.append(backrefs)
            out.append("</li>\n")
        out.append("</ol>\n</section>\n")

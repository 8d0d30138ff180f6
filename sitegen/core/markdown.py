"""Markdown read by markdown-it-py: CommonMark, tables, strikethrough, footnotes.

:func:`render_markdown` is what the parse stage calls. The body is read
into sitegen's Markdown tree, by markdown-it-py here or by a faster reader
the caller hands in (the engine's markdown-it.rs, which leaves what it
cannot be trusted with to markdown-it-py), and written out by
:mod:`sitegen.core.mdtree`, whichever parser read it.

Raw HTML in an article is escaped (shown as text) unless the site allows
it; either way every occurrence is reported with its line so that the
editor sees what happened. Where the site allows it, the page is still
passed through an allow-list sanitiser (``nh3``, the binding of the Rust
``ammonia``): scripts, frames, ``on…`` attributes, styles and
``javascript:`` links never reach it, and each one removed is reported.
The ``attrs`` plugin is deliberately left out: it would let an article set
any attribute, ``onclick`` included.

It needs markdown-it-py 4.0 or newer (``pyproject.toml`` says so): earlier
versions read a run of link reference definitions in quadratic time, so
that an article of a few thousand of them took minutes. Long runs of ``[``
and other bracket-heavy text take linear time there.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import unescapeAll
from markdown_it.rules_inline.state_inline import Scanned, StateInline
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from sitegen.core.cjk import scan_delimiters
from sitegen.core.images import Picture
from sitegen.core.mdtree import HARDBREAK, SOFTBREAK, Inline, Node, write


@dataclass(frozen=True, slots=True)
class BodyImage:
    line: int  # 0-based, relative to the body
    src: str
    alt: str


@dataclass(frozen=True, slots=True)
class Rendered:
    """A Markdown body rendered to HTML, with what later stages need of it."""

    html: str
    first_paragraph: str
    plain_text: str
    raw_html_lines: tuple[int, ...] = ()  # 0-based, relative to the body
    # the first piece of raw HTML on each of those lines, by line
    raw_html_pieces: tuple[tuple[int, str], ...] = ()
    # with raw HTML allowed: what the sanitiser removed, by 0-based body line
    removed_html: tuple[tuple[int, str], ...] = ()
    images: tuple[BodyImage, ...] = ()
    links: tuple[tuple[int, str], ...] = field(default=())
    # each heading whose level skipped one: line, its level, the level that
    # fits, the level of the heading above it (0: none)
    skipped_headings: tuple[tuple[int, int, int, int], ...] = ()


# What raw HTML may keep where a site allows it: nh3's defaults (text
# formatting, lists, tables, quotes, images) and the markup sitegen itself
# writes (pictures with their copies, figures, footnotes, heading anchors).
HTML_TAGS = (nh3.ALLOWED_TAGS | {"picture", "source", "section"}) - {"area", "map"}
HTML_ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"class", "id", "lang", "title", "dir"},
    "div": {"tabindex"},
    "img": {"alt", "src", "srcset", "sizes", "width", "height", "loading", "decoding"}
    | {"fetchpriority", "title"},
    "source": {"srcset", "sizes", "type", "media"},
    "a": {"href", "hreflang"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_URL_ATTRIBUTES = {"href", "src", "srcset", "cite", "action", "formaction", "data", "poster"}


def sanitize(body_html: str) -> str:
    """``body_html`` with only the allowed tags, attributes and URL schemes."""
    return nh3.clean(
        body_html,
        tags=HTML_TAGS,
        attributes=HTML_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


class _Unsafe(HTMLParser):
    """Names what :func:`sanitize` would remove from a piece of raw HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in HTML_TAGS:
            self.found.append(f"<{tag}>")
            return  # removed whole, attributes and all
        allowed = HTML_ATTRIBUTES.get(tag, set()) | HTML_ATTRIBUTES["*"]
        for name, value in attrs:
            if name not in allowed:
                self.found.append(f"{name}=")
            elif name in _URL_ATTRIBUTES and value:
                scheme = re.match(r"\s*([A-Za-z][A-Za-z0-9+.\-]*):", value.replace("\t", ""))
                if scheme and scheme.group(1).lower() not in URL_SCHEMES:
                    self.found.append(f"{scheme.group(1).lower()}: link")

    def parse_html_declaration(self, i: int) -> int:
        """html.parser asserts on a ``<!`` it cannot name (``<![](/x)``);
        such text is read as text, which is what the sanitiser makes of it."""
        try:
            return super().parse_html_declaration(i)
        except AssertionError:
            return -1


def unsafe_html(raw: str) -> list[str]:
    """The tags, attributes and links of ``raw`` that the sanitiser removes."""
    scanner = _Unsafe()
    scanner.feed(raw)
    scanner.close()
    return list(dict.fromkeys(scanner.found))


Reader = Callable[[str], Node | None]
"""A parser of Markdown into sitegen's tree (see :mod:`sitegen.core.mdtree`),
or ``None`` where it leaves a text to markdown-it-py."""


@cache
def markdown_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "typographer": False})
    md.enable(["table", "strikethrough"])
    # the notes are gathered at the end by read_markdown(), which also keeps
    # a definition written inside another whole
    md.use(footnote_plugin, move_to_end=False)
    md.use(cjk_friendly)
    return md


def cjk_friendly(md: MarkdownIt) -> None:
    """A markdown-it-py plugin: emphasis and strikethrough by the
    CJK-friendly amendment to CommonMark (see :mod:`sitegen.core.cjk`)."""
    for name in ("emphasis", "strikethrough"):
        rule = next(r for r in md.inline.ruler.__rules__ if r.name == name)
        md.inline.ruler.at(name, _cjk_friendly(rule.fn))


def _cjk_friendly(rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    """``rule`` (emphasis or strikethrough) with delimiter runs read by the
    CJK-friendly amendment (:func:`sitegen.core.cjk.scan_delimiters`)."""

    def tokenize(state: StateInline, silent: bool) -> bool:
        if "scanDelims" not in vars(state):
            state.scanDelims = functools.partial(_scan, state)  # type: ignore[method-assign]
        return rule(state, silent)

    return tokenize


def _scan(state: StateInline, start: int, can_split_word: bool) -> Scanned:
    found = scan_delimiters(state.src, start, state.posMax, can_split_word)
    return Scanned(found.can_open, found.can_close, found.length)


def read_markdown(body: str) -> Node:
    """``body`` parsed by markdown-it-py into sitegen's tree."""
    env: dict[str, Any] = {}
    tokens = markdown_parser().parse(body, env)
    root: list[Inline] = []
    current = root
    opened: list[tuple[list[Inline], Token]] = []
    notes: dict[str, list[Inline]] = {}  # each footnote definition's blocks, by label
    for token in tokens:
        if token.nesting == 1:
            opened.append((current, token))
            current = []
        elif token.nesting == -1:
            children = current
            current, opening = opened.pop()
            if opening.type == "footnote_reference_open":
                notes[opening.meta["label"]] = children
            else:
                current.append(_block(opening, children))
        elif token.type == "inline":
            current.extend(_inline(token.children or ()))
        else:
            current.append(_leaf(token, token.map[0] if token.map else 0))
    if env.get("footnotes", {}).get("list"):
        root.append(_footnotes(env["footnotes"]["list"], notes))
    return Node("document", _blocks(root))


def _footnotes(listed: Mapping[int, Mapping[str, Any]], notes: Mapping[str, list[Inline]]) -> Node:
    """The notes referred to, by number: a definition's blocks, or an
    inline note's text as a paragraph."""
    found: list[Node] = []
    for number, note in sorted(listed.items()):
        if "tokens" in note:
            content = [Node("paragraph", inline=_inline(note["tokens"]))]
        else:
            content = _blocks(notes.get(note.get("label", ""), []))
        meta = {"number": number + 1, "uses": max(note.get("count", 0), 1)}
        found.append(Node("footnote", content, meta=meta))
    return Node("footnotes", found)


def _block(opening: Token, held: list[Inline]) -> Node:
    line = opening.map[0] if opening.map else 0
    kind = opening.type[: -len("_open")]
    if kind == "paragraph":
        return Node(kind, line=line, meta=_HIDDEN if opening.hidden else None, inline=held)
    if kind == "heading":
        return Node(kind, line=line, meta={"level": int(opening.tag[1:])}, inline=held)
    if kind == "ordered_list":
        start = opening.attrGet("start") or 1
        return Node(kind, _blocks(held), line=line, meta={"start": start})
    if kind in ("th", "td"):
        style = str(opening.attrGet("style") or "")
        align = style[len("text-align:") :] if style.startswith("text-align:") else ""
        return Node(kind, line=line, meta={"align": align} if align else None, inline=held)
    return Node(kind, _blocks(held), line=line)


def _blocks(held: list[Inline]) -> list[Node]:
    """What a block holds that is not text: blocks (a container holds no text)."""
    return [node for node in held if isinstance(node, Node)]


def _leaf(token: Token, line: int) -> Node:
    if token.type == "fence":
        info = unescapeAll(token.info).strip()
        return Node("fence", text=token.content, line=line, meta={"info": info} if info else None)
    if token.type in ("code_block", "html_block", "hr"):
        return Node(token.type, text=token.content, line=line)
    raise ValueError(f"a Markdown block sitegen does not know: {token.type}")


def _inline(tokens: Sequence[Token]) -> list[Inline]:
    out: list[Inline] = []
    opened: list[tuple[list[Inline], Token]] = []
    for token in tokens:
        kind = token.type
        if kind == "text" or kind == "text_special":
            out.append(token.content)
        elif kind == "softbreak" or kind == "hardbreak":
            out.append(SOFTBREAK if kind == "softbreak" else HARDBREAK)
        elif token.nesting == 1:
            opened.append((out, token))
            out = []
        elif token.nesting == -1:
            children = out
            out, opening = opened.pop()
            if opening.type == "link_open":
                title = opening.attrGet("title")
                href = str(opening.attrGet("href") or "")
                meta = {"title": title} if title else None
                out.append(Node("link", text=href, meta=meta, inline=children))
            else:
                out.append(Node(opening.type[: -len("_open")], inline=children))
        elif kind == "code_inline":
            out.append(Node("code", text=token.content))
        elif kind == "html_inline":
            out.append(Node("html", text=token.content))
        elif kind == "image":
            title = token.attrGet("title")
            meta = {"source": token.content, **({"title": title} if title else {})}
            src = str(token.attrGet("src") or "")
            out.append(Node("image", text=src, meta=meta, inline=_inline(token.children or ())))
        elif kind == "footnote_ref":
            meta = {"number": token.meta["id"] + 1, "use": token.meta.get("subId", 0)}
            out.append(Node("footnote_ref", meta=meta))
        else:
            raise ValueError(f"a Markdown span sitegen does not know: {kind}")
    return out


_HIDDEN = {"hidden": True}


def render_markdown(
    body: str,
    allow_html: bool,
    base_path: str = "/",
    pictures: Mapping[str, Picture] | None = None,
    read: Reader | None = None,
    files: Mapping[str, tuple[str, str]] | None = None,
) -> Rendered:
    """Render ``body`` and collect its first paragraph, raw HTML and images.

    ``read`` parses it, or markdown-it-py where ``read`` is not given or
    leaves the text to it. An image found in ``pictures`` (the article
    folder's, by file name) is shown with its copies and size; one alone in
    a paragraph becomes a figure. Only a picture at the very top loads at
    once, the rest lazily.

    A link or image written from the site's root (``/news/2020/04/x/``) is
    given the base path, so that it still works when the site is published
    under a sub-path such as ``/xindu/``; the collected links keep what the
    editor wrote.
    """
    tree = read(body) if read is not None else None
    written = write(
        tree if tree is not None else read_markdown(body),
        allow_html,
        base_path,
        pictures or {},
        files,
    )
    removed = (
        [(n, what) for n, raw in written.raw_html for what in unsafe_html(raw)]
        if allow_html
        else []
    )
    return Rendered(
        # the tags of the page kept, and closed where an article left them open
        html=sanitize(written.html) if allow_html or written.everyday else written.html,
        first_paragraph=written.first_paragraph,
        plain_text=written.plain_text,
        raw_html_lines=tuple(sorted({line for line, _ in written.raw_html})),
        raw_html_pieces=tuple(sorted(dict(reversed(written.raw_html)).items())),
        removed_html=tuple(dict.fromkeys(removed)) if allow_html else (),
        images=tuple(BodyImage(*image) for image in written.images),
        links=written.links,
        skipped_headings=written.skipped_headings,
    )


def is_external(url: str) -> bool:
    """Whether ``url`` points at another host (or a scheme-relative one)."""
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc) or url.startswith("//")

"""The markdown-it-py setup: CommonMark, tables, footnotes, heading anchors.

Raw HTML in an article is escaped (shown as text) unless the site allows
it; either way every occurrence is reported with its line so that the
editor sees what happened. Where the site allows it, the page is still
passed through an allow-list sanitiser (``nh3``, the binding of the Rust
``ammonia``): scripts, frames, ``on…`` attributes, styles and
``javascript:`` links never reach it, and each one removed is reported.
The ``attrs`` plugin is deliberately left out: it would let an article set
any attribute, ``onclick`` included. No ``style`` attribute is written
either (table columns are aligned by class), so that the site's
Content-Security-Policy can refuse inline styles.

It needs markdown-it-py 4.0 or newer (``pyproject.toml`` says so): earlier
versions read a run of link reference definitions in quadratic time, so
that an article of a few thousand of them took minutes. Long runs of ``[``
and other bracket-heavy text take linear time there.

markdown-it-py is the reference; most articles are parsed by markdown-it.rs
instead, several times faster, and written from its tree by
:mod:`sitegen.core.mdtree` to the same HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote, urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from sitegen.core.images import Picture, picture_html
from sitegen.core.mdtree import render_tree
from sitegen.core.text import slugify


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
    # with raw HTML allowed: what the sanitiser removed, by 0-based body line
    removed_html: tuple[tuple[int, str], ...] = ()
    images: tuple[BodyImage, ...] = ()
    links: tuple[tuple[int, str], ...] = field(default=())


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


def _heading_slug(title: str) -> str:
    return slugify(title) or "section"


def _escape_raw(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    content = html.escape(tokens[idx].content)
    return f"<p>{content}</p>\n" if tokens[idx].type == "html_block" else content


def _table_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return '<div class="table-wrap" tabindex="0">' + self.renderToken(tokens, idx, options, env)


def _table_cell(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """A cell aligned by a class, not by a ``style`` attribute (which a
    Content-Security-Policy without 'unsafe-inline' would refuse)."""
    token = tokens[idx]
    style = str(token.attrGet("style") or "")
    align = re.fullmatch(r"text-align:(left|center|right)", style)
    if align:
        token.attrs.pop("style", None)
        token.attrSet("class", f"align-{align.group(1)}")
    return self.renderToken(tokens, idx, options, env)


def _table_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return self.renderToken(tokens, idx, options, env) + "</div>\n"


def _image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """A picture of the article's folder with its copies and size; alone in
    its paragraph, a figure whose caption is the image's title."""
    token = tokens[idx]
    pic = env.get("pictures", {}).get(unquote(str(token.attrGet("src") or "")))
    if pic is None:
        return self.image(tokens, idx, options, env)
    alt = self.renderInlineAsText(token.children or [], options, env)
    title = str(token.attrGet("title") or "")
    figure = bool(token.meta.get("figure"))
    shown = picture_html(pic, alt, lazy=not token.meta.get("eager"), title="" if figure else title)
    if figure and title:
        shown += f"<figcaption>{html.escape(title)}</figcaption>"
    return shown


@cache
def markdown_parser(allow_html: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.use(anchors_plugin, min_level=2, max_level=4, slug_func=_heading_slug)
    if not allow_html:
        md.add_render_rule("html_block", _escape_raw)
        md.add_render_rule("html_inline", _escape_raw)
    md.add_render_rule("table_open", _table_open)
    md.add_render_rule("table_close", _table_close)
    md.add_render_rule("th_open", _table_cell)
    md.add_render_rule("td_open", _table_cell)
    md.add_render_rule("image", _image)
    return md


def _plain(inline: Token) -> str:
    parts: list[str] = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def render_markdown(
    body: str,
    allow_html: bool,
    base_path: str = "/",
    pictures: Mapping[str, Picture] | None = None,
) -> Rendered:
    """Render ``body`` and collect its first paragraph, raw HTML and images.

    markdown-it.rs parses it where it can be trusted with the text (see
    :mod:`sitegen.core.mdtree`), several times faster; markdown-it-py, with the
    same result, everywhere else.
    """
    tree = render_tree(body, allow_html, base_path, pictures or {}, _heading_slug)
    if tree is None:
        return render_with_markdown_it(body, allow_html, base_path, pictures)
    removed = (
        [(n, what) for n, raw in tree.raw_html for what in unsafe_html(raw)] if allow_html else []
    )
    return Rendered(
        html=sanitize(tree.html) if allow_html else tree.html,
        first_paragraph=tree.first_paragraph,
        plain_text=tree.plain_text,
        raw_html_lines=tuple(sorted({line for line, _ in tree.raw_html})),
        removed_html=tuple(dict.fromkeys(removed)) if allow_html else (),
        images=tuple(BodyImage(*image) for image in tree.images),
        links=tree.links,
    )


def render_with_markdown_it(
    body: str,
    allow_html: bool,
    base_path: str = "/",
    pictures: Mapping[str, Picture] | None = None,
) -> Rendered:
    """Render ``body`` with markdown-it-py and collect its first paragraph,
    raw HTML and images.

    An image found in ``pictures`` (the article folder's, by file name) is
    shown with its copies and size; one alone in a paragraph becomes a
    figure. Only a picture at the very top loads at once, the rest lazily.

    A link or image written from the site's root (``/news/2020/04/x/``) is
    given the base path, so that it still works when the site is published
    under a sub-path such as ``/xindu/``; the collected links keep what the
    editor wrote.
    """
    md = markdown_parser(allow_html)
    env: dict[str, Any] = {}
    tokens = md.parse(body, env)
    env["pictures"] = pictures or {}
    first_paragraph = ""
    texts: list[str] = []
    raw_lines: list[int] = []
    removed: list[tuple[int, str]] = []
    images: list[BodyImage] = []
    links: list[tuple[int, str]] = []
    for index, token in enumerate(tokens):
        line = token.map[0] if token.map else 0
        if token.type == "html_block":
            raw_lines.append(line)
            removed.extend((line, what) for what in unsafe_html(token.content))
        if token.type != "inline":
            continue
        text = _plain(token)
        texts.append(text)
        if not first_paragraph and index > 0 and tokens[index - 1].type == "paragraph_open":
            first_paragraph = text
        for child in token.children or []:
            if child.type == "html_inline":
                raw_lines.append(line)
                removed.extend((line, what) for what in unsafe_html(child.content))
            elif child.type == "image":
                alt = "".join(c.content for c in child.children or [])
                # markdown-it percent-encodes the address; the file has its own name
                src = unquote(str(child.attrGet("src") or ""))
                images.append(BodyImage(line, src, alt))
                child.meta["eager"] = len(images) == 1 and _near_top(tokens, index)
            elif child.type == "link_open":
                links.append((line, str(child.attrGet("href") or "")))
        _mark_figure(tokens, index)
    if base_path != "/":
        _prefix_root_links(tokens, base_path.rstrip("/"))
    rendered = md.renderer.render(tokens, md.options, env)
    if allow_html:
        rendered = sanitize(rendered)
    return Rendered(
        html=rendered,
        first_paragraph=first_paragraph,
        plain_text=" ".join(texts),
        raw_html_lines=tuple(sorted(set(raw_lines))),
        removed_html=tuple(dict.fromkeys(removed)) if allow_html else (),
        images=tuple(images),
        links=tuple(links),
    )


def _near_top(tokens: Sequence[Token], index: int) -> bool:
    """Whether the block at ``index`` is among the first two of the body,
    where a picture is seen without scrolling."""
    blocks = sum(1 for token in tokens[:index] if token.level == 0 and token.nesting == 1)
    return blocks <= 2


def _mark_figure(tokens: Sequence[Token], index: int) -> None:
    """Make a paragraph that holds one image and nothing else a figure."""
    children = [c for c in tokens[index].children or [] if c.type != "text" or c.content.strip()]
    opening, closing = tokens[index - 1], tokens[index + 1] if index + 1 < len(tokens) else None
    if (
        len(children) == 1
        and children[0].type == "image"
        and opening.type == "paragraph_open"
        and opening.level == 0
        and closing is not None
        and closing.type == "paragraph_close"
    ):
        opening.tag = closing.tag = "figure"
        opening.attrSet("class", "figure")
        children[0].meta["figure"] = True


def _prefix_root_links(tokens: Sequence[Token], prefix: str) -> None:
    for token in tokens:
        for child in [token, *(token.children or [])]:
            for name in ("href", "src"):
                value = child.attrGet(name)
                if isinstance(value, str) and value.startswith("/") and not value.startswith("//"):
                    child.attrSet(name, prefix + value)


def is_external(url: str) -> bool:
    """Whether ``url`` points at another host (or a scheme-relative one)."""
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc) or url.startswith("//")

"""The markdown-it-py setup: CommonMark, tables, footnotes, heading anchors.

Raw HTML in an article is escaped (shown as text) unless the site allows
it; either way every occurrence is reported with its line so that the
editor sees what happened. The ``attrs`` plugin is deliberately left out:
it would let an article set any attribute, ``onclick`` included.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from sitegen.text import slugify


@dataclass(frozen=True)
class BodyImage:
    line: int  # 0-based, relative to the body
    src: str
    alt: str


@dataclass(frozen=True)
class Rendered:
    """A Markdown body rendered to HTML, with what later stages need of it."""

    html: str
    first_paragraph: str
    plain_text: str
    raw_html_lines: tuple[int, ...] = ()  # 0-based, relative to the body
    images: tuple[BodyImage, ...] = ()
    links: tuple[tuple[int, str], ...] = field(default=())


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


def _table_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return self.renderToken(tokens, idx, options, env) + "</div>\n"


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
    return md


def _plain(inline: Token) -> str:
    parts: list[str] = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def render_markdown(body: str, allow_html: bool, base_path: str = "/") -> Rendered:
    """Render ``body`` and collect its first paragraph, raw HTML and images.

    A link or image written from the site's root (``/news/2020/04/x/``) is
    given the base path, so that it still works when the site is published
    under a sub-path such as ``/xindu/``; the collected links keep what the
    editor wrote.
    """
    md = markdown_parser(allow_html)
    env: dict[str, Any] = {}
    tokens = md.parse(body, env)
    first_paragraph = ""
    texts: list[str] = []
    raw_lines: list[int] = []
    images: list[BodyImage] = []
    links: list[tuple[int, str]] = []
    for index, token in enumerate(tokens):
        line = token.map[0] if token.map else 0
        if token.type == "html_block":
            raw_lines.append(line)
        if token.type != "inline":
            continue
        text = _plain(token)
        texts.append(text)
        if not first_paragraph and index > 0 and tokens[index - 1].type == "paragraph_open":
            first_paragraph = text
        for child in token.children or []:
            if child.type == "html_inline":
                raw_lines.append(line)
            elif child.type == "image":
                alt = "".join(c.content for c in child.children or [])
                images.append(BodyImage(line, str(child.attrGet("src") or ""), alt))
            elif child.type == "link_open":
                links.append((line, str(child.attrGet("href") or "")))
    if base_path != "/":
        _prefix_root_links(tokens, base_path.rstrip("/"))
    rendered = md.renderer.render(tokens, md.options, env)
    return Rendered(
        html=rendered,
        first_paragraph=first_paragraph,
        plain_text=" ".join(texts),
        raw_html_lines=tuple(sorted(set(raw_lines))),
        images=tuple(images),
        links=tuple(links),
    )


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

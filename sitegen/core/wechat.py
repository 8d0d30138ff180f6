"""The copy of an article for the college's WeChat official account (公众号).

The 公众号 editor keeps what is pasted into it only as far as inline
``style`` attributes go: it drops ``<style>``, classes, ids and scripts,
keeps no link to another site, and fetches each picture from its address to
host it itself. So the copy is made here, from the article as the site
shows it:

1. the theme's ``wechat/article.html`` lays out the title, the date and
   source, the body, the pictures with their captions, the attachments and
   a closing line with the article's address on the website, through the
   same helpers as the page (:meth:`Renderer.render_with`);
2. :class:`_ForWeChat` rewrites that HTML: each picture becomes one
   ``<img>`` of its JPEG or PNG copy at its published address, each link
   its text followed by the address written out, footnote marks plain
   text, and what the editor would drop or cannot show is left out;
3. ``css-inline`` (Rust's ``css-inline``, well kept, with the cascade and
   specificity done right) writes the theme's ``wechat/style.css`` into
   each element's ``style``; ``nh3`` then keeps only the tags, attributes
   and style properties the editor keeps.

:func:`wechat_problems` reads the article's Markdown for what WeChat does
not accept (a table too wide for a phone, an SVG picture, a GIF over
WeChat's limit) and says each with its line, since the editor would lose
it without a word.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import css_inline
import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

from sitegen.core.config import SiteConfig
from sitegen.core.diagnostics import Diagnostic, Severity
from sitegen.core.parse import split_front_matter
from sitegen.core.textfile import decode_source

TEMPLATE = "wechat/article.html"
# The only links the editor keeps: to articles of 公众号 accounts.
WECHAT_HOST = "mp.weixin.qq.com"
STYLE = "wechat/style.css"

# What the editor keeps: text formatting, lists, quotes, tables, pictures and
# captions, in sections; every element styled by its own attribute.
TAGS = {
    "section", "p", "h1", "h2", "h3", "h4", "h5", "h6", "span", "strong", "em", "s",
    "sup", "sub", "code", "pre", "br", "hr", "blockquote", "ul", "ol", "li",
    "figure", "figcaption", "img", "table", "thead", "tbody", "tr", "th", "td", "a",
}  # fmt: skip
ATTRIBUTES = {
    "*": {"style"},
    "a": {"href"},  # only to mp.weixin.qq.com: every other link is text and address
    "img": {"src", "alt"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
# Style properties the editor keeps; the rest (position, float, fonts of
# one's own, flex and grid) it drops or a phone cannot be trusted with.
PROPERTIES = {
    "color", "background-color", "font-size", "font-weight", "font-style", "line-height",
    "letter-spacing", "text-align", "text-decoration", "text-indent", "margin", "margin-top",
    "margin-bottom", "margin-left", "margin-right", "padding", "padding-top",
    "padding-bottom", "padding-left", "padding-right", "border", "border-top",
    "border-bottom", "border-left", "border-right", "border-collapse", "border-radius",
    "width", "max-width", "height", "display", "vertical-align", "word-break",
    "overflow-wrap", "white-space", "list-style-type", "overflow-x",
}  # fmt: skip

# Left out whole, with what they hold: the editor drops them, or they are
# the page's own machinery.
_DROPPED = {
    "script", "style", "template", "noscript", "iframe", "object", "embed", "video",
    "audio", "form", "button", "input", "select", "textarea", "svg", "math", "canvas", "nav",
}  # fmt: skip
_VOID = {"img", "br", "hr", "source", "wbr", "input", "meta", "link", "col", "area", "embed"}
_KEPT_ATTRIBUTES = {"class", "alt", "start", "colspan", "rowspan"}

# The phone screen a 公众号 article is read on: 375 px less WeChat's margins.
PHONE_WIDTH = 340
_CELL_PADDING = 16  # px, both sides of a table cell, as style.css sets them
_CELL_FONT = 15  # px, the table's text
# WeChat's limit on an animated GIF in an article: 5 MB, as the converters
# that paste into the 公众号 editor find it (still pictures: 10 MB)
MAX_GIF_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Copy:
    """An article's WeChat copy: the HTML to paste, and its plain text."""

    html: str
    text: str


def published(path: str, built_base: str, base_url: str) -> str:
    """The published address of a site path written with the base path
    ``built_base`` (the preview's, say), on the site at ``base_url``; an
    address of another host as it is."""
    if urlsplit(path).scheme or path.startswith("//"):
        return path
    if path.startswith(built_base):
        path = "/" + path[len(built_base) :]
    return base_url.rstrip("/") + "/" + path.lstrip("/")


class _ForWeChat(HTMLParser):
    """Rewrites a page's HTML for the 公众号 editor (see the module's text).
    ``address``: the published address of what a page's link or picture names."""

    def __init__(self, address: Callable[[str], str]) -> None:
        super().__init__(convert_charrefs=True)
        self.address = address
        self.out: list[str] = []
        self.dropping = 0  # inside an element left out whole, this deep
        self.ends: list[str] = []  # what each open element ends with: its end tag, or ""
        self.links: list[tuple[str, list[str]]] = []  # each open link: its address, its text
        self.pre = 0  # inside <pre>: its lines and spaces kept by hand
        self.items: list[bool] = []  # each open <li>: whether it is directly in one

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.dropping:
            self.dropping += tag not in _VOID
            return
        found = {name: value or "" for name, value in attrs}
        classes = found.get("class", "").split()
        if tag in _DROPPED or "footnote-backref" in classes or found.get("hidden") is not None:
            self.dropping = 0 if tag in _VOID else 1
            return
        if tag == "a":
            href = self._link(found.get("href", ""))
            if urlsplit(href).hostname == WECHAT_HOST:  # another 公众号 article: a link it keeps
                self.links.append(("", []))
                self.out.append(f'<a href="{html.escape(href)}" class="wx-link">')
                self.ends.append("</a>")
                return
            self.links.append((href, []))
            self.ends.append("")
            return
        if tag in ("picture", "div") or tag not in TAGS:  # unwrapped: its content stays
            if tag not in _VOID:
                self.ends.append("")
            return
        if tag == "img":
            found["src"] = self.address(_largest(found))
        if tag == "pre":
            self.pre += 1
        if tag == "p" and self.items and self.items[-1]:
            tag = "section"  # a <p> in a list item: the editor adds blank lines around it
        if tag == "li":
            self.items.append(True)
        elif tag not in _VOID and self.items:
            self.items.append(False)
        kept = [
            (n, v) for n, v in found.items() if n in _KEPT_ATTRIBUTES or (tag, n) == ("img", "src")
        ]
        shown = "".join(f' {n}="{html.escape(v)}"' for n, v in kept)
        self.out.append(f"<{tag}{shown}>")
        if tag == "li":  # its text in a section, or the editor splits it into lines
            self.out.append('<section class="wx-item">')
            self.ends.append("</section></li>")
        elif tag not in _VOID:
            self.ends.append(f"</{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and (self.dropping or self.ends):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if self.dropping:
            self.dropping -= 1
            return
        if not self.ends:
            return
        end = self.ends.pop()
        if end == "</pre>":
            self.pre -= 1
        if end and self.items:
            self.items.pop()
        self.out.append(end)
        if tag == "a" and self.links:
            href, text = self.links.pop()
            note = _address_note(href, "".join(text))
            if note:
                self.out.append(f'<span class="wx-address">（{html.escape(note)}）</span>')

    def handle_data(self, data: str) -> None:
        if self.dropping:
            return
        for _, text in self.links:
            text.append(data)
        shown = html.escape(data, quote=False)
        if self.pre:  # the editor keeps neither line breaks nor runs of spaces in <pre>
            shown = shown.removesuffix("\n").replace(" ", "\u00a0").replace("\n", "<br>")
        self.out.append(shown)

    def _link(self, href: str) -> str:
        """The address a reader of the copy is shown for a link: none for a
        footnote mark or a place on the same page."""
        if not href or href.startswith("#"):
            return ""
        return self.address(href)


def _largest(attrs: Mapping[str, str]) -> str:
    """The copy of a picture to paste: its largest JPEG or PNG copy up to
    1,200 px wide (WeChat shows articles 1,080 px wide at most), else its
    ``src``. ``srcset`` lists the copies of the ``<img>``'s own format."""
    best, best_width = attrs.get("src", ""), 0
    for candidate in attrs.get("srcset", "").split(","):
        parts = candidate.split()
        if len(parts) == 2 and parts[1].endswith("w") and parts[1][:-1].isdigit():
            width = int(parts[1][:-1])
            if best_width < width <= 1200 or (best_width == 0 and width > 1200):
                best, best_width = parts[0], width
    return best


def _address_note(href: str, text: str) -> str:
    """What follows a link's text: its address, unless the text already is it."""
    if not href:
        return ""
    scheme, _, rest = href.partition(":")
    shown = rest if scheme in ("mailto", "tel") else href
    return "" if _bare(text.strip()) == _bare(shown) else shown


def _bare(url: str) -> str:
    return url.split("://", 1)[-1].rstrip("/")


def convert(page_html: str, address: Callable[[str], str]) -> str:
    """``page_html`` as the 公众号 editor keeps it, before styling."""
    parser = _ForWeChat(address)
    parser.feed(page_html)
    parser.close()
    return "".join(parser.out)


def styled(fragment: str, css: str) -> str:
    """``fragment`` with ``css`` written into each element's ``style``, and
    nothing the editor would not keep."""
    inlined = css_inline.inline_fragment(fragment, css)
    cleaned = nh3.clean(
        inlined,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel=None,
        strip_comments=True,
        filter_style_properties=PROPERTIES,
    )
    return _BLANK_LINES.sub("\n", cleaned).strip() + "\n"


_BLANK_LINES = re.compile(r"\n\s*\n")


def make_copy(rendered: str, css: str, address: Callable[[str], str]) -> Copy:
    """The WeChat copy of an article whose ``wechat/article.html`` rendered
    to ``rendered``; ``address`` gives a site path's published address."""
    shown = styled(convert(rendered, address), css)
    return Copy(shown, plain_text(shown))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("p", "h1", "h2", "h3", "h4", "li", "figcaption", "tr", "br", "blockquote"):
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("\t")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(fragment: str) -> str:
    """The text of the copy, a line to a paragraph: the clipboard's plain text."""
    reader = _Text()
    reader.feed(fragment)
    reader.close()
    lines = (" ".join(line.split()) for line in "".join(reader.parts).split("\n"))
    return "\n".join(line for line in lines if line) + "\n"


# --- what WeChat does not accept --------------------------------------------


def wechat_problems(
    path: str,
    body: str,
    body_line: int,
    file_size: Callable[[str], int | None],
) -> list[Diagnostic]:
    """What of the article at ``path`` (its Markdown ``body``, starting on
    file line ``body_line``) the 公众号 editor would not take: a table too
    wide for a phone, an SVG picture, a picture or GIF over WeChat's limit.
    ``file_size``: the size in bytes of a file the body names, if it is one
    of the article's own."""
    found: list[Diagnostic] = []
    tokens = _MARKDOWN.parse(body)
    for index, token in enumerate(tokens):
        line = body_line + (token.map[0] if token.map else 0)
        if token.type == "table_open":
            rows = _table_rows(tokens, index)
            width = _table_width(rows)
            if width > PHONE_WIDTH:
                found.append(_wide_table(path, line, len(rows[0]) if rows else 0, width))
        elif token.type == "inline":
            for child in token.children or ():
                if child.type == "image":
                    src = str(child.attrs.get("src", ""))
                    found.extend(_picture_problems(path, line, src, file_size))
    return found


_MARKDOWN = MarkdownIt("commonmark").enable("table")


def _table_rows(tokens: list[Token], start: int) -> list[list[str]]:
    rows: list[list[str]] = []
    for token in tokens[start + 1 :]:
        if token.type == "table_close":
            break
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows:
            rows[-1].append(token.content)
    return rows


def _table_width(rows: list[list[str]]) -> int:
    """How wide a table is at the least on a phone, in CSS pixels: each
    column as wide as its longest word or number (Latin text and digits do
    not break), or four Chinese characters, whichever is more, and at most
    as wide as its longest cell."""
    columns = max((len(row) for row in rows), default=0)
    total = 0
    for column in range(columns):
        cells = [row[column] for row in rows if column < len(row)]
        longest = max((_text_width(cell) for cell in cells), default=0)
        word = max((_text_width(w) for cell in cells for w in _UNBROKEN.findall(cell)), default=0)
        total += max(word, min(longest, 4 * _CELL_FONT)) + _CELL_PADDING
    return total


_UNBROKEN = re.compile(r"[A-Za-z0-9@.,:/_%+\-]+")


def _text_width(text: str) -> int:
    """About how wide ``text`` is at the table's size: a Chinese character
    a full em, a Latin letter or digit a little over half of one."""
    wide = sum(1 for char in text if unicodedata.east_asian_width(char) in "WF")
    return round((wide + 0.55 * (len(text) - wide)) * _CELL_FONT)


def _wide_table(path: str, line: int, columns: int, width: int) -> Diagnostic:
    return Diagnostic(
        path, line, 1, Severity.WARNING, "wechat-wide-table",
        f"this table is about {width} px wide at the least, with {columns} columns; "
        f"a WeChat article is {PHONE_WIDTH} px wide on a phone, so readers of the "
        "公众号 copy must scroll it sideways",
        "give it fewer columns (split it in two, or move long numbers into the text), "
        "or put it in the 公众号 article as a picture",
    )  # fmt: skip


def _picture_problems(
    path: str, line: int, src: str, file_size: Callable[[str], int | None]
) -> Iterable[Diagnostic]:
    name = unquote(src.split("#", 1)[0].split("?", 1)[0])
    suffix = PurePosixPath(name).suffix.lower()
    if suffix == ".svg":
        yield Diagnostic(
            path, line, 1, Severity.WARNING, "wechat-svg",
            f"the picture '{name}' is an SVG drawing, which the 公众号 editor does not take",
            "save it as a PNG as well and show that one, or add it to the 公众号 article by hand",
        )  # fmt: skip
        return
    size = file_size(name)
    limit = MAX_GIF_BYTES
    if suffix == ".gif" and size is not None and size > limit:
        megabytes = f"{size / 1024 / 1024:.1f}"
        yield Diagnostic(
            path, line, 1, Severity.WARNING, "wechat-gif-large",
            f"the animated picture '{name}' is {megabytes} MB; the 公众号 editor takes a GIF "
            f"of at most {limit // 1024 // 1024} MB",
            "make it smaller (fewer frames, fewer colours, smaller size), or show a still picture",
        )  # fmt: skip


def source_problems(site_dir: Path, path: str, folder: str | None) -> list[Diagnostic]:
    """What WeChat would not take of the article at ``path``, read from its Markdown."""
    try:
        data = (site_dir / path).read_bytes()
    except OSError:
        return []
    text = decode_source(data, path)
    if isinstance(text, Diagnostic):
        return []
    split = split_front_matter(text)
    if split is None:
        return []

    def file_size(name: str) -> int | None:
        if folder is None or name.startswith("/") or "://" in name:
            return None
        try:
            return (site_dir / folder / name).stat().st_size
        except OSError:
            return None

    return wechat_problems(path, split.body, split.body_line, file_size)


def no_address(config: SiteConfig) -> Diagnostic | None:
    """The error of a site that has no published address for the copy to name."""
    if config.published:
        return None
    return Diagnostic(
        "site.yaml", 0, 1, Severity.ERROR, "wechat-no-base-url",
        "the WeChat copy names its pictures at the site's published address, and "
        "site.yaml gives none (base_url)",
        "add the address the site is published at, e.g. base_url: https://example.org/xindu/; "
        "publish the site before pasting the copy, so that WeChat can fetch its pictures",
    )  # fmt: skip

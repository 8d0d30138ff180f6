"""Source text into typed documents: front matter, Markdown, tag vocabulary.

Pure functions on text: :func:`parse_article` takes a :class:`Source` (path
and text already read) and returns an :class:`Article`, reporting every
problem with the line it is on in the file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote

import sitegen.core.schema as schema
from sitegen.core.attachments import attachment, names_a_file
from sitegen.core.config import SiteConfig
from sitegen.core.diagnostics import Diagnostics, did_you_mean
from sitegen.core.fields import FieldReader, choice, parse_date
from sitegen.core.images import IMAGE_SUFFIXES, Picture, media_folder, picture
from sitegen.core.load import Source
from sitegen.core.markdown import Reader, Rendered, is_external, render_markdown
from sitegen.core.model import (
    ARTICLE_KINDS,
    BYLINES,
    Article,
    Body,
    EventDraft,
    Image,
    Tag,
    Text,
    When,
)
from sitegen.core.schema import ARTICLE, EVENT, IMAGE
from sitegen.core.text import cut_summary, is_slug, slugify, text_length
from sitegen.core.yamldoc import YamlDoc, parse_yaml

# What a translation takes from its original when it does not say it itself.
INHERITED = tuple(f.key for f in ARTICLE.fields if f.translation == "inherited")
FRONT_MATTER_EXAMPLE = "---\ntitle: …\ndate: 2020-04-27\n---"
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")
_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")


@dataclass(frozen=True, slots=True)
class FrontMatter:
    yaml: str
    body: str
    body_line: int  # 1-based file line of the body's first line


def split_front_matter(text: str) -> FrontMatter | None:
    """Split ``---``-fenced YAML from the body; ``None`` if there is none.

    The opening fence must be the first line. An unclosed fence gives
    ``None`` as well; :func:`front_matter_problem` says which it was.
    """
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index]):
            return FrontMatter("\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2)
    return None


def front_matter_problem(text: str) -> tuple[str, str]:
    """Message and hint for a text that :func:`split_front_matter` refused."""
    if text.split("\n", 1)[0].rstrip() == "---":
        return (
            "front matter starts with '---' on line 1 but is never closed",
            "add a line '---' after the last front-matter line",
        )
    return (
        "the file does not start with front matter",
        "start the file with:\n" + FRONT_MATTER_EXAMPLE,
    )


def slug_from_stem(stem: str) -> str:
    """``2020-04-27-pujiang-visit`` → ``pujiang-visit``; Chinese by pinyin."""
    return slugify(_DATE_PREFIX.sub("", stem))


def parse_article(
    source: Source, config: SiteConfig, diagnostics: Diagnostics, read: Reader | None = None
) -> Article | None:
    """Parse one article file; ``None`` when it cannot be published at all.
    ``read`` reads its Markdown where it can (markdown-it-py elsewhere)."""
    path = source.path
    front = _front_matter(source, diagnostics)
    if front is None:
        return None
    split, parsed = front
    fields = FieldReader(parsed, path, diagnostics, line_offset=1)
    extra = fields.unknown_keys(schema.ARTICLE.keys())
    title = fields.string("title", required=True, example="…")
    # a file in another language than the site's first may be a translation,
    # which takes what is not language from its original (see resolve)
    translation = source.lang != config.default_language
    date = fields.date("date", required=not translation)
    unset = frozenset(key for key in INHERITED if not fields.has(key)) if translation else None
    if date is None and unset is not None and "date" in unset:
        date = dt.date.min  # the original's, once resolve has paired them
    slug = _slug(fields, source, diagnostics)
    if not slug:
        return None

    listed, kept = _images(fields, source, translation)  # kept: published as they are
    pictures = {
        info.name: picture(info, media_folder(info, info.name in kept), info.name in kept)
        for info in source.images
    }
    images = tuple(Image(src, alt, caption, pictures.get(src)) for src, alt, caption in listed)
    attachable = {f.name: a for f in source.files if (a := attachment(f)) is not None}
    notes = {name: (a.href, a.note(source.lang)) for name, a in attachable.items()}
    rendered = render_markdown(
        split.body, config.allow_html, config.base_path, pictures, read, notes
    )
    body_line = split.body_line
    body_lines = split.body.split("\n")
    _report_html(rendered, path, body_line, body_lines, config, diagnostics)
    if "{{" in rendered.plain_text:
        _report_shortcodes(split.body, path, body_line, diagnostics)
    for line, level, fits, above in rendered.skipped_headings:
        diagnostics.warning(
            path,
            body_line + line,
            "heading-skipped",
            f"this heading ({'#' * level}) skips a level below the heading above it; "
            f"it is shown as if written {'#' * fits}"
            if above
            else f"this heading ({'#' * level}) comes before any heading of the article's "
            f"highest level ({'#' * fits}); it is shown as if written {'#' * fits}",
            f"write it with {'#' * fits}, one # more than the heading it belongs under"
            if above
            else f"write it with {'#' * fits}, or start the article with a {'#' * fits} heading",
        )
    for image in rendered.images:
        column = _image_column(body_lines, image.line, image.src)
        _check_image_ref(image.src, image.alt, body_line + image.line, source, diagnostics, column)
    shown = {image.src for image in rendered.images} | {image.src for image in images}
    shown.discard("")  # a translation's picture whose file is its original's
    linked = _folder_links(rendered.links, source, body_line, body_lines, diagnostics)
    cover = _cover(images, rendered, pictures)
    if not fields.boolean("draft"):
        _check_placeholders(title, split.body, path, fields.line("title"), body_line, diagnostics)
    summary = fields.string("summary") or cut_summary(rendered.first_paragraph, source.lang)
    tags = fields.string_list("tags")
    if date is None or not title:
        return None
    return Article(
        path=path,
        stem=source.stem,
        lang=source.lang,
        slug=slug,
        title=title,
        date=date,
        summary=summary,
        source=fields.string("source"),
        tags=tuple(tags),
        images=images,
        pictures=tuple(pictures[name] for name in sorted(shown) if name in pictures),
        cover=cover,
        media=tuple(pictures[info.name] for info in source.images),
        attachments=tuple(attachable[name] for name in linked if name in attachable),
        used=tuple(sorted(shown | set(linked))),
        unused=tuple(name for name in sorted({*pictures, *attachable} - shown - set(linked))),
        teams=tuple(fields.string_list("teams")),
        studios=tuple(fields.string_list("studios")),
        kind=choice(fields, "kind", ARTICLE_KINDS, ""),
        town=fields.string("town"),
        series=fields.string("series"),
        events=tuple(_events(fields, config, translation)),
        links=_placed_links(split.body, body_line, rendered.links),
        translated_from=fields.string("translated_from"),
        bylines=tuple(
            (role, name) for role in BYLINES if (name := fields.text(role, config.languages)).values
        ),
        pinned_until=_pinned(fields),
        expires=fields.date("expires"),
        updated=_updated(fields, date),
        draft=fields.boolean("draft"),
        body=Body(rendered.html),
        text_length=text_length(rendered.plain_text, source.lang),
        assets=source.assets,
        lines=_lines(parsed, 1),
        extra=extra,
        unset=unset or frozenset(),
    )


def _cover(
    images: Sequence[Image], rendered: Rendered, pictures: Mapping[str, Picture]
) -> Image | None:
    """The picture shown where the article is shared: the first, of the
    front matter's and then the body's, that has a description and a copy
    large enough."""
    shareable = [
        *images,
        *(Image(b.src, b.alt, picture=pictures.get(b.src)) for b in rendered.images),
    ]
    return next((i for i in shareable if i.picture and i.picture.share() and i.alt), None)


def _front_matter(source: Source, diagnostics: Diagnostics) -> tuple[FrontMatter, YamlDoc] | None:
    """The article's front matter, split from its body and read as YAML
    into a mapping; ``None``, with the problem reported, where it is not."""
    path = source.path
    split = split_front_matter(source.text)
    if split is None:
        message, hint = front_matter_problem(source.text)
        diagnostics.error(path, 1, "front-matter", message, hint)
        return None
    parsed = parse_yaml(split.yaml)
    if not isinstance(parsed, YamlDoc):
        diagnostics.error(path, parsed.line + 1, "yaml", parsed.message, parsed.hint, parsed.column)
        return None
    if not isinstance(parsed.data, dict):
        diagnostics.error(
            path,
            2,
            "front-matter",
            "front matter must be 'key: value' lines",
            "start the file with:\n" + FRONT_MATTER_EXAMPLE,
        )
        return None
    return split, parsed


def _slug(fields: FieldReader, source: Source, diagnostics: Diagnostics) -> str:
    """The article's slug: its own, or made from the file's name; "" (with
    the problem reported) where no web address can be made."""
    slug = fields.string("slug")
    if slug and not is_slug(slug):
        suggestion = slugify(slug)
        fields.error(
            ("slug",),
            "bad-slug",
            f"slug '{slug}' may use only a-z, 0-9 and '-'",
            f"write slug: {suggestion}" if suggestion else "write an ASCII slug, e.g. slug: visit",
        )
        slug = ""
    slug = slug or slug_from_stem(source.stem)
    if not slug:
        diagnostics.error(
            source.path,
            1,
            "bad-slug",
            f"cannot make a web address from the name '{source.stem}'",
            "rename the file to letters, digits and '-', e.g. 2020-04-27-visit.zh.md",
        )
    return slug


# what `sitegen new` writes, for the editor to replace
PLACEHOLDER_TITLES = ("标题", "Headline")
PLACEHOLDER_BODIES = ("正文从这里开始。", "The report starts here.")


def _check_placeholders(
    title: str, body: str, path: str, title_line: int, body_line: int, diagnostics: Diagnostics
) -> None:
    """Warn of the starting text of ``sitegen new`` left in a published article."""
    if title.strip() in PLACEHOLDER_TITLES:
        diagnostics.warning(
            path,
            title_line,
            "placeholder",
            f"the title is still '{title.strip()}', as sitegen new wrote it",
            "write the headline readers should see",
        )
    lines = body.split("\n")
    for number, line in enumerate(lines):
        if line.strip() in PLACEHOLDER_BODIES:
            diagnostics.warning(
                path,
                body_line + number,
                "placeholder",
                f"'{line.strip()}' is still here, as sitegen new wrote it",
                "replace it with the report, or keep draft: true until it is written",
            )
            break


_SHORTCODE = re.compile(r"\{\{[<%]\s*/?\s*([\w-]+)[^}]*[%>]\}\}")
_CODE_FENCE = re.compile(r"^ {0,3}(?:```|~~~)")


def _report_shortcodes(body: str, path: str, body_line: int, diagnostics: Diagnostics) -> None:
    """Warn of each line outside code that holds a Hugo shortcode (``{{<
    figure … >}}``, ``{{% alert %}}``), which is shown as text."""
    fenced = False
    for number, line in enumerate(body.split("\n")):
        if _CODE_FENCE.match(line):
            fenced = not fenced
            continue
        found = None if fenced or line.startswith(("    ", "\t")) else _SHORTCODE.search(line)
        if found is not None:
            diagnostics.warning(
                path,
                body_line + number,
                "shortcode",
                f"'{found.group()}' is a Hugo shortcode, which sitegen does not run: "
                "it is shown as text",
                "write it in Markdown (a note as a quote: > …, a picture as ![…](…)) or remove it",
                found.start() + 1,
            )


def _placed_links(
    body: str, body_line: int, links: Sequence[tuple[int, str]]
) -> tuple[tuple[int, int, str], ...]:
    """Each link's file line, column and address: the column where the
    address is written on its line (1 where it is not, as for a link by
    reference), each link after the one before it on the same line."""
    lines = body.split("\n")
    placed: list[tuple[int, int, str]] = []
    after: dict[int, int] = {}  # a line -> where the last link found on it ends
    for line, href in links:
        text = lines[line] if 0 <= line < len(lines) else ""
        at, written = -1, href
        for written in dict.fromkeys((href, unquote(href))) if href else ():
            at = text.find(written, after.get(line, 0))
            if at >= 0:
                break
        if at >= 0:
            after[line] = at + len(written)
        placed.append((body_line + line, at + 1 if at >= 0 else 1, href))
    return tuple(placed)


def _column(lines: Sequence[str], line: int, needle: str) -> int:
    """The 1-based column where ``needle`` is written on body ``line``
    (case aside), 1 where it is not found there."""
    text = lines[line] if 0 <= line < len(lines) else ""
    at = text.casefold().find(needle.casefold()) if needle else -1
    return at + 1 if at >= 0 else 1


def _image_column(lines: Sequence[str], line: int, src: str) -> int:
    """The column where the picture of ``src`` starts (its ``![``) on body
    ``line``, 1 where it is not found there."""
    text = lines[line] if 0 <= line < len(lines) else ""
    at = text.find(f"]({src}")
    start = text.rfind("![", 0, at) if at >= 0 else -1
    return start + 1 if start >= 0 else _column(lines, line, src)


def _report_html(
    rendered: Rendered,
    path: str,
    body_line: int,
    lines: Sequence[str],
    config: SiteConfig,
    diagnostics: Diagnostics,
) -> None:
    """Raw HTML in the body: shown as text, or (where the site allows it)
    kept without what is unsafe; either way the editor is told where."""
    for line, what in rendered.removed_html:
        diagnostics.warning(
            path,
            body_line + line,
            "unsafe-html",
            f"{what} is removed from this raw HTML",
            "scripts, frames, styles, on… attributes and links other than http(s), mailto "
            "and tel never reach a page, even with allow_html: true",
            _column(lines, line, what.split(" ")[0].rstrip(">=")),
        )
    if config.allow_html:
        return
    for line, piece in rendered.raw_html_pieces:
        diagnostics.warning(
            path,
            body_line + line,
            "raw-html",
            "raw HTML is not allowed in articles; it is shown as plain text",
            "use Markdown instead, or set allow_html: true in site.yaml if the site trusts it",
            _column(lines, line, piece.split("\n", 1)[0]),
        )


def _lines(doc: YamlDoc, offset: int) -> dict[str, int]:
    """File lines of the top-level keys and their list items: ``tags.0`` → 7."""
    return {
        ".".join(str(part) for part in key): line + offset
        for key, (line, _column) in doc.positions.items()
        if key and len(key) <= 2
    }


EVENT_KEYS = EVENT.keys()


def _events(fields: FieldReader, config: SiteConfig, translation: bool) -> list[EventDraft]:
    """Extra timeline entries an article mentions: ``events: [{date, title}]``.
    A possible translation may leave out an event's date: its original's
    event in the same place has it (see resolve)."""
    drafts: list[EventDraft] = []
    for item in fields.mapping_list("events"):
        item.unknown_keys(EVENT_KEYS)
        when = item.when("date", required=not translation)
        if when is None and translation and not item.has("date"):
            when = When(dt.date.min, "day")  # the original's
        title = item.text("title", config.languages, required=True)
        kind = choice(item, "kind", ARTICLE_KINDS, "")
        if when is None or not title.values:
            continue
        drafts.append(
            EventDraft(
                when,
                title,
                kind,
                item.string("town"),
                tuple(item.string_list("teams")),
                tuple(item.string_list("studios")),
                item.line(),
            )
        )
    return drafts


def _folder_links(
    links: Sequence[tuple[int, str]],
    source: Source,
    body_line: int,
    body_lines: Sequence[str],
    diagnostics: Diagnostics,
) -> list[str]:
    """The files of the article's folder its links name, in the order first
    linked; a link to a file (a name ending as an attachment or a picture
    does) that is not in the folder is an error at its line."""
    found: dict[str, None] = {}
    for line, href in links:
        name = unquote(href.partition("#")[0].partition("?")[0])
        if not name or is_external(href) or name.startswith(("/", "#")):
            continue
        if name in source.assets:
            found[name] = None
            continue
        if not names_a_file(name):
            continue  # a page of the site, written relative to this one
        diagnostics.error(
            source.path,
            body_line + line,
            "missing-file",
            f"the linked file '{name}' is not in the article's folder",
            _not_in_folder_hint(name, source),
            column=_column(body_lines, line, name),
        )
    return list(found)


def _not_in_folder_hint(name: str, source: Source) -> str:
    """How to put right a reference to ``name``, which is not in the
    article's folder: make the article a folder, or the name closest."""
    if not source.assets and not PurePosixPath(source.path).name.startswith("index."):
        return (
            f"make the article a folder: {source.stem}/index.{source.lang}.md with {name} beside it"
        )
    return did_you_mean(name, source.assets) or (
        "files in the article's folder: " + (", ".join(source.assets) or "none")
    )


def _updated(fields: FieldReader, date: dt.date | None) -> dt.date | None:
    """The day the article was corrected, which cannot be before its date."""
    updated = fields.date("updated")
    if updated is not None and date is not None and updated < date:
        fields.warning(
            ("updated",),
            "updated-before-date",
            f"updated {updated} is before the article's date {date}, so it is not shown",
            "write the day the article was corrected, on or after its date",
        )
        return None
    return updated


def _pinned(fields: FieldReader) -> dt.date | None:
    """``pinned: true`` (for good) or ``pinned: 2020-05-10`` (until that day)."""
    value = fields.data.get("pinned")
    if value is None or value is False:
        return None
    if value is True:
        return dt.date.max
    parsed, reason = parse_date(value)
    if parsed is None:
        fields.error(
            ("pinned",),
            "bad-date",
            f"'pinned': {reason}",
            "write pinned: true, or the last day it stays on top, e.g. pinned: 2020-05-10",
        )
    return parsed


def _images(
    fields: FieldReader, source: Source, translation: bool
) -> tuple[list[tuple[str, str, str]], set[str]]:
    """The pictures of front matter ``images:`` (the file, its description
    and caption), and those whose original the editor keeps as it is
    (``original: keep``). A possible translation may leave out a picture's
    file (``src``): its original's picture in the same place is meant."""
    images: list[tuple[str, str, str]] = []
    kept: set[str] = set()
    for item in fields.mapping_list("images"):
        item.unknown_keys(IMAGE.keys())
        if translation and not item.has("src"):
            alt = item.string("alt", required=True, example="what the photo shows")
            if alt:
                images.append(("", alt, item.string("caption")))
            continue
        src = item.string("src", required=True, example="photo.jpg")
        alt = item.string("alt", required=True, example="what the photo shows")
        if choice(item, "original", ("clean", "keep"), "clean") == "keep":
            kept.add(src)
        if src and alt:
            _check_image_ref(src, alt, item.line("src"), source, item.diagnostics)
            images.append((src, alt, item.string("caption")))
    return images, kept


# descriptions that describe nothing: a word for "picture", in either language
_EMPTY_ALT = frozenset({"图", "图片", "照片", "相片", "图像", "配图", "插图", "image", "img"})
_EMPTY_ALT |= frozenset({"photo", "picture", "pic", "foto", "screenshot", "截图"})
_FILE_NAME = re.compile(r"^[\w\-. ]+\.(?:jpe?g|png|gif|webp|svg|heic|bmp)$", re.IGNORECASE)


def _says_nothing(alt: str, src: str) -> bool:
    """Whether an image's description is a file name or a word for "picture"."""
    text = alt.strip()
    folded = text.casefold().rstrip("0123456789 ")
    return folded in _EMPTY_ALT or bool(_FILE_NAME.match(text)) or text == PurePosixPath(src).name


def _check_image_ref(
    src: str, alt: str, line: int, source: Source, diagnostics: Diagnostics, column: int = 1
) -> None:
    if not alt.strip():
        diagnostics.error(
            source.path,
            line,
            "missing-alt",
            f"image '{src}' has no alt text",
            "describe the picture for readers who cannot see it: ![what it shows](photo.jpg)",
            column=column,
        )
    elif _says_nothing(alt, src):
        diagnostics.warning(
            source.path,
            line,
            "empty-alt",
            f"the description '{alt.strip()}' of image '{src}' does not say what it shows",
            "describe the picture for readers who cannot see it, e.g. "
            "![学员在教室里练习书法](photo.jpg)",
            column=column,
        )
    if is_external(src) and not re.match(r"^[A-Za-z]:[\\/]", src):
        diagnostics.error(
            source.path,
            line,
            "external-image",
            f"image '{src}' is on another website; pages may only load files of this site",
            "save the picture in the article's folder and refer to it by file name",
            column=column,
        )
        return
    name = PurePosixPath(src)
    windows = "\\" in src or re.match(r"^[A-Za-z]:", src)
    if src.startswith("/") or ".." in name.parts or windows:
        diagnostics.error(
            source.path,
            line,
            "bad-image-path",
            f"image '{src}' must be a file in the article's own folder",
            "write just the file name, e.g. photo.jpg",
            column=column,
        )
        return
    if src in source.assets:
        if PurePosixPath(src).suffix.lower() not in IMAGE_SUFFIXES:
            diagnostics.error(
                source.path,
                line,
                "not-an-image",
                f"'{src}' is not a picture that pages can show",
                "use a JPEG, PNG, WebP, HEIC, GIF or SVG file; "
                "link to other files with [text](file)",
                column=column,
            )
        return
    if src not in source.assets:
        hint = _not_in_folder_hint(src, source)
        diagnostics.error(
            source.path,
            line,
            "missing-image",
            f"image '{src}' is not in the article's folder",
            hint,
            column=column,
        )


def parse_tags(source: Source, config: SiteConfig, diagnostics: Diagnostics) -> dict[str, Tag]:
    """The tag vocabulary: ``id: {zh: …, en: …}`` per tag."""
    parsed = parse_yaml(source.text)
    if not isinstance(parsed, YamlDoc):
        diagnostics.error(
            source.path, parsed.line, "yaml", parsed.message, parsed.hint, parsed.column
        )
        return {}
    if parsed.data is None:
        return {}
    if not isinstance(parsed.data, dict):
        diagnostics.error(
            source.path,
            1,
            "wrong-type",
            "the tag list must map ids to names",
            "write one tag per entry, e.g.\nteam-development: {zh: 团队培育, en: Team development}",
        )
        return {}
    tags: dict[str, Tag] = {}
    top = FieldReader(parsed, source.path, diagnostics, what="tags")
    for key in parsed.data:
        tag_id = str(key)
        if not is_slug(tag_id):
            top.error(
                (key,),
                "bad-tag-id",
                f"tag id '{tag_id}' may use only a-z, 0-9 and '-'",
                f"write it as {slugify(tag_id) or 'team-development'}",
            )
            continue
        value = parsed.data[key]
        kind = ""
        if isinstance(value, dict) and "kind" in value:
            entry = FieldReader(parsed, source.path, diagnostics, prefix=(key,), what=tag_id)
            kind = choice(entry, "kind", ARTICLE_KINDS, "")
            value = {k: v for k, v in value.items() if k != "kind"}
        holder = FieldReader(parsed, source.path, diagnostics, what="tags")
        holder.data = {key: value}
        name = holder.text(key, config.languages, required=True)
        tags[tag_id] = Tag(tag_id, name if name.values else Text.plain(tag_id), kind)
    return tags

"""Pictures: how big they are, the smaller copies a page offers, and the
cache that keeps those copies between builds.

A photo from a phone is often 4000 pixels wide and several megabytes; a
resident on a weak connection should get one that fits the screen. Each
JPEG, PNG or WebP picture is therefore offered in a few widths, as WebP
and in a format every browser shows (JPEG, or PNG where the picture has
transparent parts), and the browser picks with ``srcset`` and ``sizes``.
The copies are turned upright by their EXIF orientation and carry no
metadata, so a phone's record of where a photo was taken is not
published; so is the clean copy published for a reader who opens the
photo itself (:func:`clean_original`). SVG drawings and GIFs are shown as
they are, an SVG drawing that could run or load something refused
(:func:`check_drawing`).

A picture's copies and its published original are written once, under
``/media/`` in a folder named by the picture's content (:func:`media_folder`):
the Chinese and English pages of an article show the same files, a photo
used by two articles is published once, and a changed photo gets a new
address, so that a browser or host may keep what it has fetched for good.

Making the copies is the slowest thing a build does, so they are kept in
a content-addressed cache (``.sitegen-cache/images``): an entry is named by
what it was made from and by a digest of its own bytes, and an entry whose
bytes no longer match that digest is made again, never used.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from PIL import Image, ImageOps, UnidentifiedImageError

WIDTHS = (480, 800, 1200, 1600)  # a phone, a phone at 2x, a laptop at 2x, the largest kept
SHARE_WIDTH = 1200  # chat apps and social sites show about this much
# WeChat and QQ show a shared link's picture square, and take none under 300 px
SQUARE = 600
SQUARE_LEAST = 300
# The article column is at most 42rem wide; on a phone the picture spans the screen.
SIZES = "(min-width: 45rem) 42rem, 100vw"
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".svg", ".heic", ".heif"}
_HEIF_SUFFIXES = (".heic", ".heif")  # iPhone photos, read through pillow-heif
_QUALITY = {"jpeg": 82, "webp": 80}
EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp"}
_MIME = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
CACHE_VERSION = "2"  # change when a copy of the same picture would come out different
MEDIA = "/media/"  # where pictures are published, each in a folder named by its content
_SVG_TAG = re.compile(rb"<svg\b[^>]*>", re.IGNORECASE)
_SVG_ATTR = re.compile(rb'\s(width|height|viewBox)\s*=\s*["\']([^"\']*)["\']', re.IGNORECASE)
_SVG_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*$")
# Pillow refuses pictures above this many pixels (a "decompression bomb");
# 100 megapixels is far above any camera an editor has.
Image.MAX_IMAGE_PIXELS = 100_000_000


class ImageError(Exception):
    """A file that should be a picture but cannot be read as one."""


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """What a bundle's picture is, as read from its header."""

    name: str  # relative to the article folder, with "/"
    width: int  # 0 when an SVG gives no size
    height: int
    format: str  # "jpeg", "png", "webp", "heif", "gif" or "svg"
    resizable: bool  # False for SVG, GIF and animated pictures: shown as they are
    alpha: bool = False
    digest: str = ""  # sha256 of the file's bytes, hex

    @property
    def file(self) -> str:
        """The file's own name, without the folders of the article's folder."""
        return self.name.rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class Variant:
    """One copy of a picture at one width and in one format."""

    name: str  # in the picture's media folder: photo-800w.webp
    width: int
    height: int
    format: str  # "webp", "jpeg" or "png"
    digest: str = ""  # of the picture it is made from (ImageInfo.digest)
    # "": the whole picture, resized; "crop": its middle, cut to this size;
    # "pad": the whole picture laid on white, to this size (a logo)
    fit: str = ""

    @property
    def mime(self) -> str:
        return _MIME[self.format]


@dataclass(frozen=True, slots=True)
class Picture:
    """A picture as a page shows it: its size and the copies it offers."""

    src: str  # its name in the article's folder
    width: int
    height: int
    variants: tuple[Variant, ...] = ()  # empty: the original itself is shown
    folder: str = ""  # the site path its files are published in; "": beside the page
    original: str = ""  # the name of the full picture there (default: src)
    # the full picture as published: a clean copy (see clean_original), or
    # None for the file as it is (a drawing, a GIF, an original kept)
    clean: Variant | None = None
    # its middle, square, for the small picture of a shared link (see
    # square_copy); made only of the picture that represents its article
    square: Variant | None = None

    @property
    def href(self) -> str:
        """The address of the full picture: a site path, or beside the page."""
        return self.folder + quote(self.original) if self.folder else (self.original or self.src)

    def url(self, variant: Variant) -> str:
        return self.folder + quote(variant.name) if self.folder else variant.name

    def copies(self, fmt: str) -> tuple[Variant, ...]:
        return tuple(v for v in self.variants if v.format == fmt)

    @property
    def fallback_format(self) -> str:
        return next((v.format for v in self.variants if v.format != "webp"), "")

    def share(self) -> Variant | None:
        """The copy for chat apps and social sites: JPEG or PNG (not all of
        them show WebP or SVG), about :data:`SHARE_WIDTH` wide."""
        copies = self.copies(self.fallback_format)
        if not copies:
            return None
        fitting = [v for v in copies if v.width <= SHARE_WIDTH]
        return fitting[-1] if fitting else copies[0]


def probe(path: Path, name: str) -> ImageInfo | None:
    """Read the size of the picture at ``path`` without decoding it.

    Returns ``None`` for a file that is not a picture by its name (a PDF
    beside an article, say); raises :class:`ImageError` for a picture that
    cannot be read.
    """
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in IMAGE_SUFFIXES:
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImageError(exc.strerror or str(exc)) from None
    digest = hashlib.sha256(data).hexdigest()
    if suffix == ".svg":
        return _probe_svg(data, name, digest)
    if suffix in _HEIF_SUFFIXES:
        _read_heif()
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            fmt = (image.format or "").lower()
            animated = bool(getattr(image, "is_animated", False))
            orientation = image.getexif().get(0x0112, 1)
            alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError) as exc:
        raise ImageError(reason(exc)) from None
    if fmt not in ("jpeg", "png", "webp", "gif", "heif"):
        raise ImageError(f"it is a {fmt.upper() or 'unknown'} file, whatever its name says")
    if orientation in (5, 6, 7, 8):  # taken with the phone on its side
        width, height = height, width
    resizable = fmt != "gif" and not animated
    return ImageInfo(name, width, height, fmt, resizable, alpha, digest)


def reason(exc: Exception) -> str:
    if isinstance(exc, UnidentifiedImageError):
        return "the file is damaged or not a picture"
    if isinstance(exc, Image.DecompressionBombError):
        return "the picture has too many pixels"
    return str(exc) or type(exc).__name__


class UnsafeDrawing(ImageError):
    """An SVG drawing that could run a script, or load something, when a
    reader opens it: ``what`` it holds, at ``line`` (1-based)."""

    def __init__(self, what: str, line: int) -> None:
        super().__init__(f"it holds {what} (line {line})")
        self.what, self.line = what, line


# What lets an SVG drawing run a script or load something from elsewhere,
# opened on the site's own address: scripts, event attributes, embedded
# HTML, entity declarations, and links or references to other addresses.
_ELSEWHERE = rb"""["']?\s*(?!data:image/(?:png|jpe?g|gif|webp)[;,])(?:[a-z][a-z0-9+.-]*:|//)"""
_UNSAFE_SVG = (
    (re.compile(rb"<\s*script\b", re.IGNORECASE), "a <script> element"),
    (re.compile(rb"<\s*foreignObject\b", re.IGNORECASE), "a <foreignObject> element"),
    (re.compile(rb"<\s*(?:iframe|embed|object)\b", re.IGNORECASE), "an embedded page"),
    (re.compile(rb"<\s*[A-Za-z][^<>]*\son[a-z]+\s*=", re.IGNORECASE), "an on… attribute"),
    (re.compile(rb"<!ENTITY", re.IGNORECASE), "an entity declaration"),
    (re.compile(rb"javascript\s*:", re.IGNORECASE), "a javascript: link"),
    (re.compile(rb"(?:href|src)\s*=\s*" + _ELSEWHERE, re.IGNORECASE), "a link to another address"),
    (re.compile(rb"url\(\s*" + _ELSEWHERE, re.IGNORECASE), "a url() to another address"),
    (re.compile(rb"@import", re.IGNORECASE), "a style sheet @import"),
)


def check_drawing(data: bytes) -> None:
    """Raise :class:`UnsafeDrawing` for the first thing in the SVG ``data``
    that could run or load something; a plain drawing passes."""
    found = [(m.start(), what) for pattern, what in _UNSAFE_SVG if (m := pattern.search(data))]
    if found:
        at, what = min(found)
        raise UnsafeDrawing(what, data.count(b"\n", 0, at) + 1)


def _probe_svg(data: bytes, name: str, digest: str) -> ImageInfo:
    check_drawing(data)
    head = data[:8192]
    tag = _SVG_TAG.search(head)
    if tag is None:
        raise ImageError("no <svg> element at the start of the file")
    attrs = {k.decode().lower(): v.decode() for k, v in _SVG_ATTR.findall(tag.group())}
    width, height = _svg_length(attrs.get("width")), _svg_length(attrs.get("height"))
    if not (width and height):
        box = attrs.get("viewbox", "").replace(",", " ").split()
        if len(box) == 4:
            width, height = _svg_length(box[2]), _svg_length(box[3])
    return ImageInfo(name, width, height, "svg", False, False, digest)


def _svg_length(value: str | None) -> int:
    match = _SVG_LENGTH.match(value or "")
    return round(float(match.group(1))) if match else 0


def media_folder(info: ImageInfo, kept: bool = False) -> str:
    """The site path a picture's files are published in: named by its
    content and by how its original is published (``kept`` as it is, or
    cleaned), so that each folder always holds the same files."""
    return media_path(info.digest, "keep" if kept else "clean")


def media_path(digest: str, treatment: str) -> str:
    """The media folder of a file whose bytes have ``digest``, published
    as ``treatment`` says ("clean", "keep", "file")."""
    spec = f"{CACHE_VERSION}|{digest}|{treatment}"
    return f"{MEDIA}{hashlib.sha256(spec.encode()).hexdigest()[:12]}/"


def picture(info: ImageInfo, folder: str = "", kept: bool = False) -> Picture:
    """The copies to make of a picture, published in ``folder``: each width
    of :data:`WIDTHS` below its own, plus its own width (at most the
    largest), in WebP and in the fallback format. Nothing is ever made
    larger than the original."""
    original = info.file if kept else published_name(info)
    clean = None if kept else clean_original(info)
    if not info.resizable or not info.width or not info.height:
        return Picture(info.name, info.width, info.height, (), folder, original, clean)
    largest = min(info.width, WIDTHS[-1])
    widths = [w for w in WIDTHS if w < largest] + [largest]
    fallback = "png" if info.alpha or info.format == "png" else "jpeg"
    stem = info.file.rsplit(".", 1)[0]
    variants = tuple(
        Variant(
            f"{stem}-{w}w.{EXTENSIONS[fmt]}",
            w,
            max(1, round(info.height * w / info.width)),
            fmt,
            info.digest,
        )
        for fmt in ("webp", fallback)
        for w in widths
    )
    last = variants[-1]
    square = square_copy(info, f"{stem}-square.jpg", "crop")
    return Picture(info.name, last.width, last.height, variants, folder, original, clean, square)


def square_copy(info: ImageInfo, name: str, fit: str) -> Variant | None:
    """The square copy of a picture for a shared link, at most :data:`SQUARE`
    pixels a side: its middle (``fit`` "crop"), or the whole of it on
    white ("pad", for a logo, which may be smaller and is then enlarged);
    None for a photo too small to give :data:`SQUARE_LEAST` pixels."""
    if not info.resizable or not info.width or not info.height:
        return None
    side = SQUARE if fit == "pad" else min(SQUARE, info.width, info.height)
    if side < SQUARE_LEAST:
        return None
    return Variant(name, side, side, "jpeg", info.digest, fit)


def published_name(info: ImageInfo) -> str:
    """The name the clean original is published under: its own, but for
    a format browsers cannot show (an iPhone's HEIC), which is published
    as a JPEG (or a PNG, with transparent parts) of the same name."""
    if info.format != "heif":
        return info.file
    return f"{info.file.rsplit('.', 1)[0]}.{EXTENSIONS[_shown_format(info)]}"


def _shown_format(info: ImageInfo) -> str:
    """The format of a picture's clean original: its own where browsers show it."""
    if info.format != "heif":
        return info.format
    return "png" if info.alpha else "jpeg"


def _read_heif() -> None:
    """Teach Pillow to read HEIC and HEIF, the first time one is met (the
    library takes a moment to load, which a site without them need not pay)."""
    from pillow_heif import register_heif_opener

    register_heif_opener()  # also turns the picture upright as it is read


def clean_original(info: ImageInfo) -> Variant | None:
    """What is published at a photo's own address, for a reader who opens
    or downloads it: a copy in its own format, upright, without the
    metadata a phone writes (where and when it was taken, the camera), and
    no larger than the largest copy a page shows. ``None`` for a picture
    published as it is (SVG, GIF)."""
    if not info.resizable or not info.width or not info.height:
        return None
    width = min(info.width, WIDTHS[-1])
    height = max(1, round(info.height * width / info.width))
    return Variant(published_name(info), width, height, _shown_format(info), info.digest)


def picture_html(
    pic: Picture,
    alt: str,
    *,
    lazy: bool = True,
    title: str = "",
    sizes: str = SIZES,
    base: str = "",
) -> str:
    """``<picture>`` markup for ``pic`` with WebP first, the fallback in
    ``<img>``, the size set so that nothing moves while it loads, and
    ``loading="lazy"`` unless the picture is at the top of the page.
    ``base``: the site's base path without its last "/"."""
    prefix = base if pic.folder else ""
    attrs = [f'alt="{html.escape(alt)}"']
    if title:
        attrs.append(f'title="{html.escape(title)}"')
    if pic.width and pic.height:
        attrs.append(f'width="{pic.width}" height="{pic.height}"')
    attrs.append('loading="lazy" decoding="async"' if lazy else 'fetchpriority="high"')
    if not pic.variants:
        return f'<img src="{html.escape(prefix + pic.href)}" {" ".join(attrs)}>'
    webp, fallback = pic.copies("webp"), pic.copies(pic.fallback_format)

    def srcset(copies: Iterable[Variant]) -> str:
        return ", ".join(f"{html.escape(prefix + pic.url(v))} {v.width}w" for v in copies)

    sizes_attr = f'sizes="{html.escape(sizes)}"'
    plain = html.escape(prefix + pic.url(_plain_src(fallback)))
    return (
        f'<picture><source type="image/webp" srcset="{srcset(webp)}" {sizes_attr}>'
        f'<img src="{plain}" srcset="{srcset(fallback)}" '
        f"{sizes_attr} {' '.join(attrs)}></picture>"
    )


def _plain_src(copies: tuple[Variant, ...]) -> Variant:
    """The copy for a browser that knows no ``srcset``: modest, for old phones."""
    fitting = [v for v in copies if v.width <= 800]
    return fitting[-1] if fitting else copies[0]


def resize(source: Path, variant: Variant) -> bytes:
    """The bytes of ``variant`` made from the picture at ``source``."""
    return make_copies(source, (variant,))[0]


def make_copies(source: Path, variants: Sequence[Variant]) -> list[bytes]:
    """The bytes of each of ``variants``, in order, made from the picture at
    ``source``: upright, resized with Lanczos filtering, without metadata.
    The picture is read once, a JPEG at the smallest scale its decoder
    offers (a half, a quarter, an eighth) that is still as large as the
    largest copy, and resized once for each width and kind of colour."""
    if source.suffix.lower() in _HEIF_SUFFIXES:
        _read_heif()
    with Image.open(source) as opened:
        if opened.format == "JPEG" and variants:
            width = max(v.width for v in variants)
            height = max(v.height for v in variants)
            sideways = opened.getexif().get(0x0112, 1) in (5, 6, 7, 8)
            opened.draft(opened.mode, (height, width) if sideways else (width, height))
        ImageOps.exif_transpose(opened, in_place=True)  # no copy: a photo is large
        image: Image.Image = opened
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    # JPEG has no transparency: such a picture is laid on white for it
    colours = {"jpeg": "flat" if has_alpha else "RGB", "webp": "RGBA" if has_alpha else "RGB"}
    colours["png"] = colours["webp"]
    converted: dict[str, Image.Image] = {}
    resized: dict[tuple[str, int, int], Image.Image] = {}
    made: list[bytes] = []
    for variant in variants:
        colour = colours[variant.format]
        if colour not in converted:
            if colour == "flat":
                converted[colour] = _flatten(image)
            else:
                converted[colour] = image if image.mode == colour else image.convert(colour)
        size = (variant.width, variant.height)
        copy = resized.get((colour, *size)) if not variant.fit else None
        if variant.fit == "crop":
            copy = ImageOps.fit(converted[colour], size, Image.Resampling.LANCZOS)
        elif variant.fit == "pad":
            copy = ImageOps.pad(converted[colour], size, Image.Resampling.LANCZOS, "white")
        elif copy is None:
            copy = converted[colour]
            if copy.size != size:
                copy = copy.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
            resized = {(colour, *size): copy}  # kept for the next format of this size only
        buffer = io.BytesIO()
        if variant.format == "jpeg":
            copy.save(buffer, "JPEG", quality=_QUALITY["jpeg"], optimize=True, progressive=True)
        elif variant.format == "webp":
            copy.save(buffer, "WEBP", quality=_QUALITY["webp"], method=4)
        else:
            copy.save(buffer, "PNG", optimize=True)
        made.append(buffer.getvalue())
    return made


def _flatten(image: Image.Image) -> Image.Image:
    """A picture with transparent parts on white, for JPEG."""
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background

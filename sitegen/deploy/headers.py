"""How each published file is served: its Content-Type and Cache-Control,
and the precompressed copies a web server can send instead of it.

Content types come from the table below, then from Python's own built-in
table (never the machine's /etc/mime.types, so that two machines publish
the same headers). Text is declared UTF-8, as sitegen writes it.

Caching follows from how each file is addressed:

- **a year, immutable**: files whose address changes when their bytes do.
  Pictures and attachments are published in ``/media/<digest>/``, named
  after their content; Pagefind names its index fragments and metadata
  after theirs (``/pagefind/fragment/*.pf_fragment``,
  ``/pagefind/index/*.pf_index``, ``pagefind.<lang>_<hash>.pf_meta``).
- **five minutes**: everything else. Pages, feeds, the sitemap and the
  calendars keep their address for ever. The theme's ``/assets/`` are not
  content-addressed either: pages ask for ``site.css?v=<hash>``, but the
  object is still ``/assets/site.css``, the style sheet asks for
  ``pointer-large.svg`` with no fingerprint, ``share-qr.js`` imports its
  vendor files by plain name, and a CDN set to ignore query strings (a
  common "过滤参数" setting) would keep a year-long copy of an old style
  sheet under every ``?v=``. Pagefind's entry files (``pagefind.js``,
  ``pagefind-entry.json``, ``wasm.*.pagefind``) keep their names too.
"""

from __future__ import annotations

import gzip
import mimetypes
import re
from dataclasses import dataclass

import brotli

LONG_CACHE = "public, max-age=31536000, immutable"
SHORT_CACHE = "public, max-age=300"

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml; charset=utf-8",
    ".webmanifest": "application/manifest+json; charset=utf-8",
    ".ico": "image/vnd.microsoft.icon",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".gif": "image/gif",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".wasm": "application/wasm",
    ".pdf": "application/pdf",
    # attachments an article may carry (sitegen.core.attachments)
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".wps": "application/vnd.ms-works",
    ".et": "application/vnd.ms-excel",
    ".dps": "application/vnd.ms-powerpoint",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".csv": "text/csv; charset=utf-8",
    ".zip": "application/zip",
    ".rar": "application/vnd.rar",
    ".7z": "application/x-7z-compressed",
    ".heic": "image/heic",
    ".heif": "image/heif",
    # Pagefind's index files: gzip inside, which its script undoes itself
    ".pagefind": "application/octet-stream",
    ".pf_meta": "application/octet-stream",
    ".pf_fragment": "application/octet-stream",
    ".pf_index": "application/octet-stream",
}
_BUILT_IN = mimetypes.MimeTypes()  # Python's table alone, not the machine's
_ATOM = re.compile(r"(^|/)feed\.xml$")
_FINGERPRINTED = re.compile(
    r"^media/[0-9a-f]{12}/"
    r"|^pagefind/(fragment|index)/"
    r"|^pagefind/pagefind\.[^/]*_[0-9a-f]{7,}\.pf_meta$"
)
# what a browser takes compressed, beyond text/*
_COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/xml",
    "application/atom+xml",
    "application/manifest+json",
    "image/svg+xml",
    "image/vnd.microsoft.icon",
)
SMALLEST_COMPRESSED = 256  # bytes: below that, a compressed copy saves nothing


@dataclass(frozen=True, slots=True)
class Headers:
    content_type: str
    cache_control: str


def content_type(path: str) -> str:
    """The Content-Type of the published file at ``path`` (relative, "/")."""
    if _ATOM.search(path):
        return "application/atom+xml; charset=utf-8"
    dot = path.rfind(".")
    suffix = path[dot:].lower() if dot > path.rfind("/") else ""
    if suffix in _TYPES:
        return _TYPES[suffix]
    guessed, encoding = _BUILT_IN.guess_type("x" + suffix, strict=False) if suffix else (None, None)
    if guessed is None or encoding is not None:
        return "application/octet-stream"
    return guessed + ("; charset=utf-8" if guessed.startswith("text/") else "")


def cache_control(path: str) -> str:
    """A year for content-addressed files, five minutes for the rest."""
    return LONG_CACHE if _FINGERPRINTED.search(path) else SHORT_CACHE


def headers_for(path: str) -> Headers:
    return Headers(content_type(path), cache_control(path))


def compressible(path: str, size: int) -> bool:
    """Whether a server should have ``.gz`` and ``.br`` copies of the file."""
    kind = content_type(path)
    return size >= SMALLEST_COMPRESSED and kind.startswith(_COMPRESSIBLE)


def gzipped(data: bytes) -> bytes:
    """``data`` gzip-compressed, the same bytes on every run (no time, no name)."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def brotli_compressed(data: bytes) -> bytes:
    return bytes(brotli.compress(data, quality=11))

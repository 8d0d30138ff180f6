"""The build cache kept between builds in ``SITE_DIR/.sitegen-cache``.

It holds what is slow to make and fully decided by its inputs: the parse
of each source file and the HTML of each page. Every entry is addressed by
a digest of everything it was made from, this version of sitegen's code
included, so an entry is either exactly right or never looked up. Each
entry also carries a digest of its own bytes, checked on every read: an
entry damaged on disk is ignored and made again, never trusted. Entries
are written to a temporary file and renamed into place, so a build killed
midway leaves no half-written entry. The whole folder is safe to delete.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterable
from functools import cache
from importlib import metadata
from pathlib import Path, PurePath
from typing import Any

import sitegen
from sitegen.core.model import Body

_MAGIC = b"sitegen-cache\n"
_UMASK = os.umask(0o022)
os.umask(_UMASK)
_DIGEST = 32  # bytes of sha256
# The libraries whose output ends up in cached entries.
_LIBRARIES = (
    "jinja2",
    "markdown-it-py",
    "markdown-it-pyrs",
    "mdit-py-plugins",
    "pypinyin",
    "pyyaml",
    "markupsafe",
)


@cache
def code_version() -> str:
    """A digest of sitegen's own code and of the libraries whose output is
    cached: a cache made by any other version is not used."""
    digest = hashlib.sha256()
    package = Path(sitegen.__file__).parent
    for path in sorted(package.rglob("*.py")):
        name = path.relative_to(package).as_posix()
        digest.update(name.encode() + b"\0" + path.read_bytes())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(name.encode())
    return digest.hexdigest()


def key_of(*parts: bytes | str) -> str:
    """The address of an entry made from ``parts`` (and this code)."""
    digest = hashlib.sha256(code_version().encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


def fingerprint(value: object) -> str:
    """A digest of ``value``, the same for equal values in any process: the
    explicit key of a page, a parsed source or the settings in the build
    cache. ``value`` is made of frozen dataclasses, tuples, lists, dicts,
    sets, text, numbers, dates, paths and article bodies (by the digest of
    their text, wherever the text is kept); anything else is refused."""
    parts: list[str] = []
    _feed(value, parts)
    return hashlib.sha256("".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


_ATOMS = (int, float, type(None), dt.date, dt.time)  # bool is an int, datetime a date


def _feed(value: object, parts: list[str]) -> None:
    if isinstance(value, str):
        parts.append(f"s{len(value)}:{value}")
    elif isinstance(value, tuple | list):
        parts.append(f"({len(value)}")
        for item in value:
            _feed(item, parts)
    elif isinstance(value, _ATOMS):
        parts.append(f"{type(value).__name__}{value!r};")
    elif isinstance(value, Body):
        parts.append(f"B{value.digest.hex()}")
    elif isinstance(value, dict):
        parts.append(f"{{{len(value)}")
        for key, item in value.items():
            _feed(key, parts)
            _feed(item, parts)
    elif isinstance(value, frozenset | set):
        parts.append(f"<{len(value)}")
        parts.extend(sorted(fingerprint(item) for item in value))
    elif isinstance(value, PurePath):
        parts.append(f"p{len(str(value))}:{value}")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        parts.append(f"{type(value).__qualname__}(")
        for name in _field_names(type(value)):
            _feed(getattr(value, name), parts)
    else:
        raise TypeError(f"no fingerprint for a {type(value).__name__}")


# A dataclass whose fingerprint text is this long stands for its digest in
# Fingerprints (walked once); a shorter one (a link) is written out each
# time, which is faster than keeping it. For the 13,970 pages of the
# 5,000-article corpus: 1.23 s of keys at 200, 1.29 s at 400, 1.36 s at
# 100, against 1.35 s for keys of the pages' repr and 2.27 s for
# fingerprint().
SHARED_FROM = 200
# what Fingerprints hands to fingerprint() as it is
_PLAIN = frozenset({str, int, bool, float, type(None), dt.date, list, dict})


class Fingerprints:
    """:func:`fingerprint`'s digest, in another encoding, for many values
    that share parts, as a site's pages share their cards and events: each
    large dataclass instance is walked once and stands for its digest
    wherever it is met again. Its objects are kept (so that no other takes
    their ``id``) until it is dropped. The same value gives the same digest
    whatever came before, in any process."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[object, str]] = {}

    def __call__(self, value: object) -> str:
        parts: list[str] = []
        self._feed(value, parts)
        return hashlib.sha256("".join(parts).encode("utf-8", "surrogatepass")).hexdigest()

    def _feed(self, value: object, parts: list[str]) -> None:
        kind = type(value)
        if kind is tuple:
            parts.append(f"({len(value)}")  # type: ignore[arg-type]
            self._items(value, parts)  # type: ignore[arg-type]
        elif kind in _PLAIN:
            _feed(value, parts)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            known = self._known.get(id(value))
            if known is None or known[0] is not value:
                own: list[str] = [f"{kind.__qualname__}("]
                fields = _field_names(type(value))
                self._items([getattr(value, name) for name in fields], own)
                text = "".join(own)
                if len(text) < SHARED_FROM:
                    parts.append(text)
                    return
                data = text.encode("utf-8", "surrogatepass")
                digest = "#" + hashlib.blake2b(data, digest_size=16).hexdigest()
                known = self._known[id(value)] = (value, digest)
            parts.append(known[1])
        else:
            _feed(value, parts)

    def _items(self, items: Iterable[object], parts: list[str]) -> None:
        """Each of ``items`` fed in turn, text and numbers here (most are)."""
        for item in items:
            kind = type(item)
            if kind is str:
                parts.append(f"s{len(item)}:{item}")  # type: ignore[arg-type]
            elif kind is int or kind is bool or item is None:
                parts.append(f"{kind.__name__}{item!r};")
            else:
                self._feed(item, parts)


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(kind))


def write_atomically(target: Path, data: bytes) -> None:
    """``data`` at ``target``, whole or not at all: written to a temporary
    file beside it, then renamed over it, so that a process killed midway
    leaves a ``.tmp-`` file that no lookup matches, never half an entry.
    The file is readable as any file this user writes: pages are linked
    from the cache into the site, which a web server must be able to read."""
    handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
    try:
        os.fchmod(handle, 0o666 & ~_UMASK)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class BuildStore:
    """Entries under one folder: ``<kind>/<first two digits>/<key>``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._made: set[Path] = set()
        self._pages: dict[str, str] | None = None

    def _path(self, kind: str, key: str) -> Path:
        return self.root / kind / key[:2] / key

    def get(self, kind: str, key: str) -> Any | None:
        """The value stored under ``key``, or ``None`` if there is none or
        it is damaged."""
        data = self.get_bytes(kind, key)
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except Exception:  # a damaged entry is a missing entry
            return None

    def discard(self, kind: str, key: str) -> None:
        """Remove the entry under ``key``, if there is one."""
        with contextlib.suppress(OSError):
            self._path(kind, key).unlink(missing_ok=True)

    def put(self, kind: str, key: str, value: Any) -> None:
        self.put_bytes(kind, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def get_bytes(self, kind: str, key: str) -> bytes | None:
        try:
            raw = self._path(kind, key).read_bytes()
        except OSError:
            return None
        head = len(_MAGIC)
        payload = raw[head + _DIGEST :]
        if raw[:head] != _MAGIC or hashlib.sha256(payload).digest() != raw[head : head + _DIGEST]:
            return None
        return payload

    def put_bytes(self, kind: str, key: str, data: bytes) -> None:
        """Keep ``data`` under ``key``. A cache that cannot be written (a
        full disk, a read-only folder) only makes the next build slower."""
        with contextlib.suppress(OSError):
            self._put(kind, key, data)

    def _put(self, kind: str, key: str, data: bytes) -> None:
        self._write_atomically(self._path(kind, key), _MAGIC + hashlib.sha256(data).digest() + data)

    def _folder_of(self, target: Path) -> None:
        """Make the folder ``target`` goes in, unless this process has."""
        if target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(target.parent)

    def _write_atomically(self, target: Path, data: bytes) -> None:
        self._folder_of(target)
        write_atomically(target, data)

    # Pages are kept as plain HTML files, so that a build can link them into
    # the new site instead of writing them again; their digests are kept in
    # one index, read once per build.

    def page_index(self) -> dict[str, str]:
        """Page key → sha256 of its HTML, as the last build left it."""
        if self._pages is None:
            stored = self.get("index", "pages")
            self._pages = stored if isinstance(stored, dict) else {}
        return self._pages

    def get_page(self, key: str) -> tuple[bytes, Path, str] | None:
        """A page's HTML, its file and digest, if intact."""
        digest = self.page_index().get(key)
        if digest is None:
            return None
        path = self._path("html", key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if hashlib.sha256(data).hexdigest() != digest:
            return None
        return data, path, digest

    def put_page(
        self, key: str, data: bytes, written: Path | None = None
    ) -> tuple[Path | None, str]:
        """Keep a page's HTML; its file (``None`` if it could not be
        written) and digest. A page already ``written`` to a file that is
        never changed in place (the new site's) is linked, not written again."""
        digest = hashlib.sha256(data).hexdigest()
        path = self._path("html", key)
        if written is not None and self._link(written, path):
            return path, digest
        try:
            self._write_atomically(path, data)
        except OSError:
            return None, digest
        return path, digest

    def _link(self, source: Path, target: Path) -> bool:
        """Whether ``source`` is now at ``target`` too, as a hard link; a
        link appears whole, so a build killed midway leaves no part of it."""
        try:
            self._folder_of(target)
            try:
                os.link(source, target)
            except FileExistsError:  # an entry that was damaged, or not in the index
                temporary = target.with_name(f".tmp-{os.getpid()}-{target.name}")
                temporary.unlink(missing_ok=True)
                os.link(source, temporary)
                os.replace(temporary, target)
        except OSError:  # another disk, or a system without links: written instead
            return False
        return True

    def save_page_index(self, index: dict[str, str]) -> None:
        if index != self.page_index():
            self.put("index", "pages", index)
            self._pages = index

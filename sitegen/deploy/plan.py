"""What a deploy does: the built files with their digests, the manifest a
target keeps of what it holds, and the plan that compares the two.

The functions here touch no network and, but for :func:`scan`, no file:
the targets (:mod:`sitegen.deploy.s3`, :mod:`sitegen.deploy.ssh`) fetch what
they need, and call :func:`make_plan` to decide.

The manifest is ``.sitegen-deploy.json`` at the target's root: for every
published file, its SHA-256, size and the headers it was uploaded with
(and, on object storage, the ETag the storage gave it). It is written
last, after every upload and deletion, so it only ever confirms what is in
place: a deploy stopped half-way leaves the last one's manifest, and the
next run uploads again whatever that one does not confirm.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import sitegen.deploy.headers as headers

MANIFEST = ".sitegen-deploy.json"
BUILD_MARKER = ".sitegen-output"  # the build's own marker, not part of the site
MANIFEST_VERSION = 1


class DeployError(Exception):
    """A deploy that cannot go on: a message for the editor (English, made
    from a template of the message catalog under ``code``) and a hint."""

    def __init__(self, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


@dataclass(frozen=True, slots=True)
class LocalFile:
    path: str  # relative to the site's root, with "/"
    sha256: str
    size: int
    content_type: str
    cache_control: str
    source: Path  # where its bytes are on this computer


@dataclass(frozen=True, slots=True)
class Entry:
    """One file as the manifest records it."""

    sha256: str
    size: int
    content_type: str
    cache_control: str
    etag: str = ""  # what the storage answered to the upload, where it says


@dataclass(frozen=True, slots=True)
class Listed:
    """One file as the target's own listing shows it."""

    size: int
    etag: str = ""


@dataclass(frozen=True, slots=True)
class Plan:
    uploads: tuple[LocalFile, ...]  # in the order to upload them
    deletes: tuple[str, ...]
    unchanged: tuple[LocalFile, ...]

    @property
    def empty(self) -> bool:
        return not self.uploads and not self.deletes


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a deploy did (or, dry, would do), counted in built files:
    a page and its precompressed copies are one file."""

    uploaded: tuple[str, ...]
    deleted: tuple[str, ...]
    unchanged: int


def outcome(plan: Plan) -> Outcome:
    built = [file.path for file in (*plan.uploads, *plan.unchanged)]
    uploaded = originals((file.path for file in plan.uploads), built)
    unchanged = originals((file.path for file in plan.unchanged), built)
    deleted = originals(plan.deletes, [*built, *plan.deletes])
    return Outcome(tuple(uploaded), tuple(deleted), len(unchanged))


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def local_file(path: str, source: Path) -> LocalFile:
    data = source.read_bytes()
    return LocalFile(
        path, digest(data), len(data), headers.content_type(path), headers.cache_control(path),
        source,
    )  # fmt: skip


def scan(folder: Path) -> list[LocalFile]:
    """Every file of the built site in ``folder``, sorted by path; not the
    build's marker."""
    files = []
    for source in sorted(folder.rglob("*")):
        path = source.relative_to(folder).as_posix()
        if path in (BUILD_MARKER, MANIFEST) or not source.is_file():
            continue
        files.append(local_file(path, source))
    return files


def upload_rank(path: str) -> int:
    """When a file is uploaded: what pages refer to goes before the pages,
    so that no page is ever in place before a file it links to. First the
    content-addressed files (pictures, search fragments), then the other
    files the pages load (styles, scripts, the search's entry), then the
    pages, feeds, calendars and sitemap, which link to all of these."""
    if headers.cache_control(path) == headers.LONG_CACHE:
        return 0
    name = path.removesuffix(".gz").removesuffix(".br")
    if name.endswith((".html", ".xml", ".ics", ".txt")):
        return 2
    return 1


def make_plan(
    local: Sequence[LocalFile],
    manifest: Mapping[str, Entry],
    listing: Mapping[str, Listed] | None,
) -> Plan:
    """What to upload and delete so that the target holds ``local``.

    A file is left alone only when the manifest records it with the same
    digest and headers, and, where the target has a ``listing``, the
    listing shows it still there with the recorded size and ETag (a file
    deleted or replaced by hand since is uploaded again). With a listing,
    every listed file the build no longer has is deleted; without one, each
    that the manifest records."""
    uploads: list[LocalFile] = []
    unchanged: list[LocalFile] = []
    for file in local:
        entry = manifest.get(file.path)
        same = entry is not None and (
            entry.sha256,
            entry.size,
            entry.content_type,
            entry.cache_control,
        ) == (file.sha256, file.size, file.content_type, file.cache_control)
        if same and listing is not None and entry is not None:
            seen = listing.get(file.path)
            same = seen is not None and seen.size == file.size
            if same and seen is not None and entry.etag and seen.etag:
                same = seen.etag == entry.etag
        (unchanged if same else uploads).append(file)
    uploads.sort(key=lambda f: (upload_rank(f.path), f.path))
    built = {file.path for file in local}
    there = listing.keys() if listing is not None else manifest.keys()
    deletes = sorted(path for path in there if path not in built and path != MANIFEST)
    return Plan(tuple(uploads), tuple(deletes), tuple(unchanged))


def read_manifest(data: bytes | None) -> dict[str, Entry]:
    """The entries of a manifest's bytes; none for a missing or unreadable
    one (the deploy then uploads everything again, which is always safe)."""
    if not data:
        return {}
    try:
        parsed = json.loads(data.decode("utf-8"))
        files = parsed["files"] if parsed.get("version") == MANIFEST_VERSION else {}
        return {
            str(path): Entry(
                str(item["sha256"]),
                int(item["size"]),
                str(item["content_type"]),
                str(item["cache_control"]),
                str(item.get("etag", "")),
            )
            for path, item in files.items()
        }
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}


def manifest_bytes(entries: Mapping[str, Entry]) -> bytes:
    """The manifest of ``entries``: sorted, the same bytes for the same files."""
    files = {}
    for path in sorted(entries):
        entry = entries[path]
        item: dict[str, object] = {
            "sha256": entry.sha256,
            "size": entry.size,
            "content_type": entry.content_type,
            "cache_control": entry.cache_control,
        }
        if entry.etag:
            item["etag"] = entry.etag
        files[path] = item
    text = json.dumps({"version": MANIFEST_VERSION, "files": files}, indent=1, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def entry_of(file: LocalFile, etag: str = "") -> Entry:
    return Entry(file.sha256, file.size, file.content_type, file.cache_control, etag)


def originals(paths: Iterable[str], local: Iterable[str]) -> list[str]:
    """``paths`` without the precompressed copies of files in ``local``:
    the files an editor counts."""
    built = set(local)
    return [p for p in paths if not (p.endswith((".gz", ".br")) and p[:-3] in built)]

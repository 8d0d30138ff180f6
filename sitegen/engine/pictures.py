"""The smaller copies of the site's pictures, made once: each copy is kept
in the build cache under its source's digest and its size and format, and
the copies a build lacks are made by threads (Pillow lets go of the
interpreter lock while it decodes, resizes and encodes), one picture per
thread at a time, each picture read once for all its copies. What a copy
looks like is :func:`sitegen.core.images.make_copies`'s business.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import PIL
from PIL import Image

from sitegen.core.images import CACHE_VERSION, EXTENSIONS, Variant, make_copies, reason
from sitegen.engine.cache import write_atomically

_EVERY = 2.0  # seconds between two progress lines


@dataclass(frozen=True, slots=True)
class Job:
    """A copy to make: from ``source`` (a path in the site folder)."""

    source: Path
    variant: Variant


@dataclass
class MadeImages:
    files: dict[str, Path]  # output path -> file holding its bytes
    made: int = 0  # copies resized in this build; the others came from the cache
    failed: dict[str, str] = field(default_factory=dict)  # output path -> why not made


# a copy wanted of a picture: (width, height, format, fit) -> (variant, output paths)
_Wanted = dict[tuple[int, int, str, str], tuple[Variant, list[str]]]


def make_images(
    jobs: Mapping[str, Job],
    cache_dir: Path,
    workers: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> MadeImages:
    """Make (or find in ``cache_dir``) every copy in ``jobs`` (output path →
    job), a picture per thread. A picture that cannot be read is listed in
    ``failed``; a copy that cannot be stored (a full disk) raises OSError,
    since the fault is not the picture's. ``progress`` hears how many
    pictures are done, every few seconds of a long run."""
    if not jobs:
        return MadeImages({})
    folder = cache_dir / "images"
    folder.mkdir(parents=True, exist_ok=True)
    entries = {entry.name.split(".", 1)[0]: entry.name for entry in os.scandir(folder)}

    # The same copy is often wanted more than once (the largest copy and the
    # original's clean copy may be one); it is made once, for every output
    # that wants it, and each picture is read once for all its copies.
    pictures: dict[Path, _Wanted] = {}
    for out, job in sorted(jobs.items()):
        wanted = pictures.setdefault(job.source, {})
        v = job.variant
        wanted.setdefault((v.width, v.height, v.format, v.fit), (v, []))[1].append(out)

    def one(source: Path, wanted: _Wanted) -> tuple[dict[tuple[int, int, str, str], Path], int]:
        digest = next(iter(wanted.values()))[0].digest or _digest(source)
        found: dict[tuple[int, int, str, str], Path] = {}
        missing: list[tuple[tuple[int, int, str, str], str, Variant]] = []
        # by width, the formats of a width together: each width is resized once
        for same, (variant, _outs) in sorted(wanted.items(), reverse=True):
            key = _cache_key(digest, variant)
            name = entries.get(key)
            if name is not None and _intact(folder / name):
                found[same] = folder / name
            else:
                missing.append((same, key, variant))
        if missing:
            made = make_copies(source, [variant for _, _, variant in missing])
            for (same, key, variant), data in zip(missing, made, strict=True):
                try:
                    found[same] = _store(folder, key, variant, data)
                except OSError as exc:
                    raise _Unstored(exc) from exc
        return found, len(missing)

    result = MadeImages({})
    done, total, said = 0, len(pictures), time.monotonic()
    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        futures = {pool.submit(one, source, wanted): source for source, wanted in pictures.items()}
        for future in as_completed(futures):
            wanted = pictures[futures[future]]
            try:
                paths, made = future.result()
            except _Unstored as exc:
                for other in futures:
                    other.cancel()
                raise exc.error from None
            except (OSError, ValueError, Image.DecompressionBombError) as exc:
                for _variant, outs in wanted.values():
                    result.failed.update(dict.fromkeys(outs, reason(exc)))
                continue
            for same, (_variant, outs) in wanted.items():
                result.files.update(dict.fromkeys(outs, paths[same]))
            result.made += made
            done += 1
            if progress is not None and time.monotonic() - said >= _EVERY and done < total:
                progress(f"pictures {done}/{total}")
                said = time.monotonic()
    result.files = dict(sorted(result.files.items()))
    result.failed = dict(sorted(result.failed.items()))
    return result


class _Unstored(Exception):
    """A copy was made but could not be written to the cache."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error)
        self.error = error


def _digest(source: Path) -> str:
    with source.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _cache_key(digest: str, variant: Variant) -> str:
    spec = f"{CACHE_VERSION}|{PIL.__version__}|{digest}|{variant.width}|{variant.format}"
    if variant.fit:  # a square copy: its own shape and size
        spec += f"|{variant.fit}|{variant.height}"
    return hashlib.sha256(spec.encode()).hexdigest()


def _intact(path: Path) -> bool:
    """Whether a cache entry still holds the bytes its name promises."""
    parts = path.name.split(".")
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return len(parts) == 3 and hashlib.sha256(data).hexdigest()[:16] == parts[1]


def _store(folder: Path, key: str, variant: Variant, data: bytes) -> Path:
    """Put ``data`` in the cache atomically: a build killed midway leaves
    a temporary file that no lookup matches, never half an entry."""
    digest = hashlib.sha256(data).hexdigest()[:16]
    target = folder / f"{key}.{digest}.{EXTENSIONS[variant.format]}"
    write_atomically(target, data)
    return target

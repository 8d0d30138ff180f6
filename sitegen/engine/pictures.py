"""The smaller copies of the site's pictures, made once: each copy is kept
in the build cache under its source's digest and its size and format, and
the copies a build lacks are made by threads (Pillow lets go of the
interpreter lock while it resizes and encodes). What a copy looks like is
:func:`sitegen.core.images.resize`'s business.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import PIL
from PIL import Image

from sitegen.core.images import CACHE_VERSION, EXTENSIONS, Variant, reason, resize
from sitegen.engine.cache import write_atomically


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


def make_images(jobs: Mapping[str, Job], cache_dir: Path, workers: int | None = None) -> MadeImages:
    """Make (or find in ``cache_dir``) every copy in ``jobs`` (output path →
    job), spread over threads: Pillow lets go of the interpreter lock while
    it resizes and encodes. A picture that cannot be read is listed in
    ``failed``; a copy that cannot be stored (a full disk) raises OSError,
    since the fault is not the picture's."""
    if not jobs:
        return MadeImages({})
    folder = cache_dir / "images"
    folder.mkdir(parents=True, exist_ok=True)
    entries = {entry.name.split(".", 1)[0]: entry.name for entry in os.scandir(folder)}
    digests: dict[Path, str] = {}
    for job in jobs.values():
        if job.source not in digests:
            digests[job.source] = hashlib.sha256(job.source.read_bytes()).hexdigest()

    def one(job: Job) -> tuple[Path, bool]:
        key = _cache_key(digests[job.source], job.variant)
        name = entries.get(key)
        if name is not None and _intact(folder / name):
            return folder / name, False
        data = resize(job.source, job.variant)
        try:
            return _store(folder, key, job.variant, data), True
        except OSError as exc:
            raise _Unstored(exc) from exc

    # The same copy is often wanted more than once: beside each language's
    # page, and as the largest copy and the original's clean copy. It is
    # made once, for every output that wants it.
    wanted: dict[tuple[Path, int, str], tuple[Job, list[str]]] = {}
    for out, job in sorted(jobs.items()):
        same = (job.source, job.variant.width, job.variant.format)
        wanted.setdefault(same, (job, []))[1].append(out)
    result = MadeImages({})
    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        futures = {same: pool.submit(one, job) for same, (job, _) in wanted.items()}
        for same, future in futures.items():
            outs = wanted[same][1]
            try:
                path, made = future.result()
            except _Unstored as exc:
                raise exc.error from None
            except (OSError, ValueError, Image.DecompressionBombError) as exc:
                result.failed.update(dict.fromkeys(outs, reason(exc)))
                continue
            result.files.update(dict.fromkeys(outs, path))
            result.made += made
    return result


class _Unstored(Exception):
    """A copy was made but could not be written to the cache."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error)
        self.error = error


def _cache_key(digest: str, variant: Variant) -> str:
    spec = f"{CACHE_VERSION}|{PIL.__version__}|{digest}|{variant.width}|{variant.format}"
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

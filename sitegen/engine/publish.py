"""The write stage: the pictures' copies made, every file written into the
new site's folder, the search index built there, and the folder put in
place of the old site (see :mod:`sitegen.engine.write`)."""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from sitegen.core.diagnostics import Diagnostics
from sitegen.core.images import Variant
from sitegen.core.search import SearchError, index_site
from sitegen.engine.parallel import Cancelled
from sitegen.engine.pictures import Job, make_images
from sitegen.engine.write import Staging


@contextmanager
def picture_cache(folder: Path | None) -> Iterator[Path]:
    """Where the pictures' copies are kept: ``folder`` (the build cache), or
    a scratch folder removed after the build where there is none."""
    if folder is not None:
        yield folder
        return
    with tempfile.TemporaryDirectory(prefix="sitegen-cache-") as scratch:
        yield Path(scratch)


def publish(
    staging: Staging,
    files: Mapping[str, bytes],
    copies: Mapping[str, Path],
    images: Mapping[str, tuple[str, Variant]],
    site_dir: Path,
    cache: Path,
    search: bool,
    diagnostics: Diagnostics,
    progress: Callable[[str], None],
    stop: threading.Event | None = None,
) -> tuple[int, int] | None:
    """Write ``files`` (made in memory) and ``copies`` (of files on disk)
    into ``staging`` with the copies of ``images`` (each made of a picture
    of the site, kept in ``cache``), build the search index, and put the new
    site in place. The number of files copied and of picture copies made
    (rather than taken from the cache); ``None`` where a picture or the
    search index could not be made (said in ``diagnostics``) and the old
    site stays. Raises :class:`OSError` where a file cannot be written, and
    :class:`Cancelled` once ``stop`` is set."""
    jobs = {out: Job(site_dir / src, v) for out, (src, v) in images.items()}
    if jobs:
        pictures = len({job.source for job in jobs.values()})
        progress(f"making {len(jobs)} copies of {pictures} pictures")
    made = make_images(jobs, cache, progress=progress)
    for out, reason in made.failed.items():
        diagnostics.error(
            images[out][0],
            0,
            "bad-image",
            f"a smaller copy of this picture could not be made: {reason}",
            "open it in a photo editor and save it again as JPEG or PNG",
        )
    if made.failed:
        return None
    for rel, data in files.items():
        if stop is not None and stop.is_set():
            raise Cancelled  # the new site is not yet in place
        staging.write(rel, data)
    for rel, source in copies.items():
        staging.copy(rel, source)
    for rel, source in made.files.items():  # cache entries are never changed in place
        staging.link(rel, source)
    try:
        staging.commit(index_site if search else None)
    except SearchError as exc:
        diagnostics.error(
            "site.yaml",
            0,
            "search-failed",
            f"the search index could not be built: {exc}",
            "install pagefind[extended] (python3 -m pip install 'pagefind[extended]'), "
            "or build with --no-search; the previous site was left as it was",
        )
        return None
    return len(copies) + len(made.files), made.made

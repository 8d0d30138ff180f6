"""Full-text search: Pagefind indexes the finished site before it is swapped in.

Pagefind (PyPI ``pagefind[extended]``, whose binary segments Chinese) reads
the pages marked ``data-pagefind-body`` — reports, team and studio pages,
and each year of the timeline — and writes ``/pagefind/``: an index per
``<html lang>`` and the small search interface the search page loads. All of
it is served by the site itself.

Pagefind does not report a write that fails: on a full disk it leaves empty
or cut-short files and still exits 0. So the index is checked after it ran
(every file has bytes, every compressed file decompresses whole, the entry
file is JSON), and the disk's free space tells a full disk from other
damage. A full disk is raised as the ``OSError`` any other write would
raise, naming the index folder, so that the build reports it as every
failed write is reported; the previous site stays either way.
"""

from __future__ import annotations

import errno
import gzip
import json
import os
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

# Less free space than this after Pagefind ran counts as a full disk: a
# write that failed for want of space leaves next to nothing free.
FULL_BELOW = 1024 * 1024
_COMPRESSED = (".pf_meta", ".pf_index", ".pf_fragment", ".pagefind")
_NO_SPACE = ("No space left on device", "os error 28")


class SearchError(Exception):
    """The index could not be built; the message says why."""


def index_site(folder: Path) -> None:
    """Write the search index of the site in ``folder`` into ``folder/pagefind``.

    Raises :class:`SearchError` when Pagefind fails or leaves a damaged
    index, and ``OSError`` (``ENOSPC``) when the disk is full.
    """
    bundle = folder / "pagefind"
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pagefind", "--site", str(folder), "--quiet"],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchError(f"Pagefind did not run: {exc}") from exc
    output = done.stderr + done.stdout
    if done.returncode != 0:
        if disk_full(folder) or any(words in output for words in _NO_SPACE):
            raise _full(bundle)
        detail = output.strip().splitlines()
        raise SearchError("Pagefind failed" + (f": {detail[-1]}" if detail else ""))
    if disk_full(folder):
        raise _full(bundle)
    damage = damaged(bundle)
    if damage:
        raise SearchError(f"Pagefind left a damaged index: {damage}")
    entry = bundle / "pagefind-entry.json"
    if entry.is_file():  # a site with nothing to index has no entry file
        _sort_entry(entry)


def disk_full(folder: Path) -> bool:
    """Whether the disk that holds ``folder`` has (all but) no room left."""
    try:
        return shutil.disk_usage(folder).free < FULL_BELOW
    except OSError:
        return False


def damaged(bundle: Path) -> str:
    """What is wrong with the index Pagefind wrote into ``bundle``, or the
    empty string: an empty file, a compressed file cut short, or an entry
    file that is not JSON."""
    if not bundle.is_dir():
        return ""
    for path in sorted(bundle.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(bundle.parent).as_posix()
        data = path.read_bytes()
        if not data:
            return f"{name} is empty"
        if path.name.endswith(_COMPRESSED):
            try:
                gzip.decompress(data)
            except (EOFError, OSError, zlib.error):
                return f"{name} is cut short"
        elif path.name == "pagefind-entry.json":
            try:
                json.loads(data)
            except ValueError:
                return f"{name} is not whole"
    return ""


def _full(bundle: Path) -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.fspath(bundle))


def _sort_entry(path: Path) -> None:
    """Pagefind lists the languages of its entry file in a random order; sort
    them so that the same site always gives the same bytes. The rest of its
    files are named by their content and already stable."""
    entry = json.loads(path.read_text(encoding="utf-8"))
    text = json.dumps(entry, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text, encoding="utf-8")

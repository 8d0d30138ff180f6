"""Full-text search: Pagefind indexes the finished site before it is swapped in.

Pagefind (PyPI ``pagefind[extended]``, whose binary segments Chinese) reads
the pages marked ``data-pagefind-body`` — reports, team and studio pages,
and each year of the timeline — and writes ``/pagefind/``: an index per
``<html lang>`` and the small search interface the search page loads. All of
it is served by the site itself.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


class SearchError(Exception):
    """The index could not be built; the message says why."""


def index_site(folder: Path) -> None:
    """Write the search index of the site in ``folder`` into ``folder/pagefind``."""
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
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise SearchError("Pagefind failed" + (f": {detail[-1]}" if detail else ""))
    entry = folder / "pagefind" / "pagefind-entry.json"
    if entry.is_file():  # a site with nothing to index has no entry file
        _sort_entry(entry)


def _sort_entry(path: Path) -> None:
    """Pagefind lists the languages of its entry file in a random order; sort
    them so that the same site always gives the same bytes. The rest of its
    files are named by their content and already stable."""
    entry = json.loads(path.read_text(encoding="utf-8"))
    text = json.dumps(entry, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text, encoding="utf-8")

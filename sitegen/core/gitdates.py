"""The day each article was last corrected, from the site's git history.

With ``updated_from_git: true`` in site.yaml, an article whose file a
commit changed after the commit that added it shows the day of the last
such commit as its updated date (更新于 / Updated), unless its front
matter gives ``updated`` itself. A file with one commit only, a file not
committed, and a site outside git have none: the day a file was added is
when it was published, not corrected. A shallow clone sees only the
commits it has (in CI, fetch the whole history).
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

_COMMIT = "\x1e"  # starts each commit's line in the log


def last_corrections(site_dir: Path, folder: str) -> dict[str, dt.date]:
    """Each file under ``folder`` (a path relative to ``site_dir``) that a
    commit changed after the one that added it, by its path relative to
    ``site_dir``: the day of its last commit, in the committer's time zone.
    Empty where git or the history cannot be read."""
    try:
        run = subprocess.run(
            [
                "git", "-c", "core.quotepath=off", "-C", str(site_dir), "log",
                f"--format={_COMMIT}%cs", "--name-only", "--no-renames", "--relative",
                "--", folder,
            ],
            capture_output=True, text=True, encoding="utf-8", errors="replace",
            timeout=300, check=False,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return {}
    if run.returncode != 0:
        return {}
    latest: dict[str, dt.date] = {}  # the newest commit of each file
    changed: set[str] = set()  # files with an older commit too
    day: dt.date | None = None
    for line in run.stdout.split("\n"):  # not splitlines(), which splits at the separator
        if line.startswith(_COMMIT):
            try:
                day = dt.date.fromisoformat(line[1:].strip())
            except ValueError:
                day = None
        elif line and day is not None:
            if line in latest:
                changed.add(line)
            else:
                latest[line] = day
    return {path: latest[path] for path in sorted(changed)}


def head(site_dir: Path) -> str:
    """The commit checked out where ``site_dir`` is; "" outside git."""
    try:
        run = subprocess.run(
            ["git", "-C", str(site_dir), "rev-parse", "HEAD"],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return ""
    return run.stdout.strip() if run.returncode == 0 else ""

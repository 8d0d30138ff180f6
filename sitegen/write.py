"""Putting the built site on disk, all at once or not at all.

Everything is written into a fresh temporary folder beside the output
folder, which then replaces the output folder with two renames. A build
that fails, or is killed, before the swap leaves the previous site as it
was; leftovers of a killed build are cleaned up by the next one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path


def _leftovers(out_dir: Path, kind: str) -> list[Path]:
    return sorted(out_dir.parent.glob(f".{out_dir.name}.{kind}-*"))


def recover(out_dir: Path) -> None:
    """Undo what a build killed in the middle of its swap left behind."""
    old = _leftovers(out_dir, "old")
    if not out_dir.exists() and old:
        os.rename(old[-1], out_dir)
        old = old[:-1]
    for path in old + _leftovers(out_dir, "tmp"):
        shutil.rmtree(path, ignore_errors=True)


class Staging:
    """A new site being written into a temporary folder beside ``out_dir``.

    Files may be written from several processes at once (forked workers
    write the pages they render). :meth:`commit` swaps the folder in;
    leaving the ``with`` block without committing removes it, and the
    previous site stays.
    """

    def __init__(self, out_dir: Path) -> None:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        recover(out_dir)
        self.out_dir = out_dir
        self.root = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
        self.root.chmod(0o755)
        self._made: set[Path] = {self.root}
        self.committed = False

    def write(self, rel: str, data: bytes) -> None:
        _target(self.root, rel, self._made).write_bytes(data)

    def copy(self, rel: str, source: Path) -> None:
        shutil.copyfile(source, _target(self.root, rel, self._made))

    def commit(self, finish: Callable[[Path], None] | None = None) -> None:
        """Let ``finish`` add to the new site (a search index), then put it
        in place of the previous one."""
        if finish is not None:
            finish(self.root)
        _swap(self.root, self.out_dir)
        self.committed = True

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.committed:
            shutil.rmtree(self.root, ignore_errors=True)


def write_site(
    out_dir: Path,
    pages: Mapping[str, bytes],
    copies: Mapping[str, Path],
    finish: Callable[[Path], None] | None = None,
) -> int:
    """Write ``pages`` (output path → bytes) and ``copies`` (output path →
    source file) as the new content of ``out_dir``; return the file count.
    ``finish`` may add to the new site (a search index) before it is swapped
    in; if it raises, the previous site stays."""
    with Staging(out_dir) as staging:
        for rel, data in pages.items():
            staging.write(rel, data)
        for rel, source in copies.items():
            staging.copy(rel, source)
        staging.commit(finish)
    return len(pages) + len(copies)


def _target(root: Path, rel: str, made: set[Path]) -> Path:
    target = root / rel
    if target.parent not in made:
        target.parent.mkdir(parents=True, exist_ok=True)
        made.add(target.parent)
    return target


def _swap(staging: Path, out_dir: Path) -> None:
    if not out_dir.exists():
        os.rename(staging, out_dir)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    old.rmdir()
    os.rename(out_dir, old)
    try:
        os.rename(staging, out_dir)
    except BaseException:
        os.rename(old, out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)

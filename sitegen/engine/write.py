"""Putting the built site on disk, all at once or not at all.

Everything is written into a fresh temporary folder beside the output
folder, ``.<out>.tmp-*``, which then takes the output folder's place: in
one step where the system can exchange two folders (Linux), else with two
renames. A build that fails, or is killed, before that step leaves the
previous site as it was; leftovers of a killed build are cleaned up by the
next one.

Builds that write the same output folder take turns: each holds a lock on
``.<out>.lock`` beside it from the moment it starts writing until its site
is in place (or thrown away), so a second build waits instead of taking
the first one's folder for a leftover.

Every site written carries a small marker file, ``.sitegen-output``, by
which a build knows the folder is sitegen's to replace; a folder that
holds the site, or other files, is refused (:func:`unsafe_output`).
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from sitegen.core.diagnostics import Diagnostic, Severity

MARKER = ".sitegen-output"
_MARKER_TEXT = b"Written by sitegen; every build replaces this whole folder.\n"
# What every site holds that sitegen wrote before it wrote the marker.
_SHAPE = ("index.html", "404.html", "assets/site.css")


def foreign_files(out_dir: Path) -> list[str]:
    """The names in ``out_dir`` that show sitegen did not write it: none when
    it is missing, empty or a site sitegen wrote."""
    if not out_dir.exists():
        return []
    if not out_dir.is_dir():
        return [out_dir.name]
    names = sorted(os.listdir(out_dir))
    if not names or MARKER in names or all((out_dir / part).is_file() for part in _SHAPE):
        return []
    return names


def unsafe_output(site_dir: Path, out: Path, force: bool) -> Diagnostic | None:
    """Why a build of the site in ``site_dir`` must not replace ``out``, or
    None. ``force`` allows a folder that sitegen did not write, never the
    site's own files or a file."""

    def refuse(message: str, hint: str) -> Diagnostic:
        return Diagnostic(os.fspath(out), 0, 0, Severity.ERROR, "unsafe-output", message, hint)

    site, target = site_dir.resolve(), out.resolve()
    if target == site or site.is_relative_to(target):
        return refuse(
            "--out is the site folder or holds it; a build would replace the site folder itself",
            "choose a folder of its own, such as build/ inside the site folder",
        )
    for keep in ("content", "themes"):
        if target.is_relative_to(site / keep):
            return refuse(
                f"--out is inside {keep}/, which the build reads",
                "choose a folder outside content/ and themes/, such as build/",
            )
    if out.exists() and not out.is_dir():
        return refuse("--out is a file, not a folder", "remove it or choose another folder")
    try:
        foreign = foreign_files(out)
    except OSError as exc:
        return refuse(f"--out cannot be read: {exc.strerror}", "choose another folder")
    if foreign and not force:
        names = ", ".join(foreign[:3]) + (", …" if len(foreign) > 3 else "")
        return refuse(
            f"--out holds files sitegen did not write ({names}); a build would delete them",
            "choose a new or empty folder, or add --force to replace this one and all it holds",
        )
    return None


def _leftovers(out_dir: Path, kind: str) -> list[Path]:
    return sorted(out_dir.parent.glob(f".{out_dir.name}.{kind}-*"))


def _recover(out_dir: Path) -> None:
    """Undo what a killed build left behind; only while holding the lock, so
    that what looks left over is never another build's work in progress."""
    old = _leftovers(out_dir, "old")
    if not out_dir.exists() and old:
        os.rename(old[-1], out_dir)
        old = old[:-1]
    for path in old + _leftovers(out_dir, "tmp"):
        _remove(path)


def recover(out_dir: Path) -> None:
    """Undo what a build killed in the middle of its swap left behind."""
    lock = _Lock(out_dir)
    try:
        _recover(out_dir)
    finally:
        lock.release()


class _Lock:
    """An advisory lock on ``.<out>.lock`` beside the output folder.

    The file is removed on release, while still locked; a build that was
    waiting for it then finds it gone and locks the new file instead, so two
    builds never both hold the lock. A killed build's lock is released by
    the system, and its file is removed by the next build.
    """

    def __init__(self, out_dir: Path, on_wait: Callable[[], None] | None = None) -> None:
        self.path = out_dir.parent / f".{out_dir.name}.lock"
        waited = False
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    if on_wait is not None and not waited:
                        on_wait()
                        waited = True
                    fcntl.flock(fd, fcntl.LOCK_EX)
                if _same_file(fd, self.path):
                    self._fd: int | None = fd
                    return
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)

    def release(self) -> None:
        if self._fd is None:
            return
        self.path.unlink(missing_ok=True)
        os.close(self._fd)
        self._fd = None


def _same_file(fd: int, path: Path) -> bool:
    try:
        named = path.stat()
    except FileNotFoundError:
        return False
    opened = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (opened.st_dev, opened.st_ino)


class Staging:
    """A new site being written into a temporary folder beside ``out_dir``.

    Files may be written from several processes at once (forked workers
    write the pages they render). :meth:`commit` swaps the folder in;
    :meth:`close` (or leaving the ``with`` block) without committing
    removes it, and the previous site stays. From creation to close it
    holds the output folder's lock; ``on_wait`` is called if another build
    holds it first.
    """

    def __init__(self, out_dir: Path, on_wait: Callable[[], None] | None = None) -> None:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        self.out_dir = out_dir
        self._lock = _Lock(out_dir, on_wait)
        try:
            _recover(out_dir)
            self.root = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
            self.root.chmod(0o755)
        except BaseException:
            self._lock.release()
            raise
        self._made: set[Path] = {self.root}
        self.committed = False

    def write(self, rel: str, data: bytes) -> Path:
        """Write ``data`` at ``rel``; the file written."""
        target = _target(self.root, rel, self._made)
        target.write_bytes(data)
        return target

    def copy(self, rel: str, source: Path) -> None:
        shutil.copyfile(source, _target(self.root, rel, self._made))

    def link(self, rel: str, source: Path) -> None:
        """Put ``source`` (a file that is never changed in place, such as a
        build cache entry) at ``rel`` as a hard link, or as a copy where the
        two folders are on different disks or the system has no links."""
        target = _target(self.root, rel, self._made)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)

    def commit(self, finish: Callable[[Path], None] | None = None) -> None:
        """Let ``finish`` add to the new site (a search index), then put it
        in place of the previous one."""
        self.write(MARKER, _MARKER_TEXT)
        if finish is not None:
            finish(self.root)
        _swap(self.root, self.out_dir)
        self.committed = True

    def close(self) -> None:
        """Remove the folder unless it became the site; let the next build in."""
        if not self.committed:
            _remove(self.root)
        self._lock.release()

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _swap(staging: Path, out_dir: Path) -> None:
    if not out_dir.exists():
        os.rename(staging, out_dir)
        return
    if _exchange(staging, out_dir):  # ``staging`` now holds the previous site
        _remove(staging)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    old.rmdir()
    os.rename(out_dir, old)
    try:
        os.rename(staging, out_dir)
    except BaseException:
        os.rename(old, out_dir)
        raise
    _remove(old)


def _load_renameat2() -> Callable[..., int] | None:
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # not Linux, or a C library without it
        return None
    function.argtypes = (
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    )
    function.restype = ctypes.c_int
    return function


_RENAMEAT2 = _load_renameat2()
_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def _exchange(first: Path, second: Path) -> bool:
    """Swap what two paths name in one step, so that no moment passes with
    either missing; False where the system or the filesystem cannot."""
    if _RENAMEAT2 is None:
        return False
    names = (os.fsencode(first), os.fsencode(second))
    if _RENAMEAT2(_AT_FDCWD, names[0], _AT_FDCWD, names[1], _RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(error, os.strerror(error), os.fspath(second))

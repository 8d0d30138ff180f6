"""Article bodies kept on disk, not in memory, while a site is built.

An article's HTML body is the largest thing a build holds, and each is
needed once: when its own page is rendered (and for the few newest
articles, in the feeds). The processes that parse articles therefore
append each body to a file of their own in a scratch folder and keep only
where it is; the page's renderer reads it back from there. A body read
from the build cache, or made outside a build, is held in memory as text.

Two bodies are equal when their texts are, whether held or written out.
A written-out body pickles as its place, which only processes of the same
build can read: :meth:`Body.held` gives one that pickles as its text, for
the build cache.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from typing import Any

from sitegen.core.model import Body

_PREFIX = "sitegen-bodies-"  # then the process id of the build, "-" and a random part


class WrittenBody(Body):
    """An article's HTML body kept in a file, at an offset and length."""

    __slots__ = ("_where",)

    def __init__(self, where: tuple[str, int, int], digest: bytes) -> None:
        self._text, self._where, self.digest = None, where, digest

    @property
    def text(self) -> str:
        path, offset, length = self._where
        return _read(path, offset, length).decode("utf-8")

    @property
    def written(self) -> bool:
        return True

    def held(self) -> Body:
        return Body(self.text)

    def __reduce__(self) -> tuple[type[WrittenBody], tuple[tuple[str, int, int], bytes]]:
        return WrittenBody, (self._where, self.digest)


# the files this process has open for reading bodies, by path
_readers: dict[str, int] = {}


def _read(path: str, offset: int, length: int) -> bytes:
    fd = _readers.get(path)
    if fd is None:
        fd = _readers[path] = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    data = os.pread(fd, length, offset)
    if len(data) != length:
        raise OSError(f"an article body was cut short in {path}")
    return data


class BodyStore:
    """A scratch folder that bodies are written to, one file per process;
    removed when the store is collected or the program ends."""

    def __init__(self) -> None:
        remove_abandoned()
        self.folder = tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-")
        self._finalizer = weakref.finalize(self, _remove, self.folder, os.getpid())
        self._files: dict[int, Any] = {}  # process id -> its file, open for appending

    def write(self, body: Body) -> Body:
        """``body`` written to this process's file; a written body as it is."""
        if body.written:
            return body
        data = body.text.encode("utf-8")
        pid = os.getpid()
        file = self._files.get(pid)
        if file is None:
            file = self._files[pid] = open(os.path.join(self.folder, f"{pid}.html"), "ab")  # noqa: SIM115
        offset = file.tell()
        file.write(data)
        file.flush()  # readable by the other processes from now on
        return WrittenBody((file.name, offset, len(data)), body.digest)

    def close(self) -> None:
        self._finalizer()


def remove_abandoned(prefix: str = _PREFIX) -> None:
    """Remove the scratch folders that killed processes left in the system's
    temporary folder: those named ``prefix``, then the process id of one
    that no longer runs, then ``-``."""
    root = tempfile.gettempdir()
    try:
        names = [n for n in os.listdir(root) if n.startswith(prefix)]
    except OSError:
        return
    for name in names:
        pid = name.removeprefix(prefix).partition("-")[0]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(os.path.join(root, name), ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process
    return True


def _remove(folder: str, owner: int) -> None:
    if os.getpid() != owner:
        return  # a forked worker leaves the folder to the build
    for path in [p for p in _readers if os.path.dirname(p) == folder]:
        os.close(_readers.pop(path))
    shutil.rmtree(folder, ignore_errors=True)

"""Small helpers shared by the test modules."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

REPO = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"
INVALID = Path(__file__).resolve().parent / "invalid"


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by relative path, with its bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


class Hung(BaseException):
    """Raised into a block that ran out of time; not an ``Exception``, so
    that no handler in the code under test takes it for an error of its own
    (a ``TimeoutError`` is an ``OSError``, which the build reports)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Fail the test, rather than hang it, when the block is still running
    after ``seconds``: a guard against a hang, never a measure of speed."""

    def expired(signum: int, frame: FrameType | None) -> None:
        raise Hung(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def media_file(out: Path, name: str) -> Path:
    """The one file called ``name`` among a built site's pictures, in the
    media folder (/media/<content>/) it is published in."""
    found = sorted((out / "media").glob(f"*/{name}"))
    assert len(found) == 1, f"{name} is published {len(found)} times: {found}"
    return found[0]

"""Spreading parsing and rendering over the processor's cores.

Work is handed to worker processes made by ``fork``, which start with a
copy of the parent (the loaded templates, the parsed site) instead of
receiving it through a pipe; only each item's result travels back. Results
come back in the order of the items, so the output of a build does not
depend on how many workers made it.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items, starting workers costs more than it saves.
MIN_ITEMS = 64
# Smaller pieces even out items of unequal cost. Each piece is done by a
# new process, which ends with it: a worker copies every inherited object it
# touches (counting references writes to it), and a long-lived worker would
# end up with its own copy of much of the parent's memory.
_CHUNKS_PER_WORKER = 8

_work: tuple[Callable[[Any], Any], Sequence[Any], list[range]] | None = None


def workers(jobs: int) -> int:
    """How many processes ``jobs`` asks for: 0 means one per core."""
    return jobs if jobs > 0 else (os.cpu_count() or 1)


def fork_map(fn: Callable[[T], R], items: Sequence[T], jobs: int = 0) -> list[R]:
    """``[fn(item) for item in items]``, in up to ``jobs`` processes."""
    count = min(workers(jobs), len(items) // max(1, MIN_ITEMS // 2) or 1)
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    if count <= 1 or len(items) < MIN_ITEMS or not can_fork:
        return [fn(item) for item in items]
    size = -(-len(items) // (count * _CHUNKS_PER_WORKER))
    chunks = [range(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    global _work
    _work = (fn, items, chunks)
    try:
        with multiprocessing.get_context("fork").Pool(count, maxtasksperchild=1) as pool:
            parts = pool.map(_run_chunk, range(len(chunks)), chunksize=1)
    finally:
        _work = None
    return [result for part in parts for result in part]


def _run_chunk(index: int) -> list[Any]:
    assert _work is not None, "fork_map's work is inherited by forking"
    fn, items, chunks = _work
    return [fn(items[i]) for i in chunks[index]]


def release_memory() -> None:
    """Give the memory of freed large objects back to the system, where the
    C library can (glibc's ``malloc_trim``). The texts of all source files,
    dropped once parsed, would otherwise stay with this process, and with
    each worker forked from it, to the end of the build."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)

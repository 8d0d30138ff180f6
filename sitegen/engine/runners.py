"""How a build's stages are run: the runners, and the one place that
chooses among them.

- :class:`Serial`: every stage in this process, one item after another.
  For one core, a system that cannot ``fork``, or a debugger.
- :class:`Pooled`: parsing and rendering shared out over worker processes
  forked from this one, which inherit what they need (the parsed site,
  the compiled templates) instead of receiving it through a pipe. Where
  the pages go to disk as they are made, the first ones are rendered
  while the rest are still planned (``ahead`` at a time).
- :class:`Bounded`: for a site too large to hold whole while it is
  rendered. A child process loads, parses, resolves and plans it, writing
  the pages to a spool a batch at a time; this process renders each
  batch as it is announced, and the memory the plan took goes back to
  the system with the child.

Each mechanism stays while a side-by-side measurement (``bench/ab.py``)
shows it pays. Measured on two cores at 18075a0, medians:

- rendering ahead: 5,000 articles in 7.33 s with it, 7.62 s without
  (five alternating builds each, faster in every pair);
- the bounded runner at 20,000 articles: 39 s and 460 MB, against 38 s
  and 1.39 GB for a plain pool of workers; and within it, the spool of
  the texts the child parses: 453 MB with it, 645 MB without, in the
  same time (35.3 s against 36.3 s, three builds each).

A test picks a runner by constructing it, with the small pieces and
thresholds that make a small site take every path.

A runner with a ``stop`` event raises :class:`Cancelled` from ``map``
once the event is set: ``sitegen serve`` stops a rebuild so when it is
stopped or a newer save comes.
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

from sitegen.core.load import NEWS_DIR
from sitegen.core.textfile import outside_site
from sitegen.engine.parallel import MIN_ITEMS, SPOOL_FROM, Cancelled, can_fork, fork_map, workers

T = TypeVar("T")
R = TypeVar("R")

# Pages planned at a time, and handed on as they are.
BATCH = 1_000
# Pages rendered at a time while the plan is made: each piece by a new
# process, the last perhaps still rendered when the rest are, in about the
# time the others take for a piece of their own.
AHEAD = 500
# The bounded runner from this many files and folders in content/news (1.6
# pages each in the benchmark's corpus), where a site's plan reaches
# 30,000 pages.
BOUNDED_FROM = 18_000
# The largest piece of a spool (in bytes) rendered while the child still
# plans (LIGHT), and the size above which pieces are rendered one at a
# time (HEAVY). In the benchmark's corpus, 1,000 article pages take about
# 1 MB of the spool and add 30 MB to the build's memory as they are
# rendered; a piece of the team pages takes 10-13 MB; a piece with one
# language's timeline pages, 20-23 MB of the spool and 200 MB of memory.
LIGHT = 8_000_000
HEAVY = 16_000_000


class Mapper(Protocol):
    """A runner's ``map``: ``[fn(item) for item in items]``, in order, with
    ``meanwhile()`` called in this process while the items are done."""

    def __call__(
        self,
        fn: Callable[[T], R],
        items: Sequence[T],
        meanwhile: Callable[[], None] | None = None,
    ) -> list[R]: ...


@dataclass(frozen=True, slots=True)
class Serial:
    """Every stage in this process."""

    batch: int = BATCH
    stop: threading.Event | None = field(default=None, compare=False)  # see Cancelled

    @property
    def jobs(self) -> int:
        return 1

    def map(
        self,
        fn: Callable[[T], R],
        items: Sequence[T],
        meanwhile: Callable[[], None] | None = None,
    ) -> list[R]:
        """``[fn(item) for item in items]``, after ``meanwhile()``."""
        if meanwhile is not None:
            meanwhile()
        if self.stop is None:
            return [fn(item) for item in items]
        done = []
        for item in items:
            if self.stop.is_set():
                raise Cancelled
            done.append(fn(item))
        return done


SERIAL = Serial()


@dataclass(frozen=True, slots=True)
class Pooled:
    """Parsing and rendering over ``jobs`` worker processes (0: one per
    core), from ``least`` items; pages rendered ``ahead`` at a time while
    the rest are planned (0: not)."""

    jobs: int = 0
    ahead: int = AHEAD
    least: int = MIN_ITEMS
    batch: int = BATCH
    stop: threading.Event | None = field(default=None, compare=False)  # see Cancelled

    def map(
        self,
        fn: Callable[[T], R],
        items: Sequence[T],
        meanwhile: Callable[[], None] | None = None,
    ) -> list[R]:
        """``[fn(item) for item in items]`` by the workers; ``meanwhile``
        is called here while they work."""
        return _pooled(self, fn, items, meanwhile)


@dataclass(frozen=True, slots=True)
class Bounded:
    """Load, parse, resolve and plan in a child process, the texts it
    parses spooled from ``spool_from`` files; the pages rendered here, a
    piece of the spool at a time, as the child writes them: pieces of up to
    ``light`` bytes while it plans, then the rest, largest first, those over
    ``heavy`` bytes one at a time."""

    jobs: int = 0
    least: int = MIN_ITEMS
    batch: int = BATCH
    light: int = LIGHT
    heavy: int = HEAVY
    spool_from: int = SPOOL_FROM
    stop: threading.Event | None = field(default=None, compare=False)  # see Cancelled

    def map(
        self,
        fn: Callable[[T], R],
        items: Sequence[T],
        meanwhile: Callable[[], None] | None = None,
    ) -> list[R]:
        """As :meth:`Pooled.map`."""
        return _pooled(self, fn, items, meanwhile)


Runner = Serial | Pooled | Bounded


def _pooled(
    runner: Pooled | Bounded,
    fn: Callable[[T], R],
    items: Sequence[T],
    meanwhile: Callable[[], None] | None,
) -> list[R]:
    stop, least = runner.stop, runner.least
    return fork_map(fn, items, runner.jobs, reuse=True, meanwhile=meanwhile, least=least, stop=stop)


def choose_runner(site_dir: Path, jobs: int, bounded: bool) -> Runner:
    """The runner for a build of the site in ``site_dir`` with ``jobs``
    processes (0: one per core): from the number of entries in its news
    folder, where ``bounded`` allows it (a build that writes its pages as
    they are made and keeps neither them nor the site)."""
    if workers(jobs) < 2 or not can_fork():
        return Serial()
    if bounded and _news_entries(site_dir, BOUNDED_FROM) >= BOUNDED_FROM:
        return Bounded(jobs)
    return Pooled(jobs)


def _news_entries(site_dir: Path, most: int) -> int:
    """The files and folders in the site's news folder, counted up to ``most``."""
    news = site_dir / NEWS_DIR
    if outside_site(site_dir, news) is not None:
        return 0  # never looked into; the build names the problem
    try:
        with os.scandir(news) as entries:
            return sum(1 for _ in itertools.islice(entries, most))
    except OSError:
        return 0  # the build names the problem

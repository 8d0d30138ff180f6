"""Spreading parsing and rendering over the processor's cores.

Work is handed to worker processes made by ``fork``, which start with a
copy of the parent (the loaded templates, the parsed site) instead of
receiving it through a pipe; only each item's result travels back. Results
come back in the order of the items, so the output of a build does not
depend on how many workers made it.

A worker copies every inherited object it touches, since counting
references writes to it. Items that are many and large (the texts of a
large site's files) are therefore written to a :class:`Spool` first: each
worker reads its own piece back, and the parent may drop the items before
the workers start. A site too large to plan and render in one process
without holding it all is planned in a child process
(:class:`Forked`), which writes the pages to a spool file
(:class:`SpoolWriter`) a piece at a time and announces each piece
(:class:`Channel`); this process renders the pieces as they come
(:class:`PieceRunner`), and the memory the plan took goes back to the
system with the child.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import functools
import gc
import multiprocessing
import operator
import os
import pickle
import select
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any, Generic, NoReturn, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items, starting workers costs more than it saves.
MIN_ITEMS = 64
# Pieces of a size guided by the items left (see _pieces): each this share
# of those left, per worker, and no smaller than _SMALLEST.
_SHARE = 4
_SMALLEST = 16
# From this many items a Spool writes them out: the texts of a large
# site's files, parsed in the child process that plans it. Measured at
# 20,000 articles (34,000 files), side by side: the build's peak memory
# 453 MB with the texts spooled, 645 MB without, in the same time (35.3 s
# against 36.3 s, medians of three, within the runs' spread).
SPOOL_FROM = 30_000
# At most this many spooled items to a piece: the memory a worker needs
# grows with its piece.
_SPOOLED_PIECE = 1_000
# Pieces of equal size for a spool: this many to a worker, to even out
# items of unequal cost.
_CHUNKS_PER_WORKER = 8

_work: tuple[Callable[[Any], Any], Sequence[Any] | Spool[Any], list[range]] | None = None


class Cancelled(Exception):
    """The work was stopped from outside, through its ``stop`` event."""


def workers(jobs: int) -> int:
    """How many processes ``jobs`` asks for: 0 means one per core."""
    return jobs if jobs > 0 else (os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether this system makes processes by ``fork``, which all the
    work spread here needs (not Windows)."""
    return "fork" in multiprocessing.get_all_start_methods()


def _processes(items: int, jobs: int, least: int = MIN_ITEMS) -> int:
    """How many processes share ``items`` items: 1 means this one alone,
    as it does below ``least`` items."""
    count = min(workers(jobs), items // max(1, least // 2) or 1)
    return count if count > 1 and items >= least and can_fork() else 1


def _pieces(items: int, count: int, most: int | None = None) -> list[range]:
    """``items`` cut into pieces for ``count`` processes: of equal size, at
    most ``most``, when that is given; else smaller as fewer items are left
    (guided scheduling), so that the workers end together even when the
    last items are the costliest (a site's last pages are its timeline's,
    each showing every event)."""
    if most is not None:
        size = max(1, min(-(-items // (count * _CHUNKS_PER_WORKER)), most))
        return [range(start, min(start + size, items)) for start in range(0, items, size)]
    if count <= 1:
        return [range(items)]
    pieces, start = [], 0
    while start < items:
        size = max(_SMALLEST, -(-(items - start) // (count * _SHARE)))
        pieces.append(range(start, min(start + size, items)))
        start += size
    return pieces


class Spool(Generic[T]):
    """``items`` for :func:`fork_map`, written to a scratch file piece by
    piece (pickled), for workers to read back, so that the caller may drop
    its own before they start. Kept in memory instead (and inherited by the
    workers) when they are fewer than ``start`` (``SPOOL_FROM``) or the
    work will not be spread over processes."""

    def __init__(
        self, items: Sequence[T], jobs: int = 0, least: int = MIN_ITEMS, start: int = SPOOL_FROM
    ) -> None:
        self.count = _processes(len(items), jobs, least)
        self.pieces = _pieces(len(items), self.count)
        self._held: list[T] | None = None
        self._file: IO[bytes] | None = None
        self._places: list[tuple[int, int]] = []
        if self.count <= 1 or len(items) < start:
            self._held = list(items)
            return
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        try:
            writer = SpoolWriter(self._file)
            for piece in _pieces(len(items), self.count, _SPOOLED_PIECE):
                writer.add([items[i] for i in piece])
            self.pieces, self._places = writer.pieces, writer.places
            self._file.flush()
        except BaseException:
            self.close()
            raise

    def __len__(self) -> int:
        return self.pieces[-1].stop if self.pieces else 0

    @property
    def spooled(self) -> bool:
        """Whether the items are in the scratch file, not held: the caller
        may drop its own, and the workers will not share them."""
        return self._file is not None

    def piece(self, index: int) -> list[T]:
        """The items of piece ``index``, new objects in the calling process."""
        if self._held is not None:
            return [self._held[i] for i in self.pieces[index]]
        items: list[T] = pickle.loads(self.read(self._places[index]))
        return items

    def read(self, place: tuple[int, int]) -> bytes:
        """The bytes at ``place`` in the scratch file: a piece's, or what a
        :class:`SpoolWriter` put beside the items."""
        assert self._file is not None, "read after close()"
        return read_at(self._file, place)

    def close(self) -> None:
        self._held = None
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> Spool[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_at(file: IO[bytes], place: tuple[int, int]) -> bytes:
    """The bytes at ``place`` (offset, length) in a spool's scratch file."""
    offset, length = place
    data = os.pread(file.fileno(), length, offset)
    if len(data) != length:
        raise OSError("the build's work was cut short in its scratch file")
    return data


class Packed(Generic[T]):
    """A list that keeps its items pickled, a batch of ``batch`` at a time:
    for the few small objects a large task keeps of each of many it makes
    and drops. Kept as they are, they would be scattered through memory
    among the freed ones, and hold on to far more than their size."""

    def __init__(self, batch: int = 1_000) -> None:
        self.batch = batch
        self._packed: list[bytes] = []
        self._loose: list[T] = []

    def append(self, item: T) -> None:
        self._loose.append(item)
        if len(self._loose) >= self.batch:
            self.pack()

    def pack(self) -> None:
        """Pickle the items appended since the last batch."""
        if self._loose:
            self._packed.append(pickle.dumps(self._loose, pickle.HIGHEST_PROTOCOL))
            self._loose = []

    def __iter__(self) -> Iterator[T]:
        for data in self._packed:
            batch: list[T] = pickle.loads(data)
            yield from batch
        yield from list(self._loose)


@dataclasses.dataclass(frozen=True, slots=True)
class SpoolLayout:
    count: int  # processes to share the pieces
    pieces: tuple[range, ...]  # the items of each piece
    places: tuple[tuple[int, int], ...]  # each piece's offset and length in the file


class SpoolWriter:
    """Writes items to ``file`` a piece at a time, as they are made, for a
    :class:`PieceRunner` to read back (in this or another process)."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.pieces: list[range] = []
        self.places: list[tuple[int, int]] = []
        self._count = 0

    def add(self, items: Sequence[Any]) -> None:
        """Write ``items`` as the next piece."""
        start = self.file.tell()
        _Pickler(self.file, pickle.HIGHEST_PROTOCOL).dump(list(items))
        self.places.append((start, self.file.tell() - start))
        self.pieces.append(range(self._count, self._count + len(items)))
        self._count += len(items)

    def put(self, data: bytes) -> tuple[int, int]:
        """Write ``data`` beside the items; its place, for :func:`read_at`."""
        start = self.file.tell()
        self.file.write(data)
        return start, len(data)

    def layout(self, jobs: int = 0, least: int = MIN_ITEMS) -> SpoolLayout:
        """Where the pieces are, for up to ``jobs`` processes."""
        self.file.flush()
        count = _processes(self._count, jobs, least)
        return SpoolLayout(count, tuple(self.pieces), tuple(self.places))


class _Pickler(pickle.Pickler):
    """Pickles a frozen dataclass as its class and its fields' values, read
    by one C call: twice as fast, both ways, as the methods ``dataclass``
    gives a frozen class with slots, which look up its fields each time."""

    def reducer_override(self, obj: Any) -> Any:
        values = _field_values(obj.__class__)
        return NotImplemented if values is None else (type(obj), values(obj))


@functools.cache
def _field_values(cls: type) -> Callable[[Any], tuple[Any, ...]] | None:
    if not dataclasses.is_dataclass(cls) or not cls.__dataclass_params__.frozen:  # type: ignore[attr-defined]
        return None
    names = [f.name for f in dataclasses.fields(cls)]
    if not names or not all(f.init for f in dataclasses.fields(cls)):
        return None
    if len(names) == 1:
        one = operator.attrgetter(names[0])
        return lambda obj: (one(obj),)
    values: Callable[[Any], tuple[Any, ...]] = operator.attrgetter(*names)
    return values


def fork_map(
    fn: Callable[[T], R],
    items: Sequence[T] | Spool[T],
    jobs: int = 0,
    reuse: bool = False,
    meanwhile: Callable[[], None] | None = None,
    least: int = MIN_ITEMS,
    stop: threading.Event | None = None,
) -> list[R]:
    """``[fn(item) for item in items]``, in up to ``jobs`` processes (a
    spool's own number of processes, for a :class:`Spool`); ``meanwhile``
    is called here while they work. Below ``least`` items, all is done
    here. A ``fork_map`` called meanwhile does its work in this process,
    as the cores are taken. Once ``stop`` is set, the workers are ended
    and :class:`Cancelled` is raised, within a tenth of a second (here,
    after the item at hand).

    Each piece is done by a new process, which ends with it: a worker
    copies every inherited object it touches (counting references writes
    to it), and keeps what it makes for reuse (a renderer's parts), so one
    that did many pieces would grow to hold much of the parent's memory as
    well as its own. With ``reuse``, the workers do one piece after another
    instead, which saves forking a process for each: for work whose parent
    is not large (at 14,000 pages, 2-3 s of system time)."""
    global _work
    if isinstance(items, Spool):
        count, chunks = items.count, items.pieces
    else:
        count = _processes(len(items), jobs, least) if _work is None else 1
        chunks = _pieces(len(items), count)
    if count <= 1 or _work is not None:
        if meanwhile is not None:
            meanwhile()
        if stop is None:
            return [r for index in range(len(chunks)) for r in _run(fn, items, chunks, index)]
        return [
            r
            for index in range(len(chunks))
            for r in _run(_stoppable(fn, stop), items, chunks, index)
        ]
    _work = (fn, items, chunks)
    try:
        pool = multiprocessing.get_context("fork").Pool(
            count, initializer=_worker_starts, maxtasksperchild=None if reuse else 1
        )
        with pool:
            work = pool.map_async(_run_chunk, range(len(chunks)), chunksize=1)
            if meanwhile is not None:
                meanwhile()
            while stop is not None and not work.ready():
                if stop.is_set():
                    raise Cancelled  # leaving the pool ends its workers
                work.wait(0.1)
            parts = work.get()
    finally:
        _work = None
    return [result for part in parts for result in part]


def _run(
    fn: Callable[[Any], Any], items: Sequence[Any] | Spool[Any], chunks: list[range], index: int
) -> list[Any]:
    if isinstance(items, Spool):
        return [fn(item) for item in items.piece(index)]
    return [fn(items[i]) for i in chunks[index]]


def _worker_starts() -> None:
    """A pool's worker, as it starts: its garbage collector leaves the
    objects it inherited alone (``gc.freeze``), which it would otherwise
    copy as it walks them; Ctrl-C is the parent's to handle, which ends the
    workers (SIGTERM, quietly, as by default) rather than each printing
    where it was interrupted."""
    gc.freeze()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _stoppable(fn: Callable[[T], R], stop: threading.Event) -> Callable[[T], R]:
    """``fn``, which raises :class:`Cancelled` instead once ``stop`` is set."""

    def call(item: T) -> R:
        if stop.is_set():
            raise Cancelled
        return fn(item)

    return call


def _run_chunk(index: int) -> list[Any]:
    assert _work is not None, "fork_map's work is inherited by forking"
    return _run(*_work, index)


def settle() -> None:
    """Leave what a build holds after a stage (the parsed site, the plan)
    out of the garbage collector's walks until the build ends
    (``gc.freeze``): made of many small objects, it would otherwise be
    walked whenever the next stage has made enough of its own, which took
    a third of the time of planning 5,000 articles' pages. Objects freed
    meanwhile are freed as ever, when nothing refers to them."""
    gc.freeze()


def unsettle() -> None:
    """The end of :func:`settle`, once the build is over."""
    gc.unfreeze()


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


def apart(fn: Callable[[], R]) -> R:
    """``fn()``, called in a child process made by ``fork``, which ends
    when it returns: the memory ``fn`` used is given back to the system
    entirely, where this process would keep much of it for good (Python
    returns an arena of small objects only once every object in it is
    freed). The result comes back pickled, through a scratch file that
    this process reads once the child has ended, so that the two never
    hold their memory at the same time; an exception is raised here."""
    if not can_fork():
        return fn()
    return Forked(fn).result()


class Forked(Generic[R]):
    """``fn()`` running in a child process made by ``fork``, as for
    :func:`apart`, while this process goes on. :meth:`fileno` becomes
    readable (for ``select``) when the child has ended."""

    def __init__(self, fn: Callable[[], R]) -> None:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()  # or the child would write it out again
        parent = os.getpid()
        self._file: IO[bytes] | None = tempfile.TemporaryFile()  # noqa: SIM115 (closed by result())
        try:
            ended, self._ended = os.pipe()  # the child holds the writing end until it ends
        except OSError:
            self._file.close()
            raise
        try:
            self.pid = os.fork()
        except OSError:
            self._file.close()
            os.close(ended)
            os.close(self._ended)
            raise
        if self.pid == 0:  # the child
            os.close(ended)
            _child(fn, parent, self._file.fileno())
        os.close(self._ended)
        self._fd = ended

    def fileno(self) -> int:
        return self._fd

    def result(self) -> R:
        """What ``fn`` returned, once the child has ended; what it raised is raised here."""
        assert self._file is not None, "result() called twice"
        try:
            _, status = os.waitpid(self.pid, 0)
        except BaseException:
            self.kill()  # interrupted: do not wait for its result
            raise
        file, self._file = self._file, None
        os.close(self._fd)
        with file:
            file.seek(0)
            try:
                done, value = pickle.load(file)
            except (EOFError, pickle.UnpicklingError):
                done, value = None, None
        if done is None:
            raise ChildProcessError(f"the build's child process ended without a result ({status})")
        if not done:
            raise value
        result: R = value
        return result

    def kill(self) -> None:
        """End the child now, and forget its result."""
        if self._file is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        self._file.close()
        self._file = None
        os.close(self._fd)


class Channel:
    """Messages from a child process (made by ``fork`` after this) to this
    one, through a pipe: the child calls :meth:`send`, this process
    :meth:`receive` once :meth:`fileno` is readable."""

    def __init__(self) -> None:
        self._read, self._write = os.pipe()
        self._buffer = bytearray()
        self.closed = False  # every sending end has been closed

    def fileno(self) -> int:
        return self._read

    def sending(self) -> None:
        """In the child: this end only sends."""
        os.close(self._read)

    def receiving(self) -> None:
        """Here, once the child has been made: this end only receives."""
        os.close(self._write)

    def send(self, message: Any) -> None:
        data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
        view = memoryview(len(data).to_bytes(8, "little") + data)
        while view:
            view = view[os.write(self._write, view) :]

    def receive(self) -> list[Any]:
        """The messages that have come; :attr:`closed` is set at the end."""
        chunk = os.read(self._read, 1 << 20)
        if not chunk:
            self.closed = True
        self._buffer += chunk
        messages = []
        while len(self._buffer) >= 8:
            length = int.from_bytes(self._buffer[:8], "little")
            if len(self._buffer) < 8 + length:
                break
            messages.append(pickle.loads(self._buffer[8 : 8 + length]))
            del self._buffer[: 8 + length]
        return messages

    def close(self) -> None:
        self.closed = True
        if self._read >= 0:
            os.close(self._read)
            self._read = -1


class PieceRunner(Generic[T, R]):
    """``fn`` over the items of spooled pieces, as a :class:`SpoolWriter`
    in another process announces them (:meth:`add`): each piece is done by
    a new process forked from this one (see :func:`fork_map`), up to a
    number at a time that the caller chooses as it goes (:meth:`start`)."""

    def __init__(self, fn: Callable[[T], R], file: IO[bytes]) -> None:
        self.fn, self.file = fn, file
        self.places: dict[int, tuple[int, int]] = {}
        self.waiting: list[int] = []  # announced, not started
        self.running: dict[int, Forked[list[R]]] = {}
        self.done: dict[int, list[R]] = {}

    def add(self, index: int, place: tuple[int, int]) -> None:
        self.places[index] = place
        self.waiting.append(index)

    def start(self, most: int, largest: int | None = None, heavy: int | None = None) -> None:
        """Start waiting pieces while fewer than ``most`` run. With
        ``largest``: in order, those of at most ``largest`` bytes only.
        Else the largest first, so that the last to end are small; with
        ``heavy``, one piece of more than ``heavy`` bytes at a time, as
        each takes much memory."""
        while len(self.running) < most:
            size = self._size
            if largest is not None:
                index = next((i for i in self.waiting if size(i) <= largest), None)
            else:
                busy = heavy is not None and any(size(i) > heavy for i in self.running)
                fit = [i for i in self.waiting if not busy or size(i) <= (heavy or 0)]
                index = max(fit, key=size) if fit else None  # the first of equals
            if index is None:
                return
            self.waiting.remove(index)
            self.running[index] = Forked(functools.partial(self._piece, index))

    def _size(self, index: int) -> int:
        return self.places[index][1]

    def _piece(self, index: int) -> list[R]:
        gc.freeze()  # see fork_map
        items: list[T] = pickle.loads(read_at(self.file, self.places[index]))
        return [self.fn(item) for item in items]

    def wait(self, also: Sequence[Any] = ()) -> list[Any]:
        """Wait until a piece is done or one of ``also`` is readable (which
        are returned); take the results of the pieces that are done."""
        if not self.running and not also:
            return []
        ready, _, _ = select.select([*self.running.values(), *also], [], [])
        for forked in ready:
            if isinstance(forked, Forked):
                index = next(i for i, f in self.running.items() if f is forked)
                del self.running[index]
                self.done[index] = forked.result()
        return [r for r in ready if not isinstance(r, Forked)]

    def finish(self, count: int, most: int, heavy: int | None = None) -> list[R]:
        """Do the rest, up to ``most`` at a time (see :meth:`start`); every
        result, in the order of the ``count`` pieces."""
        self.start(most, heavy=heavy)
        while self.running or self.waiting:
            self.wait()
            self.start(most, heavy=heavy)
        return [result for index in range(count) for result in self.done[index]]

    def kill(self) -> None:
        for forked in self.running.values():
            forked.kill()
        self.running.clear()


class Ahead(Generic[T, R]):
    """``fn`` over items as they are made here (:meth:`add`), by one
    process at a time forked from this one, which inherits them: the work
    starts while the rest of the items are still being made, and nothing
    is pickled but the results. Each process takes up to ``most`` of the
    items that have come since the last one started (the first
    :attr:`taken` of :attr:`items` in all); :meth:`results` waits for what
    it made of them. ``prepare`` is called here with the items a process
    is about to take."""

    def __init__(self, fn: Callable[[T], R], prepare: Callable[[list[T]], None], most: int) -> None:
        self.fn, self.prepare, self.most = fn, prepare, most
        self.items: list[T] = []
        self.taken = 0
        self._running: Forked[list[R]] | None = None
        self._done: list[R] = []
        self._failed: BaseException | None = None  # raised by results()

    def add(self, items: Sequence[T]) -> None:
        self.items.extend(items)
        if self._running is not None and select.select([self._running], [], [], 0)[0]:
            self._take()
        if self._running is None and self._failed is None and self.taken < len(self.items):
            piece = self.items[self.taken : self.taken + self.most]
            self.prepare(piece)
            self._running = Forked(functools.partial(_ahead, self.fn, piece))
            self.taken += len(piece)

    def _take(self) -> None:
        running, self._running = self._running, None
        assert running is not None
        try:
            self._done.extend(running.result())
        except Exception as exc:  # raised by results(), where the caller is ready for it
            self._failed = exc

    def close(self) -> list[T]:
        """No more items will come: the items taken, which this forgets
        with the others (the caller may drop them)."""
        taken, self.items = self.items[: self.taken], []
        return taken

    def results(self) -> list[R]:
        """What ``fn`` made of the items taken, in their order, once done;
        what it raised is raised here."""
        if self._running is not None:
            self._take()
        if self._failed is not None:
            raise self._failed
        return self._done

    def kill(self) -> None:
        if self._running is not None:
            self._running.kill()
            self._running = None


def _ahead(fn: Callable[[T], R], items: list[T]) -> list[R]:
    gc.freeze()  # see fork_map
    return [fn(item) for item in items]


def _child(fn: Callable[[], Any], parent: int, fd: int) -> NoReturn:
    status = 1
    try:
        _end_with(parent)
        with os.fdopen(fd, "wb") as file:
            try:
                value = fn()
            except BaseException as exc:  # raised in the parent
                try:
                    data = pickle.dumps((False, exc), pickle.HIGHEST_PROTOCOL)
                except Exception:  # an exception that does not pickle
                    text = "".join(traceback.format_exception(exc))
                    data = pickle.dumps((False, ChildProcessError(text)), pickle.HIGHEST_PROTOCOL)
                file.write(data)
            else:
                # Written as it is pickled, a frame at a time; should that
                # fail halfway, the parent finds the result cut short.
                try:
                    pickle.dump((True, value), file, pickle.HIGHEST_PROTOCOL)
                except Exception:
                    traceback.print_exc()
                    raise
                status = 0
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
    finally:
        os._exit(status)


def _end_with(parent: int) -> None:
    """Have the system end this process when ``parent`` ends (Linux), so
    that a build that is killed does not leave its child working on."""
    try:
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it ended before that took effect
        os._exit(1)


_PR_SET_PDEATHSIG = 1

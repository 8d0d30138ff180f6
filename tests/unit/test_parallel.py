"""Work spread over processes: every item done once, results in the items'
order, whether the items are inherited by the workers or read back from a
spool."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import os
import tempfile
import threading
import time
from dataclasses import dataclass, field
from typing import IO

import pytest

import sitegen.engine.parallel
from sitegen.core.model import Article, Text
from sitegen.engine.bodies import Body
from sitegen.engine.parallel import (
    Ahead,
    Channel,
    Forked,
    Packed,
    PieceRunner,
    Spool,
    SpoolLayout,
    SpoolWriter,
    apart,
    fork_map,
    read_at,
)


@dataclass(frozen=True, slots=True)
class _One:
    value: str


@dataclass(frozen=True, slots=True)
class _Many:
    number: int
    when: dt.date
    parts: tuple[_One, ...] = ()
    notes: dict[str, int] = field(default_factory=dict, compare=False)


class _Plain:
    """Not a dataclass: pickled the usual way."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Plain) and other.name == self.name

    __hash__ = None  # type: ignore[assignment]


def _items(count: int) -> list[_Many]:
    shared = _One("同一个")
    return [
        _Many(n, dt.date(2020, 4, 1 + n % 28), (shared, _One(f"第{n}条")), {"line": n})
        for n in range(count)
    ]


def _describe(item: _Many) -> tuple[int, str, int, int]:
    return item.number, item.parts[1].value, item.notes["line"], os.getpid()


# Every list of items shared out and written out, however short.
SPOOLED = {"least": 1, "start": 1}


def test_a_spool_gives_back_every_item_equal_and_in_order() -> None:
    items = _items(100)
    with Spool(items, jobs=2, **SPOOLED) as spool:
        assert spool.count == 2 and len(spool) == 100
        back = [item for index in range(len(spool.pieces)) for item in spool.piece(index)]
    assert back == items
    assert [item.notes for item in back] == [item.notes for item in items]  # not compared by ==
    assert back[0] is not items[0]  # read back, not the same objects


def test_values_of_the_site_survive_the_spool() -> None:
    article = Article(
        path="content/news/2020-04-27-pujiang-visit.zh.md", stem="2020-04-27-pujiang-visit",
        lang="zh", slug="pujiang-visit", title="蒲江社教同仁到新都交流", date=dt.date(2020, 4, 27),
        summary="摘要", source="新都社区教育学院", tags=("visit",), images=(), teams=(),
        studios=(), draft=False, body=Body("<p>正文</p>"),
        text_length=4, lines={"title": 2},
    )  # fmt: skip
    items = [article, Text.of({"zh": "新都", "en": "Xindu"}), _Plain("plain"), None, 3, "文字"]
    with Spool(items * 40, jobs=2, **SPOOLED) as spool:
        back = [item for index in range(len(spool.pieces)) for item in spool.piece(index)]
    assert back == items * 40
    assert back[0].body_html == "<p>正文</p>" and back[0].lines == {"title": 2}


def test_workers_reading_a_spool_do_what_one_process_does() -> None:
    items = _items(200)
    alone = [_describe(item)[:3] for item in items]
    with Spool(items, jobs=2, **SPOOLED) as spool:
        done = fork_map(_describe, spool)
    assert [result[:3] for result in done] == alone
    assert len({result[3] for result in done}) > 1  # shared out over processes
    assert os.getpid() not in {result[3] for result in done}


def test_a_short_list_is_not_written_out_but_still_shared() -> None:
    items = _items(200)
    with Spool(items, jobs=2, least=1) as spool:
        assert spool.count == 2 and spool.piece(0)[0] is items[0]  # held, not pickled
        done = fork_map(_describe, spool)
    assert [result[:3] for result in done] == [_describe(item)[:3] for item in items]


def test_one_process_needs_no_spool() -> None:
    items = _items(10)
    with Spool(items, jobs=1) as spool:
        assert spool.count == 1
        assert fork_map(_describe, spool) == [_describe(item) for item in items]


def _waited_for(marker: str, item: _Many) -> tuple[int, bool]:
    """Whether ``marker`` was made while this item was done (within 10 s)."""
    for _ in range(1_000):
        if os.path.exists(marker):
            return os.getpid(), True
        time.sleep(0.01)
    return os.getpid(), False


def test_work_done_meanwhile_is_done_while_the_workers_work(tmp_path: object) -> None:
    marker = os.path.join(str(tmp_path), "made meanwhile")
    within: list[int] = []

    def meanwhile() -> None:  # a fork_map of its own is done here: the cores are taken
        within.extend(pid for _, pid in fork_map(_describe_pid, _items(100), 2, least=1))
        with open(marker, "w"):
            pass

    wait = functools.partial(_waited_for, marker)
    done = fork_map(wait, _items(40), 2, meanwhile=meanwhile, least=1)
    assert all(seen for _, seen in done), "the workers saw what was made meanwhile"
    assert len({pid for pid, _ in done}) >= 2 and os.getpid() not in {pid for pid, _ in done}
    assert set(within) == {os.getpid()}


def _describe_pid(item: _Many) -> tuple[int, int]:
    return item.number, os.getpid()


def test_pieces_shrink_as_the_items_run_out_so_that_the_workers_end_together() -> None:
    pieces = sitegen.engine.parallel._pieces(14_000, 2)
    assert [i for piece in pieces for i in piece] == list(range(14_000))
    sizes = [len(piece) for piece in pieces]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] > 1_000
    assert max(sizes[-8:]) <= 16, "the last pieces are small enough to share out"
    # a spool's pieces are of one size, the pieces written to it
    spooled = [len(piece) for piece in sitegen.engine.parallel._pieces(30_000, 2, most=1_000)]
    assert spooled == [1_000] * 30


def test_a_spool_written_by_a_child_is_read_by_the_parents_workers() -> None:
    items = _items(300)

    def write(file: IO[bytes]) -> tuple[SpoolLayout, list[tuple[int, int]]]:
        writer = SpoolWriter(file)
        beside = [writer.put("日历".encode())]  # a file made before the items, then after
        for start in range(0, len(items), 70):  # as they are made, in unequal pieces
            writer.add(items[start : start + 70])
        beside.append(writer.put(b""))
        beside.append(writer.put(b"<urlset/>"))
        return writer.layout(jobs=2), beside

    with tempfile.TemporaryFile() as file:
        layout, beside = apart(lambda: write(file))
        assert layout.count == 2 and [len(piece) for piece in layout.pieces] == [70] * 4 + [20]
        runner = PieceRunner(_describe, file)
        for index, place in enumerate(layout.places):
            runner.add(index, place)
        done = runner.finish(len(layout.pieces), most=2)
        besides = [read_at(file, place) for place in beside]
    assert [result[:3] for result in done] == [_describe(item)[:3] for item in items]
    assert len({result[3] for result in done}) > 1
    assert besides == ["日历".encode(), b"", b"<urlset/>"]


def _announce(file: IO[bytes], channel: Channel, items: list[_Many]) -> SpoolLayout:
    """A child's part: write ``items`` in pieces of unequal size, each
    announced as soon as it is in the file."""
    channel.sending()
    writer = SpoolWriter(file)
    for start, stop in ((0, 70), (70, 75), (75, 230), (230, 300)):
        writer.add(items[start:stop])
        file.flush()
        channel.send(("piece", len(writer.places) - 1, writer.places[-1]))
    return writer.layout(jobs=2)


def test_pieces_announced_by_a_child_are_done_as_they_come_and_in_order() -> None:
    items = _items(300)
    channel = Channel()
    with tempfile.TemporaryFile() as file:
        child = Forked(lambda: _announce(file, channel, items))
        channel.receiving()
        runner = PieceRunner(_describe, file)
        while not channel.closed:  # one at a time, and not the largest piece, while it writes
            runner.start(1, largest=6_000)
            assert len(runner.running) <= 1
            if runner.wait([channel]):
                for _, index, place in channel.receive():
                    runner.add(index, place)
        layout = child.result()
        assert set(runner.places) == {0, 1, 2, 3}
        assert runner.places[2][1] > 6_000 >= max(runner.places[i][1] for i in (0, 1, 3))
        assert 2 not in runner.done and 2 not in runner.running
        done = runner.finish(len(layout.pieces), most=2, heavy=6_000)
        channel.close()
    assert [result[:3] for result in done] == [_describe(item)[:3] for item in items]
    assert len({result[3] for result in done}) == 4  # a process for each piece
    assert os.getpid() not in {result[3] for result in done}


def test_items_are_done_ahead_while_more_are_made_and_come_back_in_order() -> None:
    items, prepared = _items(100), []
    ahead: Ahead[_Many, tuple[int, str, int, int]] = Ahead(_describe, prepared.append, most=8)
    for start in range(0, 100, 10):  # made a batch at a time, slower than they are done
        ahead.add(items[start : start + 10])
        time.sleep(0.05)
    assert ahead.items == items and 8 < ahead.taken < 100
    done = ahead.results()
    assert [result[:3] for result in done] == [_describe(item)[:3] for item in items[: ahead.taken]]
    assert os.getpid() not in {result[3] for result in done}, "done in processes of their own"
    assert [item for piece in prepared for item in piece] == items[: ahead.taken]
    assert max(len(piece) for piece in prepared) <= 8
    assert ahead.results() == done  # asked again: the same, without waiting
    assert ahead.close() == items[: ahead.taken] and ahead.items == []  # forgotten here


def test_an_item_that_fails_ahead_is_raised_when_the_results_are_asked_for() -> None:
    items = _items(100)
    ahead: Ahead[_Many, int] = Ahead(_fail_on_60, lambda piece: None, most=100)
    ahead.add(items)  # one process, for all of them
    ahead.add([])
    with pytest.raises(ValueError, match="60"):
        ahead.results()


def test_items_done_ahead_can_be_stopped() -> None:
    slow = functools.partial(_sleep_then_number, 30.0)
    ahead: Ahead[_Many, int] = Ahead(slow, lambda piece: None, most=5)
    ahead.add(_items(5))
    started = time.monotonic()
    ahead.kill()
    assert time.monotonic() - started < 10


def _sleep_then_number(seconds: float, item: _Many) -> int:
    time.sleep(seconds)
    return item.number


def _timed(item: _Many) -> tuple[int, float]:
    time.sleep(0.002)
    return item.number, time.monotonic()


def test_the_largest_pieces_start_first_and_the_heavy_ones_never_together() -> None:
    sizes = [5, 40, 3, 30, 4, 35, 6]  # items in each piece; above 20, a heavy piece
    items = _items(sum(sizes))
    with tempfile.TemporaryFile() as file:
        writer = SpoolWriter(file)
        start = 0
        for size in sizes:
            writer.add(items[start : start + size])
            start += size
        file.flush()
        runner = PieceRunner(_timed, file)
        for index, place in enumerate(writer.places):
            runner.add(index, place)
        heavy = (
            writer.places[0][1] + writer.places[3][1]
        ) // 2  # the 30- and 40-item pieces and the 35
        done = runner.finish(len(sizes), most=2, heavy=heavy)
    assert [number for number, _ in done] == list(range(sum(sizes)))
    spans, start = [], 0
    for size in sizes:  # each piece's first and last result
        spans.append((done[start][1], done[start + size - 1][1]))
        start += size
    big = sorted((spans[i] for i in (1, 3, 5)), key=lambda span: span[0])
    assert all(first[1] <= second[0] for first, second in itertools.pairwise(big))
    assert big[0] == spans[1]  # the largest first


def test_a_piece_that_fails_raises_here_and_its_runner_can_be_stopped() -> None:
    items = _items(100)
    with tempfile.TemporaryFile() as file:
        writer = SpoolWriter(file)
        writer.add(items[:50])
        writer.add(items[50:])
        file.flush()
        runner = PieceRunner(_fail_on_60, file)
        for index, place in enumerate(writer.places):
            runner.add(index, place)
        with pytest.raises(ValueError, match="第60条"):
            runner.finish(2, most=1)
        runner.kill()
        assert not runner.running


def _fail_on_60(item: _Many) -> int:
    if item.number == 60:
        raise ValueError(item.parts[1].value)
    return item.number


def test_a_killed_child_gives_no_result_and_leaves_no_process() -> None:
    child = Forked(lambda: threading.Event().wait())
    child.kill()
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)


def test_a_channel_carries_many_messages_whole_and_ends_when_the_child_does() -> None:
    channel = Channel()
    letters = [("piece", n, f"第{n}块" * 500) for n in range(300)]  # many pipe buffers

    def send() -> None:
        channel.sending()
        for letter in letters:
            channel.send(letter)

    child = Forked(send)
    channel.receiving()
    got: list[object] = []
    while not channel.closed:
        got += channel.receive()
    child.result()
    channel.close()
    assert got == letters


def test_apart_returns_what_the_child_made_and_leaves_this_process_as_it_was() -> None:
    made: list[int] = []

    def work() -> tuple[int, str]:
        made.append(1)  # in the child's copy of the list
        return os.getpid(), "结果"

    child, value = apart(work)
    assert value == "结果" and child != os.getpid()
    assert made == []


def test_apart_raises_here_what_the_child_raised() -> None:
    def broken() -> None:
        raise ValueError("坏了")

    with pytest.raises(ValueError, match="坏了"):
        apart(broken)


class _Unpicklable(Exception):
    def __init__(self, reason: str, handle: object) -> None:
        super().__init__(reason)
        self.handle = handle


def test_an_exception_that_does_not_pickle_comes_back_as_its_traceback() -> None:
    def broken() -> None:
        raise _Unpicklable("没法腌制", lambda: None)

    with pytest.raises(ChildProcessError, match="没法腌制"):
        apart(broken)


def test_a_child_that_dies_is_an_error_not_a_hang() -> None:
    with pytest.raises(ChildProcessError, match="without a result"):
        apart(lambda: os._exit(3))


def test_a_large_result_comes_back_whole() -> None:
    pages = [f"第{n}页".encode() * 50 for n in range(20_000)]  # several pipe buffers' worth
    assert apart(lambda: pages) == pages


def test_a_result_that_does_not_pickle_halfway_is_an_error_not_a_hang(
    capfd: pytest.CaptureFixture[str],
) -> None:
    def half_picklable() -> list[object]:
        return [b"x" * 1_000_000, threading.Lock()]  # the lock fails after a frame went out

    with pytest.raises(ChildProcessError, match="without a result"):
        apart(half_picklable)
    assert "cannot pickle '_thread.lock' object" in capfd.readouterr().err


def test_packed_gives_back_every_item_in_order_as_often_as_asked() -> None:
    rows = Packed[tuple[str, int]](batch=3)
    for n in range(8):  # two packed batches and two loose items
        rows.append((f"/zh/news/{n}/", n))
    expected = [(f"/zh/news/{n}/", n) for n in range(8)]
    assert list(rows) == expected and list(rows) == expected
    rows.pack()
    assert list(rows) == expected

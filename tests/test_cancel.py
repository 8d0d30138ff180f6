"""A build can be stopped from another thread: ``sitegen serve`` stops its
rebuild so when it is stopped (Ctrl-C, a kill) or a newer save comes. A
stopped build ends its workers, writes nothing, and leaves the previous
site as it was."""

from __future__ import annotations

import multiprocessing
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import sitegen.core.plan
import sitegen.engine.rendering
import sitegen.engine.runners
from sitegen.build import BuildOptions, BuildResult, build
from sitegen.engine.parallel import Cancelled, fork_map
from sitegen.engine.runners import Pooled, Serial
from sitegen.serve import Server
from tests.helpers import tree
from tests.test_serve import example_site

SLOW = 0.2  # seconds a page takes to render in the slowed builds below


def _slow(number: int) -> int:
    time.sleep(SLOW)
    return number


def _stop_after(seconds: float) -> threading.Event:
    stop = threading.Event()
    threading.Timer(seconds, stop.set).start()
    return stop


def test_stopped_workers_end_at_once() -> None:
    stop = _stop_after(0.3)
    begun = time.monotonic()
    with pytest.raises(Cancelled):
        fork_map(_slow, list(range(100)), 2, least=1, stop=stop)  # 10 s of work
    assert time.monotonic() - begun < 3
    assert multiprocessing.active_children() == []


def test_a_stopped_serial_run_does_no_more_items() -> None:
    done: list[int] = []
    stop = threading.Event()

    def note(number: int) -> int:
        done.append(number)
        if number == 3:
            stop.set()
        return number

    with pytest.raises(Cancelled):
        Serial(stop=stop).map(note, list(range(10)))
    assert done == [0, 1, 2, 3]


@pytest.mark.parametrize("runner", [Serial(), Pooled(jobs=2, least=1)], ids=["serial", "pooled"])
def test_a_build_stopped_while_it_renders_leaves_the_last_site(
    runner: Serial | Pooled, tmp_path: Path
) -> None:
    site, out = example_site(tmp_path), tmp_path / "out"
    options = BuildOptions(out_dir=out, search=False, cache=False, runner=runner)
    assert build(site, options).ok
    before = tree(out)
    (site / "content/news/2020-04-27-pujiang-visit.zh.md").write_text(
        "---\ntitle: 改过的标题\ndate: 2020-04-27\n---\n正文。\n", encoding="utf-8"
    )
    stop = threading.Event()

    def progress(text: str) -> None:  # the pages are about to be rendered
        if text.startswith("rendering"):
            stop.set()

    result = build(site, options, progress=progress, stop=stop)

    assert result.cancelled and not result.ok and result.diagnostics == []
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"], "nothing left behind"


def test_a_build_stopped_while_it_plans_renders_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, out = example_site(tmp_path), tmp_path / "out"
    stop, said, languages = threading.Event(), [], []
    planned = sitegen.core.plan.plan_records

    def records_then_stop(*args: Any) -> None:  # one language's records planned
        languages.append(args[2])
        planned(*args)
        stop.set()

    monkeypatch.setattr(sitegen.core.plan, "plan_records", records_then_stop)
    options = BuildOptions(out_dir=out, search=False, cache=False, runner=Serial(batch=2))
    result = build(site, options, progress=said.append, stop=stop)

    assert result.cancelled and not result.ok and result.diagnostics == []
    assert languages == ["zh"], "stopped before the next language was planned"
    assert not any(text.startswith("rendering") for text in said)
    assert not out.exists()


def test_a_build_stopped_before_it_starts_reads_nothing(tmp_path: Path) -> None:
    stop = threading.Event()
    stop.set()
    result = build(tmp_path / "missing", BuildOptions(out_dir=tmp_path / "out"), stop=stop)
    assert result.cancelled and result.diagnostics == []  # not even that the site is missing
    assert not (tmp_path / "out").exists()


def test_serve_stops_a_rebuild_in_progress_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sitegen.engine.runners, "can_fork", lambda: False)  # rendered here
    server = Server(example_site(tmp_path), port=0)
    server.start()
    first = server.root
    assert first is not None
    made = sitegen.engine.rendering.PageMaker.__call__
    rendering = threading.Event()

    def slowly(self: sitegen.engine.rendering.PageMaker, page: object) -> object:
        rendering.set()
        time.sleep(SLOW)
        return made(self, page)  # type: ignore[arg-type]

    monkeypatch.setattr(sitegen.engine.rendering.PageMaker, "__call__", slowly)  # 66 pages: 13 s
    server.cache.rendered = {}  # every page is rendered again, as after a change to the theme
    rebuild = threading.Thread(target=server.rebuild)
    rebuild.start()
    assert rendering.wait(30), "the rebuild renders"
    begun = time.monotonic()
    server.stop()
    rebuild.join(timeout=10)
    assert not rebuild.is_alive() and time.monotonic() - begun < 3
    assert not server.folder.exists()


def test_a_newer_save_stops_the_rebuild_in_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sitegen.engine.runners, "can_fork", lambda: False)  # rendered here
    site = example_site(tmp_path)
    article = str(site / "content/news/2020-04-27-pujiang-visit.zh.md")
    reported: list[BuildResult] = []
    server = Server(site, port=0, report=reported.append)
    server.start()
    try:
        made = sitegen.engine.rendering.PageMaker.__call__
        rendering, slow = threading.Event(), threading.Event()
        slow.set()

        def slowly(self: sitegen.engine.rendering.PageMaker, page: object) -> object:
            if slow.is_set():
                rendering.set()
                time.sleep(SLOW)
            return made(self, page)  # type: ignore[arg-type]

        monkeypatch.setattr(sitegen.engine.rendering.PageMaker, "__call__", slowly)
        server.cache.rendered = {}  # every page is rendered again: 12 s
        server.changed(article)  # a save: the rebuild starts
        assert rendering.wait(30), "the rebuild renders"
        slow.clear()
        saved = time.monotonic()
        server.changed(article)  # a newer save, while it renders
        for _ in range(300):
            if len(reported) == 2:
                break
            time.sleep(0.1)
        assert len(reported) == 2 and reported[1].ok, "the rebuild after the newer save is shown"
        assert time.monotonic() - saved < 8, "the first rebuild did not run to its end"
        assert server._builds == 3, "the first build, the stopped rebuild and the one after"
    finally:
        server.stop()


def test_a_stopped_server_s_site_is_removed_without_waiting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    server = Server(example_site(tmp_path), port=0)
    server.start()
    server.stop()
    assert not server.folder.exists(), "gone from where it was at once"
    for _ in range(100):  # and removed by a process of its own
        if not any(scratch.iterdir()):
            break
        time.sleep(0.1)
    assert list(scratch.iterdir()) == []

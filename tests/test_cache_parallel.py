"""Builds that reuse the build cache or spread over several processes write
exactly what a cold build in one process writes."""

from __future__ import annotations

import dataclasses
import gc
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import pytest

import sitegen.core.plan
import sitegen.engine.apart
import sitegen.engine.cache
import sitegen.engine.job
import sitegen.engine.parallel
from sitegen.build import BuildCache, BuildOptions, BuildResult, build
from sitegen.engine.runners import Bounded, Pooled, Serial
from tests.helpers import REPO, SITES, tree

SITE_FOLDERS = {"example": REPO, "records": SITES / "records/input"}


@pytest.fixture(params=sorted(SITE_FOLDERS))
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A copy of a site, so that its cache is its own."""
    copy = tmp_path / "site"
    source = SITE_FOLDERS[request.param]
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("build", ".*", "node_modules"))
    if source == REPO:  # the example site is the repository's content, not its code
        for extra in ("sitegen", "tests", "bench", "docs"):
            shutil.rmtree(copy / extra, ignore_errors=True)
    return copy


def run(site: Path, out: Path, memo: BuildCache | None = None, **options: object) -> BuildResult:
    settings = BuildOptions(out_dir=out, search=False, strict=True, **options)  # type: ignore[arg-type]
    result = build(site, settings, cache=memo or BuildCache())
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    return result


# Runners that take every path on a small site: the example's few files
# shared out, its pages planned and rendered a few at a time.
TWO = Pooled(jobs=2, least=1, ahead=3, batch=5)
THREE = Pooled(jobs=3, least=1)
BOUNDED = Bounded(jobs=2, least=1, batch=5, light=12_000)


def test_several_processes_write_what_one_writes(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = run(site, tmp_path / "one", cache=False, runner=Serial(), keep=True, weigh=True)
    run(site, tmp_path / "two", cache=False, runner=TWO, keep=True)
    run(site, tmp_path / "three", cache=False, runner=THREE, keep=True)
    # each page written by the worker that made it
    four = run(site, tmp_path / "four", runner=dataclasses.replace(TWO, ahead=0))
    run(site, tmp_path / "five", runner=TWO)  # from the cache
    # as the command line builds a site: some pages rendered while the plan
    # is made, a few at a time, the rest after
    options = {"weigh": True}
    monkeypatch.setattr(sitegen.engine.job, "Ahead", _Ahead)
    ahead = run(site, tmp_path / "ahead", cache=False, runner=TWO, **options)
    taken, planned_here = _Ahead.at_close[-1]
    assert 3 <= taken < planned_here, "some pages rendered while planning, some after"
    # as the command line builds a large site: planned by a child process,
    # which writes the pages to a spool in pieces of a few, the small ones
    # rendered as they come, the rest after
    monkeypatch.setattr(
        sitegen.engine.apart, "Forked", counted(sitegen.engine.apart.Forked, planned := [])
    )
    monkeypatch.setattr(sitegen.engine.apart, "PieceRunner", _Recorded)
    _Recorded.at_finish.clear()
    eight = run(site, tmp_path / "eight", cache=False, runner=BOUNDED, **options)
    started, left = _Recorded.at_finish[0]
    assert started >= 1 and left >= 1, "some pieces rendered while planning, some after"
    run(site, tmp_path / "nine", runner=BOUNDED, **options)  # the cache filled by "four"
    expected = tree(tmp_path / "one")
    assert tree(tmp_path / "two") == expected and tree(tmp_path / "three") == expected
    assert tree(tmp_path / "four") == expected and tree(tmp_path / "five") == expected
    assert tree(tmp_path / "ahead") == expected
    assert (ahead.pages, ahead.weights, ahead.files) == (one.pages, one.weights, four.files)
    assert tree(tmp_path / "eight") == expected and tree(tmp_path / "nine") == expected
    assert eight.site is None and eight.plan is not None and eight.plan.pages == ()
    assert (eight.pages, eight.weights) == (one.pages, one.weights)
    assert eight.files == four.files
    assert eight.timings.keys() == one.timings.keys() and len(planned) == 2


class _Ahead(sitegen.engine.parallel.Ahead[Any, Any]):
    """Records, once all items have come, how many were taken ahead and
    how many there were."""

    at_close: ClassVar[list[tuple[int, int]]] = []

    def close(self) -> list[Any]:
        self.at_close.append((self.taken, len(self.items)))
        return super().close()


class _Recorded(sitegen.engine.parallel.PieceRunner[Any, Any]):
    """Records, as the plan ends, how many pieces were started while it
    was made and how many were left for after."""

    at_finish: ClassVar[list[tuple[int, int]]] = []

    def finish(self, count: int, most: int, heavy: int | None = None) -> list[Any]:
        self.at_finish.append((len(self.done) + len(self.running), len(self.waiting)))
        return super().finish(count, most, heavy)


def counted(fn: Callable[[Any], Any], calls: list[object]) -> Callable[[Any], Any]:
    def call(arg: Any) -> Any:
        calls.append(arg)
        return fn(arg)

    return call


@pytest.mark.parametrize("mistake", ["bad-yaml", "duplicate-url", "broken-template"])
def test_a_site_planned_apart_fails_as_one_planned_here(
    mistake: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "site"
    if mistake == "broken-template":
        shutil.copytree(SITES / "basic/input", copy)
        (copy / "themes/default/templates").mkdir(parents=True)
        (copy / "themes/default/templates/article.html").write_text(
            '{% extends "base.html" %}{% block main %}{{ page.view.nothing.more }}{% endblock %}',
            encoding="utf-8",
        )
    else:
        shutil.copytree(REPO / "tests/invalid" / mistake, copy)
    options = BuildOptions(search=False, runner=TWO)
    here = build(copy, dataclasses.replace(options, out_dir=tmp_path / "here"))
    monkeypatch.setattr(
        sitegen.engine.apart, "Forked", counted(sitegen.engine.apart.Forked, planned := [])
    )
    bounded = dataclasses.replace(BOUNDED, batch=3)  # rendered as they come
    apart = build(copy, dataclasses.replace(options, out_dir=tmp_path / "apart", runner=bounded))

    assert planned and not here.ok and not apart.ok
    assert apart.diagnostics == here.diagnostics and apart.diagnostics
    assert not (tmp_path / "apart").exists()
    if mistake == "broken-template":  # once, not once for each worker, on the first page
        undefined = [d for d in apart.diagnostics if d.code == "template-undefined"]
        assert len(undefined) == 1
        first = "(first while rendering /en/news/2021/03/spring-term/)"
        assert undefined[0].message.endswith(first)


def test_a_warm_build_parses_and_renders_nothing(site: Path, tmp_path: Path) -> None:
    cold, warm = BuildCache(), BuildCache()
    run(site, tmp_path / "cold", cold, jobs=1)
    run(site, tmp_path / "warm", warm, jobs=2)
    run(site, tmp_path / "uncached", cache=False)

    assert cold.parses > 0 and cold.renders > 0
    assert (warm.parses, warm.renders) == (0, 0)
    assert tree(tmp_path / "cold") == tree(tmp_path / "warm") == tree(tmp_path / "uncached")


def test_one_edited_article_is_parsed_again_and_only_its_pages_rendered(
    tmp_path: Path,
) -> None:
    site = SITES / "basic/input"
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    run(copy, tmp_path / "before")
    article = next((copy / "content/news").glob("*.zh.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\n新增一段。\n", encoding="utf-8")

    memo = BuildCache()
    run(copy, tmp_path / "after", memo)
    run(copy, tmp_path / "fresh", cache=False)

    assert memo.parses == 1
    assert 0 < memo.renders < len(list((tmp_path / "after").rglob("*.html"))) // 2
    assert tree(tmp_path / "after") == tree(tmp_path / "fresh")


def test_a_damaged_cache_is_ignored(site: Path, tmp_path: Path, own_build_cache: Path) -> None:
    run(site, tmp_path / "cold")
    cold = tree(tmp_path / "cold")  # before: its pages are linked into the cache
    entries = [p for p in own_build_cache.rglob("*") if p.is_file()]
    assert entries
    for number, entry in enumerate(entries):
        data = bytearray(entry.read_bytes())
        if number % 2:
            data[len(data) // 2] ^= 0xFF  # a flipped bit
        else:
            data = data[: len(data) // 3]  # a file cut short
        entry.write_bytes(bytes(data))

    memo = BuildCache()
    run(site, tmp_path / "again", memo)

    assert memo.parses > 0 and memo.renders > 0
    assert tree(tmp_path / "again") == cold


def test_a_cache_from_another_version_is_not_used(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(site, tmp_path / "cold")
    monkeypatch.setattr(sitegen.engine.cache, "code_version", lambda: "another version")

    memo = BuildCache()
    run(site, tmp_path / "again", memo)

    assert memo.parses > 0 and memo.renders > 0
    assert tree(tmp_path / "again") == tree(tmp_path / "cold")


def test_no_cache_neither_reads_nor_writes_one(
    site: Path, tmp_path: Path, own_build_cache: Path
) -> None:
    memo = BuildCache()
    run(site, tmp_path / "out", memo, cache=False)
    assert not own_build_cache.exists() and not (site / ".sitegen-cache").exists()
    assert memo.parses > 0


def test_a_page_changed_in_the_written_site_is_not_taken_from_the_cache(
    tmp_path: Path, own_build_cache: Path
) -> None:
    """As the command line builds, a page is written to the new site once and
    kept in the cache as a link to that file. Something that later changes
    the site's file in place changes the entry too, which the next build
    must find damaged and make again."""
    site = SITES / "basic/input"
    options = {"jobs": 2}
    run(site, tmp_path / "first", **options)
    page = tmp_path / "first/news/index.html"
    entries = [p for p in (own_build_cache / "html").rglob("*") if p.is_file()]
    assert any(entry.stat().st_ino == page.stat().st_ino for entry in entries)
    with page.open("ab") as file:  # in place, as an appending tool would
        file.write(b"<!-- changed -->")

    memo = BuildCache()
    run(site, tmp_path / "second", memo, **options)
    run(site, tmp_path / "fresh", cache=False)

    assert memo.renders == 1
    assert tree(tmp_path / "second") == tree(tmp_path / "fresh")


def test_a_build_leaves_the_garbage_collector_as_it_found_it(site: Path, tmp_path: Path) -> None:
    """A build keeps what it holds out of the collector's walks while it
    runs; a process that builds again and again (``serve``) must get its
    memory back when a build's objects are dropped."""
    run(site, tmp_path / "out", cache=False, jobs=2)
    assert gc.get_freeze_count() == 0
    failed = build(site / "missing", BuildOptions(out_dir=tmp_path / "failed", search=False))
    assert not failed.ok and gc.get_freeze_count() == 0

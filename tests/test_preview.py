"""``serve`` shows a saved article's new text at once, ahead of the rebuild
of the whole site, and only where the text alone changed."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import sitegen.serve
from sitegen.build import BuildCache, BuildOptions, build
from sitegen.engine.incremental import preview_article
from sitegen.serve import Server
from tests.helpers import REPO
from tests.test_serve import fetch, wait_for

ARTICLE = "content/news/2020-04-27-pujiang-visit.zh.md"
OUT = "news/2020/04/pujiang-visit/index.html"
SENTENCE = "这是刚刚保存的新句子。"


def copy_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(REPO / "site.yaml", site / "site.yaml")
    shutil.copytree(REPO / "content", site / "content")
    return site


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, BuildCache]:
    site = copy_site(tmp_path)
    cache = BuildCache()
    options = BuildOptions(out_dir=tmp_path / "out", search=False, keep=True)  # as serve builds
    result = build(site, options, cache=cache)
    assert result.ok
    return site, cache


def test_a_build_that_kept_no_pages_gives_no_quick_preview(tmp_path: Path) -> None:
    site = copy_site(tmp_path)
    cache = BuildCache()
    assert build(site, BuildOptions(out_dir=tmp_path / "out", search=False), cache=cache).ok
    add_sentence(site)
    assert preview_article(site, cache, ARTICLE) is None  # the full rebuild shows the edit


def add_sentence(site: Path) -> None:
    article = site / ARTICLE
    text = article.read_text(encoding="utf-8")
    article.write_text(text.rstrip("\n") + "\n\n" + SENTENCE + "\n", encoding="utf-8")


def test_a_text_edit_renders_the_page_as_a_full_build_does(
    built: tuple[Path, BuildCache], tmp_path: Path
) -> None:
    site, cache = built
    add_sentence(site)
    pages = preview_article(site, cache, ARTICLE)
    assert pages is not None and set(pages) == {OUT}
    assert SENTENCE in pages[OUT].decode("utf-8")
    fresh = build(site, BuildOptions(out_dir=tmp_path / "fresh", search=False, cache=False))
    assert fresh.ok
    assert pages[OUT] == (tmp_path / "fresh" / OUT).read_bytes()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("title: 蒲江", "title: 改过的蒲江"),  # the title is on other pages too
        ("date: 2020-04-27", "date: 2020-04-28"),  # so is the date, and the address
        ("date: 2020-04-27", "date: [2020-04-27"),  # broken: the full build reports it
    ],
)
def test_anything_but_the_text_waits_for_the_full_build(
    built: tuple[Path, BuildCache], old: str, new: str
) -> None:
    site, cache = built
    article = site / ARTICLE
    text = article.read_text(encoding="utf-8")
    assert old in text
    article.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert preview_article(site, cache, ARTICLE) is None


def test_an_unsafe_addition_waits_for_the_full_build(built: tuple[Path, BuildCache]) -> None:
    site, cache = built
    article = site / ARTICLE
    text = article.read_text(encoding="utf-8")
    article.write_text(text + "\n<script>alert(1)</script>\n", encoding="utf-8")
    assert preview_article(site, cache, ARTICLE) is None


@pytest.fixture
def slow_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Server, threading.Event]]:
    """A server whose rebuilds after the first wait until the test lets them go."""
    release = threading.Event()
    builds = 0

    def held_build(*args: object, **kwargs: object) -> object:
        nonlocal builds
        builds += 1
        if builds > 1:
            release.wait(timeout=30)
        return build(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sitegen.serve, "build", held_build)
    running = Server(copy_site(tmp_path), port=0)
    running.start()
    try:
        yield running, release
    finally:
        release.set()
        running.stop()


def test_the_saved_page_is_served_before_the_site_is_rebuilt(
    slow_server: tuple[Server, threading.Event],
) -> None:
    server, release = slow_server
    page = server.url + "news/2020/04/pujiang-visit/"
    start = server.live.version
    add_sentence(server.site_dir)
    assert wait_for(lambda: server.live.version > start, seconds=5), "no reload was sent"
    status, body = fetch(page)
    assert status == 200 and SENTENCE in body and "/__sitegen/reload.js" in body
    assert server.root is not None and server.root.name == "site-1", "still the first build"

    release.set()  # the full rebuild now runs, and keeps the page
    assert wait_for(lambda: server.live.version > start + 1)
    assert SENTENCE in fetch(page)[1]

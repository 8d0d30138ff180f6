"""Article bodies written out of memory during a build read back whole,
compare by their text, and never reach the build cache as a place."""

from __future__ import annotations

import gc
import pickle
import signal
import subprocess
import sys
from pathlib import Path

from sitegen.build import BuildCache, BuildOptions, build
from sitegen.engine.bodies import Body, BodyStore
from tests.helpers import REPO, SITES

TEXT = "<p>新都区社区教育学院 — “市民自主学习团队”。</p>\n" * 40


def test_a_written_body_reads_back_and_equals_its_text() -> None:
    store = BodyStore()
    held = Body(TEXT)
    written = store.write(held)
    other = store.write(Body("<p>另一篇。</p>\n"))

    assert written.written and not held.written
    assert written.text == TEXT and other.text == "<p>另一篇。</p>\n"
    assert written == held and hash(written) == hash(held) and repr(written) == repr(held)
    assert written != other and store.write(written) is written


def test_a_written_body_pickles_as_its_place_and_a_held_one_as_its_text() -> None:
    store = BodyStore()
    written = store.write(Body(TEXT))
    assert len(pickle.dumps(written)) < 200  # what a worker sends back
    kept = pickle.loads(pickle.dumps(written.held()))  # what the build cache keeps
    store.close()
    assert kept.text == TEXT and not kept.written


def test_the_scratch_folder_goes_with_the_store() -> None:
    store = BodyStore()
    folder = Path(store.folder)
    store.write(Body(TEXT))
    assert any(folder.iterdir())
    del store
    gc.collect()
    assert not folder.exists()


def test_a_build_keeps_its_articles_bodies_out_of_memory(tmp_path: Path) -> None:
    options = BuildOptions(out_dir=tmp_path / "out", search=False, cache=False, keep=True)
    result = build(SITES / "basic/input", options, cache=BuildCache())
    assert result.ok and result.site is not None and result.bodies is not None
    articles = result.site.articles
    assert articles and all(a.body.written for a in articles)
    body = articles[0].body_html.encode()
    assert "<p>" in articles[0].body_html and any(body in page for page in result.output.values())

    folder = Path(result.bodies.folder)
    del result, articles
    gc.collect()
    assert not folder.exists()


def test_a_killed_builds_scratch_folder_is_removed_by_the_next_build() -> None:
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, signal\n"
            "from sitegen.engine.bodies import Body, BodyStore\n"
            "store = BodyStore()\n"
            "store.write(Body('<p>正文</p>'))\n"
            "print(store.folder, flush=True)\n"
            "os.kill(os.getpid(), signal.SIGKILL)\n",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL
    left = Path(killed.stdout.strip())
    assert left.is_dir()  # nothing could remove it

    running = BodyStore()  # the next build
    assert not left.exists()
    assert Path(running.folder).is_dir()
    BodyStore()  # a build beside it leaves its folder alone
    assert Path(running.folder).is_dir()

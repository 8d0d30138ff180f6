"""A build killed at any moment (SIGKILL: no clean-up code runs) leaves the
previous site whole, nothing that trips the next build, and nothing in the
cache that a later build would use wrongly."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

from tests.faults.sites import build, digest, example_site, leftovers, set_title, start

ROUNDS = 8
ARTICLES = 150  # with the example's, a build of about 2 s on two quiet cores


def kill(build: subprocess.Popen[str]) -> None:
    """Kill the build and every process of its group (workers, Pagefind)."""
    with contextlib.suppress(ProcessLookupError):  # it had ended, and its workers with it
        os.killpg(build.pid, signal.SIGKILL)
    build.communicate()


def test_a_killed_build_leaves_the_previous_site_and_nothing_in_the_way(tmp_path: Path) -> None:
    site = example_site(tmp_path / "site", ARTICLES)
    out, cache = site / "build", tmp_path / "cache"
    began = time.monotonic()
    build(site, "--cache-dir", cache)
    duration = time.monotonic() - began
    previous = digest(out)

    interrupted: list[int] = []
    for variant in range(1, ROUNDS + 1):
        # Each round builds a site that differs from the last on every page,
        # and is killed a little later in the build than the round before.
        set_title(site, variant)
        running = start(site, "--cache-dir", cache)
        time.sleep(duration * (variant - 0.5) / ROUNDS)
        if running.poll() is None:
            interrupted.append(variant)
        kill(running)

        now = digest(out)
        if now != previous:  # killed after the swap: the new site, whole
            build(site, "--out", tmp_path / f"variant-{variant}", "--no-cache")
            assert now == digest(tmp_path / f"variant-{variant}"), f"round {variant}"
        previous = now
        stray = [name for name in leftovers(out) if ".tmp-" in name]
        assert len(stray) <= 1, f"round {variant} found the last round's leftovers: {stray}"
    assert len(interrupted) >= ROUNDS // 2, "the builds ended before they were killed"

    # The next build cleans up, and what it takes from the cache that the
    # furthest of the killed builds left makes what a build from scratch makes.
    set_title(site, interrupted[-1])
    build(site, "--cache-dir", cache)
    assert leftovers(out) == []
    build(site, "--out", tmp_path / "from-scratch", "--no-cache")
    assert digest(out) == digest(tmp_path / "from-scratch")

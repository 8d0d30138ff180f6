"""Two builds of the same site into the same folder, started at the same
moment: they take turns at the output folder, both succeed, and the site
they leave is whole."""

from __future__ import annotations

from pathlib import Path

from tests.faults.sites import build, digest, example_site, leftovers, start

ROUNDS = 3


def test_two_builds_at_once_both_succeed_and_leave_one_whole_site(tmp_path: Path) -> None:
    site = example_site(tmp_path / "site", articles=40)
    out, cache = site / "build", tmp_path / "cache"
    build(site, "--out", tmp_path / "alone", "--no-cache")
    expected = digest(tmp_path / "alone")

    for round in range(ROUNDS):
        builds = [start(site, "--cache-dir", cache) for _ in range(2)]
        for running in builds:
            _, err = running.communicate()
            assert running.returncode == 0, f"round {round}: {err}"
            assert err == "", f"round {round}: {err}"
        assert digest(out) == expected, f"round {round}"
        assert leftovers(out) == [], f"round {round}"

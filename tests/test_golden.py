"""Golden sites: ``tests/sites/<name>/input`` must build into ``expected``.

Run with ``SITEGEN_UPDATE_GOLDEN=1`` to rewrite ``expected/`` from the
current output; review that diff like code before committing it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import shutil
from pathlib import Path

import pytest

from sitegen.build import BuildOptions, build
from sitegen.engine.runners import Bounded, Pooled, Serial
from tests.helpers import SITES, tree

GOLDEN = sorted(p.name for p in SITES.iterdir() if (p / "input").is_dir())
# Each golden build: the site, the folder of what it must write, the build
# date and whether articles dated after it are published ahead of it (as
# --future does, marked as scheduled). The build date decides which events
# are coming, which notices are pinned and which have expired.
BUILDS = [
    ("basic", "expected", dt.date(2021, 5, 1), True),
    ("records", "expected", dt.date(2021, 5, 1), True),
    # a notice pinned, one held back for its day, an announced event coming
    ("newsroom", "expected", dt.date(2020, 5, 10), False),
    # the notice dropped back, the held one published, the event ended
    ("newsroom", "expected-later", dt.date(2020, 5, 21), False),
]
# As the command line builds (the runner chosen, the pages written as they
# are made, nothing kept), as `check` and `serve` build (everything kept),
# and under every runner, with pieces small enough for every path to be
# taken on a small site.
RUNNERS: dict[str, dict[str, object]] = {
    "chosen": {},
    "kept": {"keep": True},
    "serial": {"runner": Serial(), "cache": False},
    "pooled": {"runner": Pooled(jobs=2, least=1, ahead=3, batch=5), "cache": False},
    "bounded": {"runner": Bounded(jobs=2, least=1, batch=5, light=12_000), "cache": False},
}


def test_every_golden_site_is_built() -> None:
    assert sorted({name for name, *_ in BUILDS}) == GOLDEN


@pytest.mark.parametrize("runner", list(RUNNERS))
@pytest.mark.parametrize(
    ("name", "expected", "today", "future"),
    BUILDS,
    ids=[f"{name}-{today}" for name, _, today, _ in BUILDS],
)
def test_site_builds_exactly_as_expected(
    name: str, expected: str, today: dt.date, future: bool, runner: str, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    options = BuildOptions(
        out_dir=out,
        strict=True,
        today=today,
        future=future,
        search=False,
        **RUNNERS[runner],  # type: ignore[arg-type]
    )
    result = build(SITES / name / "input", options)
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    assert (result.site is None) == (runner == "bounded"), "planned in a child process or here"

    expected_dir = SITES / name / expected
    if os.environ.get("SITEGEN_UPDATE_GOLDEN") == "1" and runner == "chosen":
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(out, expected_dir)
    actual, wanted = tree(out), tree(expected_dir)
    assert sorted(actual) == sorted(wanted), "a different set of files was written"
    for path, data in wanted.items():
        if actual[path] != data:
            diff = "\n".join(
                difflib.unified_diff(
                    data.decode("utf-8", "replace").splitlines(),
                    actual[path].decode("utf-8", "replace").splitlines(),
                    f"{expected}/{path}",
                    f"actual/{path}",
                    lineterm="",
                    n=2,
                )
            )
            pytest.fail(
                f"{path} differs from the golden copy "
                f"(SITEGEN_UPDATE_GOLDEN=1 rewrites it):\n{diff[:4000]}"
            )

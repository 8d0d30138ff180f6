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
from tests.helpers import SITES, tree

GOLDEN = sorted(p.name for p in SITES.iterdir() if (p / "input").is_dir())


@pytest.mark.parametrize("name", GOLDEN)
def test_site_builds_exactly_as_expected(name: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    # A fixed build date: it decides which events the home page shows as coming.
    options = BuildOptions(out_dir=out, strict=True, today=dt.date(2021, 5, 1), search=False)
    result = build(SITES / name / "input", options)
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)

    expected_dir = SITES / name / "expected"
    if os.environ.get("SITEGEN_UPDATE_GOLDEN") == "1":
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(out, expected_dir)
    actual, expected = tree(out), tree(expected_dir)
    assert sorted(actual) == sorted(expected), "a different set of files was written"
    for path, data in expected.items():
        if actual[path] != data:
            diff = "\n".join(
                difflib.unified_diff(
                    data.decode("utf-8", "replace").splitlines(),
                    actual[path].decode("utf-8", "replace").splitlines(),
                    f"expected/{path}",
                    f"actual/{path}",
                    lineterm="",
                    n=2,
                )
            )
            pytest.fail(
                f"{path} differs from the golden copy "
                f"(SITEGEN_UPDATE_GOLDEN=1 rewrites it):\n{diff[:4000]}"
            )

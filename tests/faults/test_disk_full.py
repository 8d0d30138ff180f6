"""A disk that fills up during a build: the build says so, in one message
with what to do, and leaves the previous site as it was."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import sitegen.images
import sitegen.parallel
import sitegen.write
from sitegen.cli import main
from tests.faults.sites import DATE, digest, example_site, leftovers

Patch = Callable[[pytest.MonkeyPatch], None]


def disk_full(*args: object) -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), *args)


def full_after(calls: int, owner: object, name: str, path: int | None = None) -> Patch:
    """``owner.name`` fails as on a full disk, naming its argument ``path``,
    once it has been called ``calls`` times in a process (a forked worker
    inherits the patch)."""

    def patch(monkeypatch: pytest.MonkeyPatch) -> None:
        real, made = getattr(owner, name), 0

        def call(*args: Any, **kwargs: Any) -> Any:
            nonlocal made
            made += 1
            if made > calls:
                raise disk_full(*([] if path is None else [os.fspath(args[path])]))
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, call)

    return patch


def full_at_marker(monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills up with the last file of the site."""
    real = sitegen.write.Staging.write

    def write(staging: sitegen.write.Staging, rel: str, data: bytes) -> None:
        if rel == sitegen.write.MARKER:
            raise disk_full(os.fspath(staging.root / rel))
        real(staging, rel, data)

    monkeypatch.setattr(sitegen.write.Staging, "write", write)


# Where the disk fills up, and with how many processes the pages are made.
CASES: dict[str, tuple[Patch, str]] = {
    "writing pages": (full_after(5, Path, "write_bytes", 0), "1"),
    "writing pages in worker processes": (full_after(5, Path, "write_bytes", 0), "2"),
    "copying styles and pictures": (full_after(2, shutil, "copyfile", 1), "1"),
    "storing a picture's smaller copy": (full_after(0, sitegen.images, "_store", 0), "1"),
    "making the new site's folder": (full_after(0, tempfile, "mkdtemp"), "1"),
    "writing the last file": (full_at_marker, "1"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site, built once."""
    site = example_site(tmp_path_factory.mktemp("built") / "site")
    assert main(["build", os.fspath(site), "--date", DATE, "--no-search", "--no-cache", "-q"]) == 0
    return site


@pytest.mark.parametrize("case", list(CASES))
def test_a_full_disk_is_reported_and_the_previous_site_stays(
    case: str,
    built: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    site = tmp_path / "site"
    shutil.copytree(built, site)
    out = site / "build"
    before = digest(out)
    patch, jobs = CASES[case]
    build = ["build", os.fspath(site), "--date", DATE, "--no-search", "--lang", "en", "-j", jobs]
    monkeypatch.setattr(sitegen.parallel, "MIN_ITEMS", 1)  # the example's pages are shared out
    patch(monkeypatch)
    capsys.readouterr()

    assert main([*build, "--no-cache"]) == 1

    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 3, captured.err
    assert lines[0].endswith(
        ": error: could not write the site: No space left on device [write-failed]"
    )
    assert lines[1] == (
        "    hint: check free disk space and permissions; the previous site was left as it was"
    )
    assert lines[2] == f"build failed: 1 error, 0 warnings; {out} was left as it was"
    assert ".tmp-" not in lines[0], "the message names the output, not a temporary folder"
    assert digest(out) == before
    assert leftovers(out) == []

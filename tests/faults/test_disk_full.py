"""A disk that fills up during a build: the build says so, in one message
with what to do, and leaves the previous site as it was."""

from __future__ import annotations

import errno
import gzip
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import sitegen.build
import sitegen.core.plan
import sitegen.engine.parallel
import sitegen.engine.pictures
import sitegen.engine.write
from sitegen.cli import main
from sitegen.engine.runners import Bounded, Pooled, Runner, Serial
from tests.faults.sites import DATE, digest, example_site, leftovers, set_title

Patch = Callable[[pytest.MonkeyPatch], None]


def disk_full(*args: object) -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), *args)


def full_after(
    calls: int, owner: object, name: str, path: int | None = None, source: int | None = None
) -> Patch:
    """``owner.name`` fails as on a full disk, naming its argument ``path``
    (after its argument ``source``, as a failed copy does), once it has been
    called ``calls`` times in a process (a forked worker inherits the patch)."""

    def patch(monkeypatch: pytest.MonkeyPatch) -> None:
        real, made = getattr(owner, name), 0

        def call(*args: Any, **kwargs: Any) -> Any:
            nonlocal made
            made += 1
            if made > calls and source is not None and path is not None:
                raise disk_full(os.fspath(args[source]), None, os.fspath(args[path]))
            if made > calls:
                raise disk_full(*([] if path is None else [os.fspath(args[path])]))
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, call)

    return patch


def full_at_marker(monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills up with the last file of the site."""
    real = sitegen.engine.write.Staging.write

    def write(staging: sitegen.engine.write.Staging, rel: str, data: bytes) -> None:
        if rel == sitegen.engine.write.MARKER:
            raise disk_full(os.fspath(staging.root / rel))
        real(staging, rel, data)

    monkeypatch.setattr(sitegen.engine.write.Staging, "write", write)


# How the build runs, chosen for the case as the command line would choose
# it for a larger site: the example's pages shared out over two workers,
# planned and rendered a few at a time.
SERIAL = Serial()
POOLED = Pooled(jobs=2, least=1)
AHEAD = Pooled(jobs=2, least=1, ahead=3, batch=5)
BOUNDED = Bounded(jobs=2, least=1, batch=5)


# Where the disk fills up, and with how many processes the pages are made.
CASES: dict[str, tuple[Patch, Runner]] = {
    "writing pages": (full_after(5, Path, "write_bytes", 0), SERIAL),
    "writing pages in worker processes": (full_after(5, Path, "write_bytes", 0), POOLED),
    # by the process that renders pages while the plan is made: its third page
    "writing pages rendered while planning": (
        full_after(2, Path, "write_bytes", 0),
        AHEAD,
    ),
    "copying styles and pictures": (full_after(2, shutil, "copyfile", 1), SERIAL),
    # as the system says it: the file copied from, then the copy
    "copying, naming both files": (full_after(2, shutil, "copyfile", 1, source=0), SERIAL),
    "storing a picture's smaller copy": (
        full_after(0, sitegen.engine.pictures, "_store", 0),
        SERIAL,
    ),
    "making the new site's folder": (full_after(0, tempfile, "mkdtemp"), SERIAL),
    "writing the last file": (full_at_marker, SERIAL),
    # by the processes that render pieces of five pages: in their third page
    "writing pages of a site planned apart": (
        full_after(2, Path, "write_bytes", 0),
        BOUNDED,
    ),
    # the first folder made is the one for the articles' bodies
    "making the folder of a site planned apart": (
        full_after(1, tempfile, "mkdtemp"),
        BOUNDED,
    ),
}

# Where the disk fills up in the build cache, which the message names instead.
IN_THE_CACHE = {"storing a picture's smaller copy"}


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
    patch, runner = CASES[case]
    build = ["build", os.fspath(site), "--date", DATE, "--no-search", "--lang", "en"]
    monkeypatch.setattr(sitegen.build, "choose_runner", lambda *_: runner)
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
    if case not in IN_THE_CACHE:
        assert lines[0].startswith(os.fspath(out)), "the message names where the site goes"
    assert digest(out) == before
    assert leftovers(out) == []


# What Pagefind does on a full disk: it leaves files empty or cut short and
# still exits 0 (seen with Pagefind 1.5 on a full tmpfs).
TRUNCATED = {
    "pagefind-entry.json": b"",
    "pagefind.js": b"",
    "pagefind.en_5ca5abe86a.pf_meta": gzip.compress(b"pagefind_dcd" * 500)[:20],
}


def pagefind(code: int, message: str, files: dict[str, bytes]) -> Callable[..., Any]:
    """A stand-in for the Pagefind command: it writes ``files`` into the
    site's pagefind/ folder and exits with ``code``, saying ``message``."""

    def run(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        bundle = Path(args[args.index("--site") + 1]) / "pagefind"
        bundle.mkdir(exist_ok=True)
        for name, data in files.items():
            (bundle / name).write_bytes(data)
        return subprocess.CompletedProcess(args, code, stdout="", stderr=message)

    return run


def free_space(free: int) -> Callable[[object], SimpleNamespace]:
    return lambda path: SimpleNamespace(total=1 << 40, used=(1 << 40) - free, free=free)


SEARCH_CASES = {
    "Pagefind exits 0 on a full disk": (pagefind(0, "", TRUNCATED), 0),
    "Pagefind says the disk is full": (
        pagefind(1, "Error: No space left on device (os error 28)\n", {}),
        1 << 30,
    ),
}


@pytest.mark.parametrize("case", list(SEARCH_CASES))
def test_a_disk_that_fills_up_with_the_search_index_is_a_write_failure(
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
    run, free = SEARCH_CASES[case]
    monkeypatch.setattr(subprocess, "run", run)
    monkeypatch.setattr(shutil, "disk_usage", free_space(free))
    capsys.readouterr()

    assert main(["build", os.fspath(site), "--date", DATE, "--no-cache", "--lang", "en"]) == 1

    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert captured.err.splitlines() == [
        f"{out}/pagefind: error: could not write the site: No space left on device [write-failed]",
        "    hint: check free disk space and permissions; the previous site was left as it was",
        f"build failed: 1 error, 0 warnings; {out} was left as it was",
    ]
    assert digest(out) == before
    assert leftovers(out) == []


def test_a_damaged_index_on_a_disk_with_room_is_a_search_failure(
    built: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    site = tmp_path / "site"
    shutil.copytree(built, site)
    out = site / "build"
    before = digest(out)
    monkeypatch.setattr(subprocess, "run", pagefind(0, "", TRUNCATED))
    monkeypatch.setattr(shutil, "disk_usage", free_space(1 << 30))
    capsys.readouterr()

    assert main(["build", os.fspath(site), "--date", DATE, "--no-cache", "--lang", "en"]) == 1

    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == (
        "site.yaml: error: the search index could not be built: Pagefind left a damaged "
        "index: pagefind/pagefind-entry.json is empty [search-failed]"
    )
    assert lines[-1] == f"build failed: 1 error, 0 warnings; {out} was left as it was"
    assert digest(out) == before
    assert leftovers(out) == []


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A folder on a disk of its own (a tmpfs) whose size a test may set."""
    disk = tmp_path / "disk"
    disk.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", os.fspath(disk)],
        capture_output=True,
        check=False,
    )
    if made.returncode != 0:
        pytest.skip("mounting a small disk needs root and a system that allows it")
    try:
        yield disk
    finally:
        subprocess.run(["umount", os.fspath(disk)], check=True)


def test_a_real_disk_too_small_for_the_search_index(
    built: Path, small_disk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    shutil.copytree(built, site)
    out = small_disk / "out"
    build = ["build", os.fspath(site), "--date", DATE, "--no-cache", "--lang", "en", "-q"]
    assert main([*build, "--out", os.fspath(out)]) == 0
    used = shutil.disk_usage(small_disk).used
    index = sum(p.stat().st_blocks * 512 for p in (out / "pagefind").rglob("*") if p.is_file())
    assert index > 100_000, "the index is too small for this test to tell anything"
    # room for the new site's pages and pictures, not for its index
    room = used + (used - index) + index // 3
    subprocess.run(
        ["mount", "-o", f"remount,size={room}", os.fspath(small_disk)],
        capture_output=True,
        check=True,
    )
    set_title(site, 2)  # every page of the new site differs from the old
    before = digest(out)
    capsys.readouterr()

    assert main([*build, "--out", os.fspath(out)]) == 1

    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert captured.err.splitlines() == [
        f"{out}/pagefind: error: could not write the site: No space left on device [write-failed]",
        "    hint: check free disk space and permissions; the previous site was left as it was",
        f"build failed: 1 error, 0 warnings; {out} was left as it was",
    ]
    assert digest(out) == before
    assert leftovers(out) == []

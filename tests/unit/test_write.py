from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from sitegen.engine import write
from sitegen.engine.write import MARKER, Staging, foreign_files, recover, write_site


def test_new_site_replaces_the_old_one_entirely(tmp_path: Path) -> None:
    out = tmp_path / "build"
    write_site(out, {"index.html": b"one", "old/index.html": b"old"}, {})
    write_site(out, {"index.html": b"two"}, {})
    assert (out / "index.html").read_bytes() == b"two"
    assert not (out / "old").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def test_failure_while_writing_keeps_the_previous_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "build"
    write_site(out, {"index.html": b"good"}, {})

    def disk_full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write.shutil, "copyfile", disk_full)
    with pytest.raises(OSError):
        write_site(out, {"index.html": b"new"}, {"a.css": tmp_path / "missing"})
    assert (out / "index.html").read_bytes() == b"good"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def test_leftovers_of_a_killed_build_are_recovered(tmp_path: Path) -> None:
    out = tmp_path / "build"
    (tmp_path / ".build.old-abc").mkdir()
    (tmp_path / ".build.old-abc" / "index.html").write_text("previous")
    (tmp_path / ".build.tmp-def").mkdir()
    recover(out)
    assert (out / "index.html").read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def test_the_output_folder_is_never_missing_while_the_new_site_goes_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "build"
    write_site(out, {"index.html": b"one"}, {})
    present: list[bool] = []
    rename = os.rename

    def watched(source: Path, target: Path) -> None:
        rename(source, target)
        present.append(out.is_dir())

    monkeypatch.setattr(write.os, "rename", watched)
    write_site(out, {"index.html": b"two"}, {})
    assert (out / "index.html").read_bytes() == b"two"
    assert all(present)


def test_without_a_one_step_exchange_two_renames_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(write, "_RENAMEAT2", None)
    out = tmp_path / "build"
    write_site(out, {"index.html": b"one", "old.html": b"old"}, {})
    write_site(out, {"index.html": b"two"}, {})
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "index.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def test_a_second_build_waits_and_never_takes_the_first_ones_folder_for_a_leftover(
    tmp_path: Path,
) -> None:
    out = tmp_path / "build"
    first = Staging(out)
    first.write("index.html", b"first")
    waiting = threading.Event()

    def second() -> None:  # which cleans up leftovers before it writes
        with Staging(out, on_wait=waiting.set) as staging:
            staging.write("index.html", b"second")
            staging.commit()

    other = threading.Thread(target=second)
    other.start()
    assert waiting.wait(10)
    time.sleep(0.2)  # time enough for a second build to remove what it should not
    assert (first.root / "index.html").read_bytes() == b"first"
    assert not out.exists(), "the second build waits"
    first.commit()
    first.close()
    other.join(10)
    assert (out / "index.html").read_bytes() == b"second"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def test_sitegen_knows_its_own_output_by_a_marker(tmp_path: Path) -> None:
    out = tmp_path / "build"
    assert foreign_files(out) == []  # not there yet
    out.mkdir()
    assert foreign_files(out) == []  # empty
    (out / "notes.txt").write_text("mine")
    (out / "a").mkdir()
    assert foreign_files(out) == ["a", "notes.txt"]
    write_site(out, {"index.html": b"page"}, {})
    assert (out / MARKER).is_file()
    assert foreign_files(out) == []

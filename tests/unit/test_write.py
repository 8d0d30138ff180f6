from __future__ import annotations

from pathlib import Path

import pytest

from sitegen import write
from sitegen.write import recover, write_site


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

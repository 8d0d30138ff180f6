"""``sitegen build`` replaces its output folder whole, so it refuses one
that would take the site or someone's files with it."""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import pytest

import sitegen.build
from sitegen.build import BuildOptions
from sitegen.cli import main
from sitegen.engine.write import MARKER
from tests.faults.sites import DATE, digest, example_site

REPLACES_SITE = "--out is the site folder or holds it; a build would replace the site folder itself"
HINT_FORCE = (
    "hint: choose a new or empty folder, or add --force to replace this one and all it holds"
)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return example_site(tmp_path / "site")


def build(site: Path, *args: str | Path) -> int:
    return main(["build", os.fspath(site), "--date", DATE, "--no-search", "-q", *map(str, args)])


@pytest.mark.parametrize(
    ("out", "message"),
    [
        (".", REPLACES_SITE),
        ("..", REPLACES_SITE),
        ("content", "--out is inside content/, which the build reads"),
        ("content/news/site", "--out is inside content/, which the build reads"),
        ("themes/default/out", "--out is inside themes/, which the build reads"),
    ],
)
@pytest.mark.parametrize("force", [False, True])
def test_the_site_and_what_the_build_reads_are_never_replaced(
    site: Path, out: str, message: str, force: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "themes/default").mkdir(parents=True)
    (site / "themes/default/notes.txt").write_text("kept", encoding="utf-8")
    around = digest(site.parent)
    args: list[str | Path] = ["--out", site / out, "--lang", "en", *(["--force"] if force else [])]

    assert build(site, *args) == 2

    err = capsys.readouterr().err
    assert f"{site / out}: error: {message} [unsafe-output]\n    hint: choose a " in err
    assert "Traceback" not in err
    assert digest(site.parent) == around


def test_a_folder_of_other_files_is_refused_unless_forced(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "www"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "photos").mkdir()

    assert build(site, "--out", out, "--lang", "en") == 2
    err = capsys.readouterr().err
    assert f"{out}: error: --out holds files sitegen did not write (notes.txt, photos); " in err
    assert f"a build would delete them [unsafe-output]\n    {HINT_FORCE}\n" in err
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"

    assert build(site, "--out", out, "--lang", "zh") == 2
    err = capsys.readouterr().err
    assert "--out 中有不是 sitegen 写出的文件（notes.txt, photos）；生成会把它们删除" in err
    assert (
        "提示: 请选择一个新的或空的文件夹；若确实要替换此文件夹及其中的一切，请加上 --force" in err
    )

    assert build(site, "--out", out, "--force") == 0
    assert not (out / "notes.txt").exists() and (out / "index.html").is_file()
    # The site written carries the marker by which the next build knows it.
    assert (out / MARKER).is_file()
    assert build(site, "--out", out) == 0


def test_the_default_build_folder_is_guarded_too(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "build").mkdir()
    (site / "build/report.pdf").write_bytes(b"%PDF")
    assert build(site, "--lang", "en") == 2
    assert "--out holds files sitegen did not write (report.pdf)" in capsys.readouterr().err
    assert (site / "build/report.pdf").is_file()


def test_new_empty_and_earlier_sitegen_folders_are_built_into(site: Path, tmp_path: Path) -> None:
    assert build(site, "--out", tmp_path / "new/deeper") == 0
    (tmp_path / "empty").mkdir()
    assert build(site, "--out", tmp_path / "empty") == 0
    # a site written before sitegen marked its output
    earlier = tmp_path / "earlier"
    shutil.copytree(tmp_path / "empty", earlier)
    (earlier / MARKER).unlink()
    assert build(site, "--out", earlier) == 0


def test_a_file_is_never_replaced(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "index.html"
    out.write_text("<p>a page of my own</p>", encoding="utf-8")
    assert build(site, "--out", out, "--force", "--lang", "en") == 2
    err = capsys.readouterr().err
    assert f"{out}: error: --out is a file, not a folder [unsafe-output]" in err
    assert out.read_text(encoding="utf-8") == "<p>a page of my own</p>"


def test_a_library_build_is_guarded_as_the_command_line_is(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("kept", encoding="utf-8")
    options = BuildOptions(out_dir=out, search=False)

    refused = sitegen.build.build(site, options)
    inside = sitegen.build.build(site, BuildOptions(out_dir=site / "content/out", search=False))
    forced = sitegen.build.build(site, dataclasses.replace(options, force=True))

    assert not refused.ok and [d.code for d in refused.diagnostics] == ["unsafe-output"]
    assert "a build would delete them" in refused.diagnostics[0].message
    assert not inside.ok and [d.code for d in inside.diagnostics] == ["unsafe-output"]
    assert not (site / "content/out").exists()
    assert forced.ok and not (out / "notes.txt").exists() and (out / "index.html").is_file()
    # checking writes nothing, so any folder will do
    assert sitegen.build.build(site, dataclasses.replace(options, write=False)).ok

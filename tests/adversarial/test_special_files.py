"""Named pipes, sockets and devices where a site's files belong. Opening a
named pipe waits for a writer that never comes, and a device such as
/dev/zero never ends: the build names each one as an error, asks for it to
be removed, and never opens it."""

from __future__ import annotations

import os
import socket
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.adversarial.sites import PLAIN, article, build, fails_with, reads, write_site
from tests.helpers import time_limit

NEWS = "content/news/2020-04-27-visit.zh.md"
BUNDLE = "content/news/2020-04-27-visit"
PIPE = "named pipe (FIFO)"
HINT = (
    "hint: remove it: a site folder holds only files and folders, and reading this "
    "would make the build wait forever"
)


def error(where: str, kind: str = PIPE) -> str:
    return f"{where}: error: this is a {kind}, not a regular file, so it is not read [special-file]"


@pytest.mark.parametrize(
    ("where", "files"),
    [
        pytest.param("content/news/2020-04-28-pipe.zh.md", {NEWS: PLAIN}, id="article"),
        pytest.param("content/news/notes", {NEWS: PLAIN}, id="other-name-in-news"),
        pytest.param(f"{BUNDLE}/photo.jpg", {f"{BUNDLE}/index.zh.md": PLAIN}, id="bundle-file"),
        pytest.param("content/teams/pipe.yaml", {NEWS: PLAIN}, id="record"),
        pytest.param("content/tags.yaml", {NEWS: PLAIN}, id="vocabulary"),
        pytest.param("content/towns.yaml", {NEWS: PLAIN}, id="towns"),
        pytest.param("themes/default/templates/base.html", {NEWS: PLAIN}, id="template"),
        pytest.param("themes/default/static/pipe.css", {NEWS: PLAIN}, id="static-file"),
        pytest.param("themes/default/i18n/en.yaml", {NEWS: PLAIN}, id="strings"),
    ],
)
def test_a_named_pipe_is_named_and_never_opened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str, files: dict[str, str]
) -> None:
    site = write_site(tmp_path / "site", files)
    (site / where).parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(site / where)
    with time_limit(60), reads() as found:
        outcome = build(tmp_path, capsys, {}, site=site)
    fails_with(outcome, error(where))
    assert HINT in outcome.stderr
    assert str(site / where) not in found


def test_site_yaml_as_a_named_pipe_is_named_and_never_opened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_site(tmp_path / "site", {NEWS: PLAIN})
    (site / "site.yaml").unlink()
    os.mkfifo(site / "site.yaml")
    with time_limit(60), reads() as found:
        outcome = build(tmp_path, capsys, {}, site=site)
    fails_with(outcome, error("site.yaml"))
    assert str(site / "site.yaml") not in found


def test_a_link_to_a_named_pipe_inside_the_site_is_refused_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_site(tmp_path / "site", {NEWS: PLAIN})
    os.mkfifo(site / "pipe")
    link = "content/news/2020-04-28-link.zh.md"
    (site / link).symlink_to(site / "pipe")
    with time_limit(60), reads() as found:
        outcome = build(tmp_path, capsys, {}, site=site)
    fails_with(outcome, error(link))
    assert str(site / "pipe") not in found


def make_socket(path: Path) -> None:
    """A Unix socket file (bound by a relative name: a full temporary path
    may be longer than a socket address allows)."""
    here = Path.cwd()
    os.chdir(path.parent)
    try:
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(path.name)
    finally:
        os.chdir(here)


def make_device(path: Path) -> None:
    """A character device like /dev/zero, which never ends."""
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 5))
    except PermissionError:
        pytest.skip("making a device file needs root")


@pytest.mark.parametrize(
    ("make", "kind"),
    [(make_socket, "socket"), (make_device, "character device")],
    ids=["socket", "device"],
)
def test_sockets_and_devices_are_named_and_never_opened(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make: Callable[[Path], None],
    kind: str,
) -> None:
    site = write_site(tmp_path / "site", {NEWS: PLAIN})
    where = "content/news/2020-04-28-special.zh.md"
    make(site / where)
    with time_limit(60), reads() as found:
        outcome = build(tmp_path, capsys, {}, site=site)
    fails_with(outcome, error(where, kind))
    assert str(site / where) not in found


def test_the_message_reads_in_chinese_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sitegen.cli import main

    site = write_site(tmp_path / "site", {NEWS: article("title: 参观\ndate: 2020-04-27\n")})
    os.mkfifo(site / "content/news/2020-04-28-pipe.zh.md")
    with time_limit(60):
        code = main(["build", os.fspath(site), "--no-search", "--no-cache", "--lang", "zh", "-q"])
    err = capsys.readouterr().err
    assert code == 1
    assert (
        "content/news/2020-04-28-pipe.zh.md: 错误: 这是命名管道（FIFO），不是普通文件，"
        "因此不会读取 [special-file]" in err
    )
    assert "提示: 请删除它" in err


def test_site_yaml_that_is_a_folder_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_site(tmp_path / "site", {NEWS: PLAIN})
    (site / "site.yaml").unlink()
    (site / "site.yaml").mkdir()
    outcome = build(tmp_path, capsys, {}, site=site)
    fails_with(outcome, "site.yaml: error: cannot read file: Is a directory [unreadable]")


@pytest.mark.parametrize(
    "where",
    [
        "content/news/2020-04-28-locked.zh.md",
        "content/teams/locked.yaml",
        "site.yaml",
        "themes/default/templates/base.html",
        "themes/default/i18n/en.yaml",
        "themes/default/static/assets/extra.css",
    ],
)
def test_a_file_that_may_not_be_read_is_named(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    where: str,
) -> None:
    files = {NEWS: PLAIN, where: "x: 1\n"} if where != "site.yaml" else {NEWS: PLAIN}
    site = write_site(tmp_path / "site", files)
    locked = os.path.realpath(site / where)

    # The tests run as root, whom file modes do not stop: refuse as the
    # system refuses a file whose mode forbids reading it.
    def refuse(path: str | os.PathLike[str]) -> None:
        if os.path.realpath(path) == locked:
            raise PermissionError(13, "Permission denied", os.fspath(path))

    real_open, real_read = os.open, Path.read_bytes

    def os_open(path: str | os.PathLike[str], *args: Any, **kwargs: Any) -> int:
        refuse(path)
        return real_open(path, *args, **kwargs)

    def read_bytes(self: Path) -> bytes:
        refuse(self)
        return real_read(self)

    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    outcome = build(tmp_path, capsys, {}, site=site)
    fails_with(outcome, f"{where}: error: cannot read file: Permission denied [unreadable]")
    assert "hint: let the build read it (for example: chmod a+r on the file)" in outcome.stderr

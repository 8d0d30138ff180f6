"""``sitegen serve`` rebuilds on save, keeps the last good pages on a bad
save, and tells open pages to reload. Loopback only, bounded in time."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sitegen.serve import Server, classify
from tests.helpers import REPO

ARTICLE = "content/news/2020-04-27-pujiang-visit.zh.md"
PAGE = "news/2020/04/pujiang-visit/"


def test_changes_are_sorted_into_kinds() -> None:
    assert classify(["site.yaml"]) == {"config"}
    assert classify(["content/news/2020-04-27-a.zh.md", "content/news/x/photo.jpg"]) == {"article"}
    assert classify(["content/teams/choir.yaml", "content/towns.yaml"]) == {"record"}
    assert classify(["themes/default/templates/base.html"]) == {"template"}
    assert classify(["themes/default/i18n/en.yaml"]) == {"strings"}
    assert classify(["themes/default/static/assets/site.css"]) == {"static"}
    assert classify(["content/news/.a.zh.md.swp", "content/news/a.zh.md~", "build/x.html"]) == set()
    assert classify(["README.md", "tests/x.py"]) == set()


def example_site(tmp_path: Path) -> Path:
    """A copy of the example site's settings and content."""
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(REPO / "site.yaml", site / "site.yaml")
    shutil.copytree(REPO / "content", site / "content")
    return site


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    site = example_site(tmp_path)
    running = Server(site, port=0)
    running.start()
    try:
        yield running
    finally:
        running.stop()
    assert not running.folder.exists(), "the temporary site was left behind"
    assert not (site / "build").exists(), "serve must never write build/"


def test_a_killed_server_s_temporary_site_is_removed_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    killed = scratch / f"sitegen-serve-{_ended_pid()}-x1y2"
    (killed / "news").mkdir(parents=True)
    (killed / "news/index.html").write_text("<p>old</p>", encoding="utf-8")
    running_elsewhere = scratch / f"sitegen-serve-{os.getppid()}-a1b2"  # a live process's
    running_elsewhere.mkdir()

    server = Server(example_site(tmp_path), port=0)
    server.start()
    server.stop()
    assert not killed.exists()
    assert running_elsewhere.exists()
    assert server.folder.parent == scratch and not server.folder.exists()


def _ended_pid() -> int:
    """The id of a process that has ended."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_an_edit_shows_a_bad_save_keeps_the_last_good_page(server: Server) -> None:
    status, body = fetch(server.url + PAGE)
    assert status == 200 and "/__sitegen/reload.js" in body
    assert server.url.startswith("http://127.0.0.1:")

    article = server.site_dir / ARTICLE
    text = article.read_text(encoding="utf-8")
    start = server.live.version
    article.write_text(text.replace("title: 蒲江", "title: 修改后的蒲江", 1), encoding="utf-8")
    # The page is written before open pages are told to reload: wait for both.
    assert wait_for(lambda: server.live.version > start)
    assert wait_for(lambda: "<h1>修改后的蒲江" in fetch(server.url + PAGE)[1])
    version = server.live.version

    article.write_text(text.replace("date: 2020-04-27", "date: [2020-04-27", 1), encoding="utf-8")
    assert wait_for(lambda: bool(server.live.problems))
    assert f"{ARTICLE}:3:7: error: invalid YAML" in server.live.problems[0]
    assert server.live.version == version
    assert "<h1>修改后的蒲江" in fetch(server.url + PAGE)[1]

    article.write_text(text, encoding="utf-8")
    assert wait_for(lambda: server.live.version > version and not server.live.problems)
    assert "<h1>蒲江社教同仁" in fetch(server.url + PAGE)[1]


def test_missing_page_is_the_404_page(server: Server) -> None:
    status, body = fetch(server.url + "no/such/page/")
    assert status == 404 and "找不到这个页面" in body


def test_the_translation_report_page(server: Server) -> None:
    status, body = fetch(server.url + "__sitegen/translations")
    assert status == 200
    assert "content/news/2020-04-27-pujiang-visit.en.md" in body
    assert "<td>translated</td>" in body and "<td>missing</td>" not in body


def test_the_translation_report_page_speaks_the_editors_language(tmp_path: Path) -> None:
    running = Server(example_site(tmp_path), port=0, lang="zh")
    running.start()
    try:
        status, body = fetch(running.url + "__sitegen/translations")
    finally:
        running.stop()
    assert status == 200
    assert "<h1>译文</h1>" in body and "<th>状态</th>" in body
    assert "<td>已译</td>" in body and "<td>文章</td>" in body
    assert "<code>sitegen check --translations</code>" in body

"""A plain build (and the live preview) tells an editor of every link in an
article that leads nowhere, at the link's own line and column, with the
real address of the same kind it was most likely meant to be."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sitegen.cli import main
from sitegen.serve import Server
from tests.helpers import SITES
from tests.test_serve import example_site, fetch, wait_for

ARTICLE = "content/news/2021-05-15-river-concert.zh.md"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    shutil.copytree(SITES / "records" / "input", folder)
    return folder


def add_to(site: Path, text: str) -> int:
    """Add ``text`` at the end of the article; the file line it starts on."""
    article = site / ARTICLE
    before = article.read_text(encoding="utf-8").rstrip("\n").split("\n")
    article.write_text("\n".join([*before, "", text]) + "\n", encoding="utf-8")
    return len(before) + 2


def test_a_plain_build_warns_of_a_broken_team_link_and_a_strict_one_fails(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = add_to(site, "本次活动由\n新繁书画团队\n和[书画团队](/teams/baiyun-calligraphi/)承办。")
    build = ["build", os.fspath(site), "--out", os.fspath(tmp_path / "out"), "--no-search"]

    assert main(build) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[:2] == [
        f"{ARTICLE}:{line + 2}:9: warning: link '/teams/baiyun-calligraphi/' leads nowhere: "
        "no such page on this site [broken-link]",
        "    hint: did you mean '/teams/baiyun-calligraphy/'?",
    ]

    assert main([*build, "--strict", "--lang", "zh"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[:2] == [
        f"{ARTICLE}:{line + 2}:9: 警告: 链接“/teams/baiyun-calligraphi/”无效：本站没有这个页面 "
        "[broken-link]",
        "    提示: 是不是“/teams/baiyun-calligraphy/”？",
    ]


def test_links_in_a_list_item_and_to_anchors_are_placed_where_written(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = add_to(
        site,
        "- 第一项\n- 第二项，见 [学习团队](/teams/)\n  和 [没有的锚点](#no-such-heading)\n"
        "- [全文](/news/2021/03/no-such/)",
    )
    out = ["build", os.fspath(site), "--out", os.fspath(tmp_path / "out"), "--no-search"]

    assert main(out) == 0
    err = capsys.readouterr().err
    assert (
        f"{ARTICLE}:{line + 2}:13: warning: link '#no-such-heading' leads nowhere: "
        "no such anchor #no-such-heading on this site [broken-link]"
    ) in err
    assert f"{ARTICLE}:{line + 3}:8: warning: link '/news/2021/03/no-such/'" in err
    assert "'/teams/'" not in err  # a page the site has


def test_the_live_preview_shows_a_broken_link(tmp_path: Path) -> None:
    site = example_site(tmp_path)
    server = Server(site, port=0)
    server.start()
    try:
        article = site / "content/news/2020-04-27-pujiang-visit.zh.md"
        text = article.read_text(encoding="utf-8")
        article.write_text(text + "\n见[团队](/teams/no-such-team/)。\n", encoding="utf-8")
        assert wait_for(lambda: bool(server.live.problems))
        assert "warning: link '/teams/no-such-team/' leads nowhere" in server.live.problems[0]
        assert fetch(server.url + "news/2020/04/pujiang-visit/")[0] == 200  # and the page is shown
        article.write_text(text, encoding="utf-8")
        assert wait_for(lambda: not server.live.problems)
    finally:
        server.stop()

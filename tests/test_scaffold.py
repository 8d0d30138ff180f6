"""``sitegen new`` writes a starting file that builds, and never overwrites."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from sitegen.build import BuildOptions, build
from sitegen.cli import main
from sitegen.scaffold import ScaffoldError, new_file
from tests.helpers import REPO

TODAY = dt.date(2021, 6, 1)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    shutil.copy(REPO / "site.yaml", tmp_path / "site.yaml")
    return tmp_path


def test_new_article_is_dated_today_and_a_draft(site: Path) -> None:
    path = new_file(site, "news", "visit", "zh", TODAY)
    assert path == site / "content/news/2021-06-01-visit.zh.md"
    text = path.read_text(encoding="utf-8")
    assert "date: 2021-06-01" in text and "draft: true" in text
    assert build(site, BuildOptions(out_dir=site / "a", strict=True)).ok
    assert not (site / "a/news/2021/06/visit").exists()  # a draft stays out
    assert build(site, BuildOptions(out_dir=site / "b", strict=True, drafts=True)).ok
    assert (site / "b/news/2021/06/visit/index.html").is_file()


def test_new_records_build_once_named(site: Path) -> None:
    for kind, name in (("team", "xinfan-calligraphy"), ("studio", "gao-qiu")):
        path = new_file(site, kind, name, "zh", TODAY)
        assert path.name == f"{name}.yaml"
        assert "2021" in path.read_text(encoding="utf-8")
    result = build(site, BuildOptions(out_dir=site / "out", strict=True))
    assert result.ok, [d.format() for d in result.diagnostics]
    assert (site / "out/teams/xinfan-calligraphy/index.html").is_file()
    assert (site / "out/en/studios/gao-qiu/index.html").is_file()


def test_existing_file_is_never_overwritten(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = new_file(site, "team", "choir", "zh", TODAY)
    path.write_text("name: 我的团队\n", encoding="utf-8")
    assert main(["new", "team", "choir", "--site", os.fspath(site)]) == 1
    assert "已经存在" in capsys.readouterr().err  # said in the site's first language
    assert path.read_text(encoding="utf-8") == "name: 我的团队\n"


def test_ids_must_be_ascii(site: Path) -> None:
    with pytest.raises(ScaffoldError, match=r"e\.g\. xin-fan"):
        new_file(site, "team", "新繁", "zh", TODAY)

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
    assert main(["new", "team", "choir", "--site", os.fspath(site), "--lang", "zh"]) == 1
    assert "已经存在" in capsys.readouterr().err  # said in the editor's language
    assert path.read_text(encoding="utf-8") == "name: 我的团队\n"


def test_ids_must_be_ascii(site: Path) -> None:
    with pytest.raises(ScaffoldError, match=r"e\.g\. xin-fan"):
        new_file(site, "team", "新繁", "zh", TODAY)


def test_a_new_translation_asks_only_for_what_is_language(site: Path) -> None:
    original = new_file(site, "news", "visit", "zh", TODAY)
    text = original.read_text(encoding="utf-8").replace("draft: true", "draft: false")
    text = text.replace("title: 标题", "title: 蒲江同仁来访").replace("tags: []", "tags: [交流]")
    original.write_text(text.replace("正文从这里开始。", "正文。"), encoding="utf-8")
    path = new_file(site, "news", "2021-06-01-visit", "en", TODAY)
    assert path == site / "content/news/2021-06-01-visit.en.md"
    written = path.read_text(encoding="utf-8")
    assert "A translation of content/news/2021-06-01-visit.zh.md" in written
    assert "\ndate:" not in written and "\ntags:" not in written
    path.write_text(
        written.replace("draft: true", "draft: false")
        .replace("title: Headline", "title: A visit from Pujiang")
        .replace("The report starts here.", "Text."),
        encoding="utf-8",
    )
    result = build(site, BuildOptions(out_dir=site / "out", today=TODAY))
    assert result.ok, [d.format() for d in result.diagnostics]
    page = (site / "out/en/news/2021/06/visit/index.html").read_text(encoding="utf-8")
    assert '<time datetime="2021-06-01"' in page and "/en/tags/" in page


def test_an_article_named_with_a_date_is_dated_so(site: Path) -> None:
    path = new_file(site, "news", "2020-05-08-showcase", "zh", TODAY)
    assert path.name == "2020-05-08-showcase.zh.md"
    assert "\ndate: 2020-05-08\n" in path.read_text(encoding="utf-8")

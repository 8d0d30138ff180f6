"""``sitegen init`` starts a site that builds at once, and its first article too."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

import sitegen.scaffold
from sitegen.build import BuildOptions, build
from sitegen.cli import main
from tests.helpers import REPO


def test_a_new_site_and_its_first_article_build_with_no_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init", "my-site", "--lang", "zh"]) == 0
    said = capsys.readouterr().out
    assert "已在 my-site 建好新网站" in said
    site = tmp_path / "my-site"
    empty = build(site, BuildOptions(out_dir=tmp_path / "empty", strict=True, search=False))
    assert empty.ok and not empty.diagnostics
    assert (tmp_path / "empty/index.html").is_file() and (
        tmp_path / "empty/en/index.html"
    ).is_file()

    monkeypatch.chdir(site)
    assert main(["new", "news", "first"]) == 0
    (article,) = (site / "content/news").glob("*.zh.md")
    text = article.read_text(encoding="utf-8").replace("draft: true", "draft: false")
    text = text.replace("title: 标题", "title: 学院新网站上线").replace(
        "正文从这里开始。", "欢迎。"
    )
    article.write_text(text, encoding="utf-8")
    assert main(["build", "--strict", "--no-search"]) == 0
    today = dt.date.today()
    assert (site / f"build/news/{today:%Y/%m}/first/index.html").is_file()
    ignored = (site / ".gitignore").read_text(encoding="utf-8")
    assert "/build/" in ignored and ".sitegen-cache/" in ignored


def test_a_new_site_comes_with_the_recipe_asked_for_and_a_pinned_sitegen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = "sitegen-college @ git+https://git.example.org/sitegen.git@0123456789abcdef"
    monkeypatch.setattr(sitegen.scaffold, "pinned_sitegen", lambda: spec)
    for ci, path, recipe in (
        ("github", ".github/workflows/publish.yml", "github-actions.yml"),
        ("gitlab", ".gitlab-ci.yml", "gitlab-ci.yml"),
        ("github-oss", ".github/workflows/publish.yml", "github-actions-oss.yml"),
        ("github-ssh", ".github/workflows/publish.yml", "github-actions-ssh.yml"),
        ("gitlab-deploy", ".gitlab-ci.yml", "gitlab-ci-deploy.yml"),
    ):
        site = tmp_path / ci
        assert main(["init", os.fspath(site), "--ci", ci, "--lang", "en"]) == 0
        assert (site / path).read_bytes() == (REPO / "docs/ci" / recipe).read_bytes()
        requirements = (site / "requirements.txt").read_text(encoding="utf-8").splitlines()
        assert spec in requirements  # what the recipe installs: `pip install -r requirements.txt`
    assert "does not say yet" not in capsys.readouterr().out


def test_init_never_writes_into_a_folder_that_holds_something(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    (site / ".git").mkdir(parents=True)  # a repository made for the site is fine
    assert main(["init", os.fspath(site), "--lang", "en"]) == 0
    capsys.readouterr()
    before = (site / "site.yaml").read_bytes()
    assert main(["init", os.fspath(site), "--lang", "zh"]) == 1
    assert "不是空文件夹" in capsys.readouterr().err
    assert (site / "site.yaml").read_bytes() == before

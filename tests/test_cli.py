"""The ``sitegen`` command as an editor and CI use it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen import __version__
from sitegen.cli import main
from tests.helpers import REPO, SITES, tree

ARTICLE = "content/news/2020-04-27-pujiang-visit.zh.md"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the example site that a test may break."""
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(REPO / "site.yaml", site / "site.yaml")
    shutil.copytree(REPO / "content", site / "content")
    return site


def test_example_site_builds_both_languages_of_every_report(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", os.fspath(example), "--strict"]) == 0
    out = example / "build"
    slugs = ["pujiang-visit", "studio-meeting", "excellent-teams-2020", "april-meeting"]
    for slug in slugs:
        zh = (out / f"news/2020/04/{slug}/index.html").read_text(encoding="utf-8")
        en = (out / f"en/news/2020/04/{slug}/index.html").read_text(encoding="utf-8")
        assert f'href="/en/news/2020/04/{slug}/" hreflang="en"' in zh
        assert f'href="/news/2020/04/{slug}/" hreflang="zh-Hans"' in en
        assert '<html lang="zh-Hans" ' in zh and '<html lang="en" ' in en
    summary = capsys.readouterr().out
    assert summary.startswith("built ") and " pages " in summary


def test_broken_article_fails_and_keeps_the_previous_site(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", os.fspath(example)]) == 0
    before = tree(example / "build")
    article = example / ARTICLE
    lines = article.read_text(encoding="utf-8").splitlines()
    lines[2] = "date: [2020-04-27"  # line 3: an unclosed bracket
    article.write_text("\n".join(lines) + "\n", encoding="utf-8")
    capsys.readouterr()

    assert main(["build", os.fspath(example)]) == 1

    err = capsys.readouterr().err
    assert f"{ARTICLE}:3:7: error: invalid YAML: this bracket is never closed" in err
    assert tree(example / "build") == before
    leftovers = [p.name for p in example.iterdir() if p.name.startswith(".build")]
    assert leftovers == []  # no temporary folder of the failed build


def test_same_input_gives_byte_identical_output(tmp_path: Path) -> None:
    site = SITES / "basic" / "input"
    assert main(["build", os.fspath(site), "--out", os.fspath(tmp_path / "a"), "-q"]) == 0
    assert main(["build", os.fspath(site), "--out", os.fspath(tmp_path / "b"), "-q"]) == 0
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_base_url_with_sub_path_prefixes_every_link(example: Path) -> None:
    url = "https://example.org/xindu/"
    assert main(["build", os.fspath(example), "--base-url", url, "-q"]) == 0
    page = (example / "build/news/2020/04/pujiang-visit/index.html").read_text(encoding="utf-8")
    hrefs = [part.split('"', 1)[0] for part in page.split('href="')[1:]]
    assert hrefs, "the page has links"
    for href in hrefs:
        assert href.startswith(("/xindu/", "#", url)), href
    assert f'<link rel="canonical" href="{url}news/2020/04/pujiang-visit/">' in page


def test_drafts_are_left_out_unless_asked_for(tmp_path: Path) -> None:
    site = SITES / "basic" / "input"
    draft = "news/2022/02/draft-notes/index.html"
    assert main(["build", os.fspath(site), "--out", os.fspath(tmp_path / "a"), "-q"]) == 0
    assert not (tmp_path / "a" / draft).exists()
    assert "草稿" not in (tmp_path / "a/news/index.html").read_text(encoding="utf-8")
    args = ["build", os.fspath(site), "--out", os.fspath(tmp_path / "b"), "-q", "--drafts"]
    assert main(args) == 0
    assert (tmp_path / "b" / draft).is_file()


def test_warnings_fail_only_under_strict(example: Path) -> None:
    article = example / ARTICLE
    article.write_text(
        article.read_text(encoding="utf-8").replace("title:", "subtitle: x\ntitle:", 1),
        encoding="utf-8",
    )
    assert main(["build", os.fspath(example), "-q"]) == 0
    assert main(["build", os.fspath(example), "-q", "--strict"]) == 1


@pytest.mark.parametrize(
    "args",
    [["frobnicate"], ["build", "--no-such-flag"], ["build", "/no/such/folder"], []],
)
def test_usage_errors_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_output_folder_may_not_be_the_site_itself(example: Path) -> None:
    assert main(["build", os.fspath(example), "--out", os.fspath(example)]) == 2
    assert main(["build", os.fspath(example), "--out", os.fspath(example / "content")]) == 2
    assert (example / "content/news").is_dir()


def test_version_and_console_script() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sitegen", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"sitegen {__version__}"


def test_an_article_page_weighs_under_60_kb_and_verbose_says_so(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sitegen.build import BuildOptions, build

    result = build(example, BuildOptions(write=False, weigh=True))
    url, html, css, js = result.weights["article.html"]
    assert url.startswith("/") and html > 1000 and css > 1000 and js > 0
    assert html + css + js < 60 * 1024
    assert main(["build", os.fspath(example), "--verbose", "--no-search"]) == 0
    lines = capsys.readouterr().out.splitlines()
    article = next(line for line in lines if line.strip().startswith("article.html"))
    assert " KB = HTML " in article and "(heaviest: " in article


def test_help_is_in_the_editors_language(tmp_path: Path) -> None:
    """Under a Chinese locale, or with --lang zh, every command explains
    itself in Chinese; `new` takes the article's language as --in."""
    chinese = {**os.environ, "LANG": "zh_CN.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
    english = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}

    def help_of(*args: str, env: dict[str, str]) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "sitegen", *args, "--help"],
            env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        return done.stdout

    build_help = help_of("build", env=chinese)
    assert build_help.startswith("用法：sitegen build")
    assert "有警告也算生成失败" in build_help and "显示本帮助并退出" in build_help
    for command in ("serve", "check", "init", "new"):
        assert "选项:" in help_of(command, env=chinese), command
    assert "--in zh|en" in help_of("new", env=chinese)
    assert help_of("check", "--lang", "zh", env=english).startswith("用法：sitegen check")
    assert help_of(env=chinese).startswith("用法：sitegen [-h]")
    assert "fail on warnings too" in help_of("build", env=english)

"""Slips editors make that are not mistakes worth failing a build for:
a record named by its name rather than its id, a translation of a draft,
a new article started twice. (The slips a build reports are in
tests/invalid/: wide-punctuation, unreadable-record, month-dates,
placeholders-and-alt.)"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from sitegen.build import BuildOptions, build
from sitegen.cli import main
from sitegen.scaffold import ScaffoldError, new_file
from tests.helpers import INVALID, SITES


def test_a_record_named_by_its_name_or_its_leader_is_found(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(INVALID / "article-unknown-record", site)
    article = site / "content/news/2020-04-22-selection.zh.md"
    text = article.read_text(encoding="utf-8")
    text = text.replace("xinfan-caligraphy", "新繁书画团队").replace("gaoqiu", "高秋")
    article.write_text(text, encoding="utf-8")
    (site / "content/studios/gao-qiu.yaml").write_text(
        "name: {zh: 高秋名师工作室, en: Gao Qiu Studio}\nleader: {zh: 高秋, en: Gao Qiu}\n",
        encoding="utf-8",
    )
    (site / "content/teams/xinfan-calligraphy.yaml").write_text(
        "name: {zh: 新繁书画团队, en: Xinfan Calligraphy Team}\n", encoding="utf-8"
    )

    result = build(site, BuildOptions(out_dir=tmp_path / "out", search=False, keep=True))

    assert [d for d in result.diagnostics if d.code.startswith("unknown")] == []
    assert result.site is not None
    assert result.site.mentions["teams/xinfan-calligraphy"] == ("2020/04/selection",)
    assert result.site.mentions["studios/gao-qiu"] == ("2020/04/selection",)
    studio = (tmp_path / "out/studios/gao-qiu/index.html").read_text(encoding="utf-8")
    assert "/news/2020/04/selection/" in studio


def test_a_draft_original_keeps_its_translation_off_the_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITES / "basic" / "input", site)
    original = site / "content/news/2021-03-05-spring-term.zh.md"
    original.write_text(
        original.read_text(encoding="utf-8").replace("---\n", "---\ndraft: true\n", 1),
        encoding="utf-8",
    )
    out = tmp_path / "out"

    assert build(site, BuildOptions(out_dir=out, search=False)).ok
    assert not (out / "news/2021/03/spring-term").exists()
    assert not (out / "en/news/2021/03/spring-term").exists()
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "spring-term" not in home and "Spring" not in home
    drafts = tmp_path / "drafts"
    assert build(site, BuildOptions(out_dir=drafts, search=False, drafts=True)).ok
    assert (drafts / "en/news/2021/03/spring-term/index.html").is_file()


@pytest.mark.parametrize(
    ("existing", "lang"),
    [
        ("2021-05-10-reading-club/index.zh.md", "zh"),
        ("2021-03-05-spring-term.zh.md", "zh"),
        ("2021-03-05-spring-term.en.md", "en"),
    ],
)
def test_new_refuses_an_article_that_exists_in_either_form(
    existing: str, lang: str, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITES / "basic" / "input", site)
    stem = existing.split("/")[0].removesuffix(f".{lang}.md")
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    with pytest.raises(ScaffoldError, match="already exists"):
        new_file(site, "news", stem, lang, dt.date(2026, 12, 5))
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before


def test_new_puts_a_translation_into_the_article_s_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITES / "basic" / "input", site)
    folder = site / "content/news/2021-05-10-reading-club"
    (folder / "index.en.md").unlink()

    assert main(["new", "news", "2021-05-10-reading-club", "--site", str(site), "--in", "en"]) == 0
    assert (folder / "index.en.md").is_file()
    assert not (site / "content/news/2021-05-10-reading-club.en.md").exists()
    capsys.readouterr()
    assert main(["new", "news", "2021-05-10-reading-club", "--site", str(site), "--in", "zh"]) == 1
    assert capsys.readouterr().err.strip() == (
        f"sitegen: error: {folder / 'index.zh.md'} already exists; it was left as it is"
    )
    assert main(["new", "news", "2021-05-10-reading-club", "--site", str(site), "--lang", "zh"])
    assert capsys.readouterr().err.strip() == (
        f"sitegen: error: {folder / 'index.zh.md'} 已经存在，没有改动它"
    )


def test_a_hugo_shortcode_is_said_to_show_as_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITES / "basic" / "input", site)
    article = site / "content/news/2021-03-05-spring-term.zh.md"
    body = (
        '\n{{% alert title="重要" %}}\n请带好证件。\n{{% /alert %}}\n\n```\n{{< figure >}}\n```\n'
    )
    lines = article.read_text(encoding="utf-8").rstrip("\n").split("\n")
    article.write_text("\n".join(lines) + "\n" + body, encoding="utf-8")

    assert main(["build", str(site), "--out", str(tmp_path / "out"), "--no-search"]) == 0
    err = capsys.readouterr().err.splitlines()
    start = len(lines) + 2
    shortcodes = [line for line in err if "[shortcode]" in line]
    assert shortcodes == [
        f"content/news/2021-03-05-spring-term.zh.md:{start}:1: warning: "
        """'{{% alert title="重要" %}}' is a Hugo shortcode, which sitegen does not run: """
        "it is shown as text [shortcode]",
        f"content/news/2021-03-05-spring-term.zh.md:{start + 2}:1: warning: "
        "'{{% /alert %}}' is a Hugo shortcode, which sitegen does not run: "
        "it is shown as text [shortcode]",
    ]  # not the one in the code block

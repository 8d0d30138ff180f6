"""``sitegen check``: every problem at once, links and anchors, three
formats, and the translation report."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from sitegen.check import check_site
from sitegen.cli import main
from tests.helpers import REPO, SITES

SPRING_ZH = "content/news/2021-03-05-spring-term.zh.md"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    shutil.copytree(SITES / "basic" / "input", folder)
    return folder


def test_example_site_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", os.fspath(REPO)]) == 0
    assert capsys.readouterr().out.strip() == "checked: 0 errors, 0 warnings"


def test_every_planted_problem_is_reported_with_file_and_line(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = site / SPRING_ZH
    lines = article.read_text(encoding="utf-8").splitlines()
    lines += [
        "",
        "见[读书会](/news/2021/05/reading-club/)与[课程](#ke-cheng-an-pai)。",
        "",
        "错误链接：[不存在](/news/2021/05/no-such/)，[锚点](/news/2021/05/reading-club/#nope)，"
        "[相对](../../06/summer-fair/)，[站外](https://example.com/)。",
    ]
    article.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (site / "content/news/2022-03-03-tea-art.en.md").write_text(
        "---\ntitle: Tea\ndate: 2022/03/03\n---\nText.\n", encoding="utf-8"
    )

    assert main(["check", os.fspath(site)]) == 1

    out = capsys.readouterr().out.splitlines()
    line = len(lines)
    assert out == [
        "content/news/2021-03-05-spring-term.zh.md:"
        f"{line}:12: error: link '/news/2021/05/no-such/' leads nowhere: no such page on this site"
        " [broken-link]",
        "    hint: did you mean '/news/2021/05/reading-club/'?",
        "content/news/2021-03-05-spring-term.zh.md:"
        f"{line}:41: error: link '/news/2021/05/reading-club/#nope' leads nowhere: "
        "no such anchor #nope on this site [broken-link]",
        "    hint: an anchor is made from a heading's words: ## 活动安排 has #huo-dong-an-pai",
        "content/news/2022-03-03-tea-art.en.md:3:1: error: 'date': '2022/03/03' is not in the"
        " form YYYY-MM-DD; write 2022-03-03 [bad-date]",
        "    hint: write dates as YYYY-MM-DD, e.g. date: 2020-04-27",
        "checked: 3 errors, 0 warnings",
    ]


def test_json_and_github_formats(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "content/news/2022-03-03-tea-art.en.md").write_text(
        "---\ntitle: Tea\ndate: 2022/03/03\n---\nText.\n", encoding="utf-8"
    )
    assert main(["check", os.fspath(site), "--format", "json"]) == 1
    rows = json.loads(capsys.readouterr().out)
    assert rows == [
        {
            "path": "content/news/2022-03-03-tea-art.en.md",
            "line": 3,
            "column": 1,
            "severity": "error",
            "code": "bad-date",
            "message": "'date': '2022/03/03' is not in the form YYYY-MM-DD; write 2022-03-03",
            "hint": "write dates as YYYY-MM-DD, e.g. date: 2020-04-27",
        }
    ]
    assert main(["check", os.fspath(site), "--format", "github"]) == 1
    assert capsys.readouterr().out.strip() == (
        "::error file=content/news/2022-03-03-tea-art.en.md,line=3,col=1,title=bad-date::"
        "'date': '2022/03/03' is not in the form YYYY-MM-DD; write 2022-03-03%0A"
        "write dates as YYYY-MM-DD, e.g. date: 2020-04-27"
    )


def git(folder: Path, *args: str, when: str = "2024-01-01T00:00:00") -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    done = subprocess.run(
        ["git", "-C", str(folder), *args], env=env, check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def test_translation_report_finds_missing_and_stale_translations(site: Path) -> None:
    git(site, "init", "-q")
    git(site, "add", ".")
    git(site, "commit", "-q", "-m", "first")
    article = site / SPRING_ZH
    article.write_text(article.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    git(site, "commit", "-q", "-am", "the Chinese changes", when="2024-02-01T00:00:00")

    report = {(t.id, t.lang): t.state for t in check_site(site).translations if t.kind == "article"}

    assert report[("2021-03-05-spring-term", "en")] == "stale"
    assert report[("2021-03-05-spring-term", "zh")] == "original"
    assert report[("2022-03-03-tea-art", "en")] == "translated"
    assert report[("2021-06-01-summer-fair", "en")] == "missing"
    assert report[("2022-01-15-new-year", "zh")] == "missing"


def test_a_translation_can_name_the_revision_it_follows(site: Path) -> None:
    git(site, "init", "-q")
    git(site, "add", ".")
    git(site, "commit", "-q", "-m", "first")
    first = git(site, "rev-parse", "HEAD")
    article = site / SPRING_ZH
    article.write_text(article.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    git(site, "commit", "-q", "-am", "the Chinese changes", when="2024-02-01T00:00:00")
    english = site / "content/news/2021-03-05-spring-term.en.md"
    text = english.read_text(encoding="utf-8")
    second = git(site, "rev-parse", "HEAD")

    def state(revision: str) -> str:
        english.write_text(
            text.replace("---\ntitle:", f"---\ntranslated_from: {revision}\ntitle:", 1),
            encoding="utf-8",
        )
        [entry] = [
            t
            for t in check_site(site).translations
            if t.id == "2021-03-05-spring-term" and t.lang == "en"
        ]
        return entry.state

    assert state(first) == "stale"
    assert state(second) == "translated"


def test_records_lacking_english_are_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITES / "records" / "input", site)
    (site / "content/teams/new-choir.yaml").write_text(
        "name: {zh: 新合唱团, en: New Choir}\ndescription: {zh: 每周二排练。}\n", encoding="utf-8"
    )
    assert main(["check", os.fspath(site), "--translations"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:-1] == [
        "content/news/2021-04-20-excellent-teams.zh.md: no 'en' translation yet",
        "content/news/2021-05-15-river-concert.zh.md: no 'en' translation yet",
        "content/teams/new-choir.yaml: team 'new-choir' lacks 'en' text in: description",
    ]
    assert out[-1].startswith("translations: ")
    # the same, in the editor's language
    assert main(["check", os.fspath(site), "--translations", "--lang", "zh"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "content/news/2021-04-20-excellent-teams.zh.md: 还没有“en”译文"
    assert out[2] == "content/teams/new-choir.yaml: 团队“new-choir”缺少“en”文字：description"
    assert out[-1].startswith("译文：") and "篇缺少" in out[-1]


def test_links_to_an_articles_own_files_pass_the_check(tmp_path: Path) -> None:
    """Attachments and pictures linked by name are published under /media/:
    the check follows them there, as the build does, rather than failing
    every notice with a form to download."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "newsroom" / "input", site)
    notice = site / "content/news/2020-04-20-spring-enrolment/index.zh.md"
    assert "(报名表.docx)" in notice.read_text(encoding="utf-8")
    result = check_site(site)
    assert result.ok and not result.diagnostics, [d.format() for d in result.diagnostics]
    # a file that is not there is still said, once, at its link
    notice.write_text(
        notice.read_text(encoding="utf-8").replace("(报名表.docx)", "(报名.docx)"), "utf-8"
    )
    said = [d.code for d in check_site(site).diagnostics]
    assert said == ["missing-file"]

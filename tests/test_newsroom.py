"""A newsroom's habits, as readers meet them on the built site: a pinned
notice leads the home page and the news list until its day has passed, an
article dated later waits for its day, and an expired notice leaves the
lists but keeps its page."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest

from sitegen.build import BuildOptions, BuildResult, build
from sitegen.cli import main
from tests.helpers import REPO, tree

SITE_YAML = "title: {zh: 测试学院, en: Test College}\nbase_url: https://example.org/\n"


def article(title: str, day: str, extra: str = "", body: str = "正文。") -> str:
    return f"---\ntitle: {title}\ndate: {day}\ntags: [通知]\n{extra}---\n\n{body}\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    news = root / "content/news"
    news.mkdir(parents=True)
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    files = {
        "2020-04-20-enrolment.zh.md": article("春季招生通知", "2020-04-20", "pinned: 2020-05-10\n"),
        "2020-04-20-enrolment.en.md": article("Spring enrolment", "2020-04-20"),
        "2020-04-25-visit.zh.md": article("蒲江同仁来访", "2020-04-25"),
        "2020-04-28-meeting.zh.md": article("名师工作室推进会", "2020-04-28"),
        "2020-04-22-registration.zh.md": article(
            "评选报名通知", "2020-04-22", "expires: 2020-04-30\n"
        ),
        "2020-05-20-showcase.zh.md": article("汇报展演", "2020-05-20"),
    }
    for name, text in files.items():
        (news / name).write_text(text, encoding="utf-8")
    return root


def run(site: Path, out: Path, day: str, **options: object) -> BuildResult:
    result = build(
        site,
        BuildOptions(out_dir=out, search=False, today=dt.date.fromisoformat(day), **options),  # type: ignore[arg-type]
    )
    assert result.ok, [d.format() for d in result.diagnostics]
    return result


def titles(page: Path) -> list[str]:
    """The titles of the cards on a list page, in order, with their flags."""
    html = page.read_text(encoding="utf-8")
    cards = re.findall(r'<li class="card".*?</li>', html, re.S)
    found = []
    for card in cards:
        title = re.search(r'<a href="[^"]*"[^>]*>([^<]+)</a>', card)
        assert title is not None
        flags = re.findall(r'<span class="flag[^"]*">([^<]+)</span>', card)
        found.append(" ".join([*flags, title.group(1)]))
    return found


def test_a_pinned_notice_leads_until_its_day_and_then_drops_back(
    site: Path, tmp_path: Path
) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    run(site, before, "2020-05-10")  # its last day on top
    run(site, after, "2020-05-11")

    assert titles(before / "index.html")[:2] == ["置顶 春季招生通知", "名师工作室推进会"]
    assert titles(before / "news/index.html")[0] == "置顶 春季招生通知"
    # the translation is pinned with its original, though it does not say so
    assert titles(before / "en/index.html")[0] == "Pinned Spring enrolment"
    # elsewhere in date order, unmarked: a year's list is a record
    assert titles(before / "news/2020/index.html")[-1] == "春季招生通知"

    assert titles(after / "index.html") == ["名师工作室推进会", "蒲江同仁来访", "春季招生通知"]
    assert titles(after / "news/index.html")[2] == "春季招生通知"


def test_pinned_for_good_and_a_wrong_value_said_plainly(site: Path, tmp_path: Path) -> None:
    news = site / "content/news"
    (news / "2020-04-25-visit.zh.md").write_text(
        article("蒲江同仁来访", "2020-04-25", "pinned: true\n"), encoding="utf-8"
    )
    run(site, tmp_path / "out", "2030-01-01")
    assert titles(tmp_path / "out/index.html")[0] == "置顶 蒲江同仁来访"

    (news / "2020-04-25-visit.zh.md").write_text(
        article("蒲江同仁来访", "2020-04-25", "pinned: 置顶\n"), encoding="utf-8"
    )
    result = build(site, BuildOptions(out_dir=tmp_path / "bad", search=False))
    problem = next(d for d in result.diagnostics if d.code == "bad-date")
    assert (problem.path, problem.line) == ("content/news/2020-04-25-visit.zh.md", 5)
    assert problem.hint.startswith("write pinned: true, or the last day it stays on top")
    assert "请写 pinned: true" in problem.format("zh")


def test_an_article_dated_later_waits_for_its_day(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    args = ["build", os.fspath(site), "--out", os.fspath(out), "--no-search", "--strict"]
    assert main([*args, "--date", "2020-05-05", "--lang", "zh"]) == 0  # a note is no warning
    said = capsys.readouterr().err
    assert (
        "content/news/2020-05-20-showcase.zh.md:3:1: 说明: 日期是 2020-05-20，晚于本次生成的"
        "日期 2020-05-05：暂不发布 [scheduled]"
    ) in said
    assert not (out / "news/2020/05/showcase").exists()
    assert "汇报展演" not in (out / "index.html").read_text(encoding="utf-8")
    assert "showcase" not in (out / "sitemap.xml").read_text(encoding="utf-8")

    assert main([*args, "--date", "2020-05-20"]) == 0  # its day has come
    assert (out / "news/2020/05/showcase/index.html").is_file()

    assert main([*args, "--date", "2020-05-05", "--future"]) == 0
    page = (out / "news/2020/05/showcase/index.html").read_text(encoding="utf-8")
    assert "定时发布：本文定于2020年5月20日发布，现在提前显示。" in page
    assert titles(out / "index.html")[:2] == ["置顶 春季招生通知", "定时发布 汇报展演"]


def test_an_expired_notice_leaves_the_lists_and_keeps_its_page(site: Path, tmp_path: Path) -> None:
    valid, expired = tmp_path / "valid", tmp_path / "expired"
    run(site, valid, "2020-04-30")  # its last day
    run(site, expired, "2020-05-01")

    assert "评选报名通知" in titles(valid / "news/index.html")
    topic = next(p for p in (expired / "tags").glob("*/index.html"))
    for listing in (expired / "index.html", expired / "news/index.html", topic):
        assert "评选报名通知" not in " ".join(titles(listing)), listing
    assert "评选报名通知" not in " ".join(titles(expired / "news/2020/index.html"))
    assert "评选报名通知" not in (expired / "feed.xml").read_text(encoding="utf-8")
    assert "registration" not in (expired / "sitemap.xml").read_text(encoding="utf-8")
    page = (expired / "news/2020/04/registration/index.html").read_text(encoding="utf-8")
    assert "已过期：本文的有效期到2020年4月30日为止，内容仅供查阅。" in page
    assert '<meta name="robots" content="noindex">' in page
    assert "data-pagefind-body" not in page  # not found by the site's search either


NOTICE = """\
---
title: 招生通知
date: 2020-04-20
---

请下载[申报表](申报表.pdf)，填好后连同[报名表](form.docx#page=2)交到学院。
"""


@pytest.fixture
def notice(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    folder = root / "content/news/2020-04-20-enrolment"
    folder.mkdir(parents=True)
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (folder / "index.zh.md").write_text(NOTICE, encoding="utf-8")
    (folder / "index.en.md").write_text(
        "---\ntitle: Enrolment\ndate: 2020-04-20\n---\n\nFill in [the form](form.docx).\n",
        encoding="utf-8",
    )
    (folder / "申报表.pdf").write_bytes(b"%PDF-1.4\n" + bytes(1_300_000))
    (folder / "form.docx").write_bytes(bytes(20_000))
    return root


def test_attachments_say_what_they_are_and_how_large(notice: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run(notice, out, "2020-05-01")
    assert not result.diagnostics

    zh = (out / "news/2020/04/enrolment/index.html").read_text(encoding="utf-8")
    en = (out / "en/news/2020/04/enrolment/index.html").read_text(encoding="utf-8")
    pdf = re.search(r'<a href="(/media/[0-9a-f]{12}/%E7%94%B3%E6%8A%A5%E8%A1%A8\.pdf)">', zh)
    docx = re.search(r'<a href="(/media/[0-9a-f]{12}/form\.docx)#page=2">报名表</a>', zh)
    assert pdf and docx
    assert f'{pdf.group(0)}申报表</a><span class="file-info">（PDF · 1.2 MB）</span>' in zh
    assert '报名表</a><span class="file-info">（Word · 20 KB）</span>' in zh
    assert f'<a href="{docx.group(1)}">the form</a><span class="file-info"> (Word · 20 KB)' in en
    # the article closes with the list of them, in the order first linked
    listed = re.findall(r"<li><a href=\"[^\"]+\">([^<]+)</a>", zh[zh.index("附件</h2>") :])
    assert listed == ["申报表.pdf", "form.docx"]
    assert "Attachments</h2>" in en
    # each published once, as it is, whichever language links it
    files = sorted(p for p in (out / "media").rglob("*") if p.is_file())
    assert [p.name for p in files] == sorted(["申报表.pdf", "form.docx"])
    assert (
        out / pdf.group(1).lstrip("/").replace("%E7%94%B3%E6%8A%A5%E8%A1%A8", "申报表")
    ).is_file()
    assert not list((out / "news/2020/04/enrolment").glob("*.pdf"))


def test_a_missing_an_unlinked_and_a_dangerous_file_are_each_said(
    notice: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = notice / "content/news/2020-04-20-enrolment"
    (folder / "index.zh.md").write_text(
        NOTICE.replace("申报表.pdf", "申請表.pdf"), encoding="utf-8"
    )
    (folder / "old.xls").write_bytes(b"x")
    (folder / "page.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    out = tmp_path / "out"

    assert main(["build", os.fspath(notice), "--out", os.fspath(out), "--no-search"]) == 1

    said = capsys.readouterr().err
    where = "content/news/2020-04-20-enrolment"
    assert (
        f"{where}/index.zh.md:6:10: error: the linked file '申請表.pdf' is not in the "
        "article's folder [missing-file]\n    hint: did you mean '申报表.pdf'?"
    ) in said
    assert (
        f"{where}/old.xls: warning: nothing in the article shows or links this file, "
        "so it is not published [unused-file]"
    ) in said
    assert f"{where}/page.html: error: this kind of file (.html) is not published" in said
    assert "leads nowhere" not in said  # the missing file is said once, as an error
    assert not out.exists()


def test_bylines_are_shown_in_the_usual_order_in_each_language(site: Path, tmp_path: Path) -> None:
    news = site / "content/news"
    (news / "2020-04-25-visit.zh.md").write_text(
        article(
            "蒲江同仁来访",
            "2020-04-25",
            "reviewer: 刘老师\nauthor: {zh: 王老师, en: Wang Li}\nphotographer: 李明\n"
            "source: 学院办公室\n",
        ),
        encoding="utf-8",
    )
    (news / "2020-04-25-visit.en.md").write_text(
        article("A visit from Pujiang", "2020-04-25"), encoding="utf-8"
    )
    out = tmp_path / "out"
    run(site, out, "2020-05-01")

    def meta(page: str) -> list[str]:
        html = (out / page).read_text(encoding="utf-8")
        line = re.search(r'<p class="article-meta">(.*?)</p>', html, re.S)
        assert line is not None
        return re.findall(r"<span>([^<]+)</span>", line.group(1))

    assert meta("news/2020/04/visit/index.html") == [
        "供稿：学院办公室",
        "作者：王老师",
        "摄影：李明",
        "审核：刘老师",
        "阅读约 1 分钟",
    ]
    # the translation names nobody: its original's people, in English where given
    assert meta("en/news/2020/04/visit/index.html")[:3] == [
        "Text: Wang Li",
        "Photos: 李明",
        "Reviewed by: 刘老师",
    ]


def test_a_corrected_article_says_when_in_page_feed_and_sitemap(site: Path, tmp_path: Path) -> None:
    news = site / "content/news"
    (news / "2020-04-25-visit.zh.md").write_text(
        article("蒲江同仁来访", "2020-04-25", "updated: 2020-05-03\n"), encoding="utf-8"
    )
    (news / "2020-04-28-meeting.zh.md").write_text(
        article("名师工作室推进会", "2020-04-28", "updated: 2020-04-01\n"), encoding="utf-8"
    )
    out = tmp_path / "out"
    result = run(site, out, "2020-05-05")

    page = (out / "news/2020/04/visit/index.html").read_text(encoding="utf-8")
    assert "<span>更新于2020年5月3日</span>" in page
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    entry = next(e for e in feed.split("<entry>") if "<title>蒲江同仁来访</title>" in e)
    assert "<published>2020-04-25T00:00:00+08:00</published>" in entry
    assert "<updated>2020-05-03T00:00:00+08:00</updated>" in entry
    # the feed itself was last updated then
    assert feed.index("<updated>2020-05-03T00:00:00+08:00</updated>") < feed.index("<entry>")
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    visit = sitemap[sitemap.index("news/2020/04/visit/</loc>") :]
    assert visit.index("<lastmod>2020-05-03</lastmod>") < visit.index("</url>")
    # a correction dated before the article is a slip, said and not shown
    slip = next(d for d in result.diagnostics if d.code == "updated-before-date")
    assert slip.path == "content/news/2020-04-28-meeting.zh.md" and slip.line == 5
    assert "更新于" not in (out / "news/2020/04/meeting/index.html").read_text(encoding="utf-8")


def test_a_translation_that_says_only_what_is_language_builds_the_same(
    tmp_path: Path,
) -> None:
    """The example's English files name no date, topics or records: they
    take their originals'. Copied into them, the site comes out the same."""
    repeated = tmp_path / "repeated"
    shutil.copytree(REPO, repeated, ignore=shutil.ignore_patterns("build", ".*", "node_modules"))
    for english in sorted((repeated / "content/news").rglob("*.en.md")):
        chinese = english.with_name(english.name.replace(".en.md", ".zh.md"))
        assert "\ndate:" not in english.read_text(encoding="utf-8")
        taken = [
            line
            for line in chinese.read_text(encoding="utf-8").split("\n---\n", 1)[0].split("\n")
            if re.match(r"(date|teams|studios|town|kind):", line)
        ]
        head, body = english.read_text(encoding="utf-8").split("\n---\n", 1)
        english.write_text("\n".join([head, *taken]) + "\n---\n" + body, encoding="utf-8")
    # the topics in English, by their English names: the same ids
    pujiang = repeated / "content/news/2020-04-27-pujiang-visit.en.md"
    text = pujiang.read_text(encoding="utf-8")
    pujiang.write_text(
        text.replace("\n---\n", "\ntags: [Team development, Exchange visits]\n---\n", 1),
        encoding="utf-8",
    )
    trees = []
    for site in (REPO, repeated):
        out = tmp_path / f"out-{len(trees)}"
        result = run(site, out, "2026-12-01", strict=True)
        assert not result.diagnostics
        trees.append(tree(out))
    assert trees[0] == trees[1]


def test_a_translation_that_says_otherwise_is_warned_of_with_both_lines(
    site: Path, tmp_path: Path
) -> None:
    news = site / "content/news"
    (news / "2020-04-25-visit.zh.md").write_text(
        article("蒲江同仁来访", "2020-04-25", "kind: visit\n"), encoding="utf-8"
    )
    (news / "2020-04-25-visit.en.md").write_text(
        "---\ntitle: A visit\nkind: meeting\ntags: [Other]\n---\n\nText.\n", encoding="utf-8"
    )
    (news / "2020-06-01-english-only.en.md").write_text(
        "---\ntitle: Only in English\n---\n\nText.\n", encoding="utf-8"
    )
    result = build(site, BuildOptions(out_dir=tmp_path / "out", search=False))
    said = [d.format() for d in result.diagnostics]
    assert (
        "content/news/2020-04-25-visit.en.md:3:1: warning: 'kind' differs from "
        "content/news/2020-04-25-visit.zh.md:5, its original's [translation-differs]"
    ) in "\n".join(said)
    assert any(
        s.startswith("content/news/2020-04-25-visit.en.md:4:1: warning: 'tags' differs")
        for s in said
    )
    assert (
        "content/news/2020-06-01-english-only.en.md:1:1: error: front matter has no 'date' "
        "[missing-field]"
    ) in "\n".join(said)

"""A newsroom's habits, as readers meet them on the built site: a pinned
notice leads the home page and the news list until its day has passed, an
article dated later waits for its day, and an expired notice leaves the
lists but keeps its page."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
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
            if re.match(r"(date|teams|studios|town|kind|series):", line)
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


SERIES_YAML = """\
teams-2020:
  zh: 2020年优秀团队评选
  en: Excellent teams 2020
  summary: {zh: 评选的启动、初评与表彰。, en: From the launch of the selection to the awards.}
empty-series: {zh: 尚无报道的专题, en: A series with no reports yet}
"""


@pytest.fixture
def campaign(site: Path) -> Path:
    """Three reports of one series, written out of order, one naming the
    series by its Chinese name; English translations of two, saying no
    series: they take their originals'."""
    news = site / "content/news"
    (site / "content/series.yaml").write_text(SERIES_YAML, encoding="utf-8")
    reports = {
        "2020-04-22-awards": ("表彰大会召开", "series: teams-2020\n"),
        "2020-03-30-launch": ("评选活动启动", "series: 2020年优秀团队评选\n"),
        "2020-04-10-review": ("初评工作完成", "series: teams-2020\n"),
    }
    for stem, (title, extra) in reports.items():
        (news / f"{stem}.zh.md").write_text(article(title, stem[:10], extra), encoding="utf-8")
    for stem, title in (("2020-03-30-launch", "Launch"), ("2020-04-22-awards", "Awards")):
        (news / f"{stem}.en.md").write_text(f"---\ntitle: {title}\n---\n\nText.\n", "utf-8")
    return site


def series_box(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    found = re.search(r'<nav class="series-box".*?</nav>', html, re.S)
    assert found is not None, page
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(0))).strip()


def test_a_series_lists_its_reports_in_order_and_each_report_says_its_place(
    campaign: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = run(campaign, out, "2020-05-01")
    assert not [d for d in result.diagnostics if d.code not in ("unknown-tag", "scheduled")]

    page = (out / "series/teams-2020/index.html").read_text(encoding="utf-8")
    assert "<h1>专题：2020年优秀团队评选</h1>" in page
    assert '<p class="intro">评选的启动、初评与表彰。</p>' in page
    assert '<ol class="cards cards-numbered" start="1">' in page
    assert titles(out / "series/teams-2020/index.html") == [
        "评选活动启动",
        "初评工作完成",
        "表彰大会召开",
    ]

    assert series_box(out / "news/2020/04/review/index.html") == (
        "本专题： 2020年优秀团队评选 第 2 篇，共 3 篇 上一篇： 评选活动启动 下一篇： 表彰大会召开"
    )
    assert series_box(out / "news/2020/03/launch/index.html") == (
        "本专题： 2020年优秀团队评选 第 1 篇，共 3 篇 下一篇： 初评工作完成"
    )
    # in English, the English reports only, though the translations name no series
    assert titles(out / "en/series/teams-2020/index.html") == ["Launch", "Awards"]
    assert series_box(out / "en/news/2020/04/awards/index.html") == (
        "In the series: Excellent teams 2020 Report 2 of 2 Before: Launch"
    )
    # every series on a page of its own and on the topics page, with its count
    index = (out / "series/index.html").read_text(encoding="utf-8")
    assert re.findall(r'<h2 class="card-title"><a href="([^"]+)">([^<]+)</a>', index) == [
        ("/series/teams-2020/", "2020年优秀团队评选"),
        ("/series/empty-series/", "尚无报道的专题"),
    ]
    assert "共 3 篇 · <span>2020年3月30日至2020年4月22日</span>" in index
    topics = (out / "en/tags/index.html").read_text(encoding="utf-8")
    assert (
        'href="/en/series/teams-2020/">Excellent teams 2020 <span class="tag-count">2 articles'
        in topics
    )
    # reports of no series have no box
    assert "series-box" not in (out / "news/2020/04/visit/index.html").read_text(encoding="utf-8")


def test_an_unknown_series_and_a_translation_in_another_are_said(
    campaign: Path, tmp_path: Path
) -> None:
    news = campaign / "content/news"
    (news / "2020-04-10-review.zh.md").write_text(
        article("初评工作完成", "2020-04-10", "series: teams-202\n"), encoding="utf-8"
    )
    (news / "2020-04-22-awards.en.md").write_text(
        "---\ntitle: Awards\nseries: empty-series\n---\n\nText.\n", encoding="utf-8"
    )
    result = build(campaign, BuildOptions(out_dir=tmp_path / "out", search=False))
    said = "\n".join(d.format() for d in result.diagnostics)
    assert (
        "content/news/2020-04-10-review.zh.md:5:1: error: unknown series id 'teams-202' "
        "[unknown-series]\n    hint: did you mean 'teams-2020'? the ids are in content/series.yaml"
    ) in said
    assert (
        "content/news/2020-04-22-awards.en.md:3:1: warning: 'series' differs from "
        "content/news/2020-04-22-awards.zh.md:5, its original's [translation-differs]"
    ) in said


def related(page: Path) -> list[str]:
    html = page.read_text(encoding="utf-8")
    found = re.search(r'<aside class="related".*?</aside>', html, re.S)
    return re.findall(r'<a href="[^"]+">([^<]+)</a>', found.group(0)) if found else []


def test_related_reports_share_records_first_then_topics_then_nearness(
    tmp_path: Path,
) -> None:
    root = tmp_path / "site"
    news = root / "content/news"
    news.mkdir(parents=True)
    (root / "content/teams").mkdir()
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    for team in ("choir", "calligraphy"):
        (root / f"content/teams/{team}.yaml").write_text(f"name: {team}\n", encoding="utf-8")
    files = {
        "2020-05-01-subject": ("主题报道", "[合唱, 展演]", "[choir]"),
        "2020-01-01-old-choir": ("合唱团旧闻", "[]", "[choir]"),
        "2020-05-02-both-topics": ("同两个话题", "[合唱, 展演]", "[]"),
        "2020-04-20-one-topic-far": ("一个话题较远", "[展演]", "[]"),
        "2020-04-29-one-topic-near": ("一个话题较近", "[合唱]", "[]"),
        "2020-05-03-one-topic-after": ("一个话题之后", "[展演]", "[]"),
        "2020-04-28-one-topic-more": ("再一个话题", "[合唱]", "[]"),
        "2020-05-01-unrelated": ("毫不相干", "[书法]", "[calligraphy]"),
    }
    for stem, (title, tags, teams) in files.items():
        head = f"title: {title}\ndate: {stem[:10]}\ntags: {tags}\nteams: {teams}"
        (news / f"{stem}.zh.md").write_text(f"---\n{head}\n---\n\n正文。\n", encoding="utf-8")
    out = tmp_path / "out"
    run(root, out, "2020-06-01")

    # the report on the same team first, though old; then the one with both
    # topics; then one topic each, the nearest in date first, the later of
    # two as near first; five at most
    assert related(out / "news/2020/05/subject/index.html") == [
        "合唱团旧闻", "同两个话题", "一个话题之后", "一个话题较近", "再一个话题",
    ]  # fmt: skip
    assert related(out / "news/2020/05/unrelated/index.html") == []
    again = tmp_path / "again"
    run(root, again, "2020-06-01")
    assert tree(out) == tree(again)


def status_notes(page: Path) -> list[str]:
    html = page.read_text(encoding="utf-8")
    notes = re.findall(r'<p class="status-note[^"]*">(.*?)</p>', html, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", note)).strip() for note in notes]


def test_an_announced_event_says_it_is_coming_and_then_that_it_has_ended(
    site: Path, tmp_path: Path
) -> None:
    news = site / "content/news"
    (news / "2020-05-01-showcase-notice.zh.md").write_text(
        article(
            "汇报展演通知",
            "2020-05-01",
            "events:\n  - {date: 2020-03, title: 展演筹备启动}\n"
            "  - {date: 2020-05-20, title: 汇报展演}\n",
        ),
        encoding="utf-8",
    )
    # the translation names the event in English and leaves its date to the original
    (news / "2020-05-01-showcase-notice.en.md").write_text(
        "---\ntitle: Showcase notice\nevents:\n  - {title: Preparations begin}\n"
        "  - {title: The showcase}\n---\n\nText.\n",
        encoding="utf-8",
    )
    before, after = tmp_path / "before", tmp_path / "after"
    run(site, before, "2020-05-10")
    run(site, after, "2020-05-21")

    page = "news/2020/05/showcase-notice/index.html"
    # the event it reports as past when written is not announced
    assert status_notes(before / page) == ["即将举行 2020年5月20日 汇报展演"]
    assert status_notes(after / page) == ["已结束 2020年5月20日 汇报展演"]
    assert status_notes(after / "en" / page) == ["Ended 20 May 2020 The showcase"]
    timeline = (after / "en/timeline/index.html").read_text(encoding="utf-8")
    assert '<time datetime="2020-05-20">20 May 2020</time>' in timeline


def test_an_event_with_no_date_to_take_is_said(site: Path, tmp_path: Path) -> None:
    news = site / "content/news"
    (news / "2020-05-01-only-english.en.md").write_text(
        "---\ntitle: Only in English\ndate: 2020-05-01\nevents:\n  - {title: A showcase}\n"
        "---\n\nText.\n",
        encoding="utf-8",
    )
    (news / "2020-05-01-differs.zh.md").write_text(
        article("展演", "2020-05-01", "events:\n  - {date: 2020-05-20, title: 展演}\n"),
        encoding="utf-8",
    )
    (news / "2020-05-01-differs.en.md").write_text(
        "---\ntitle: Show\nevents:\n  - {date: 2020-05-21, title: The show}\n---\n\nText.\n",
        encoding="utf-8",
    )
    result = build(site, BuildOptions(out_dir=tmp_path / "out", search=False))
    said = "\n".join(d.format() for d in result.diagnostics)
    assert (
        "content/news/2020-05-01-only-english.en.md:5:1: error: event has no 'date' [missing-field]"
    ) in said
    assert (
        "content/news/2020-05-01-differs.en.md:4:1: warning: this event's date differs from "
        "content/news/2020-05-01-differs.zh.md:6, its original's [translation-differs]"
    ) in said


def commit(site: Path, day: str, message: str) -> None:
    when = f"{day}T10:00:00+08:00"
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_AUTHOR_NAME": "编辑",
        "GIT_AUTHOR_EMAIL": "editor@example.org",
        "GIT_COMMITTER_NAME": "编辑",
        "GIT_COMMITTER_EMAIL": "editor@example.org",
    }
    for command in (["add", "-A"], ["commit", "-q", "-m", message]):
        subprocess.run(["git", "-C", os.fspath(site), *command], check=True, env=env)


def test_an_article_corrected_in_git_says_so_where_the_site_asks(
    site: Path, tmp_path: Path
) -> None:
    subprocess.run(["git", "init", "-q", os.fspath(site)], check=True)
    (site / "site.yaml").write_text(SITE_YAML + "updated_from_git: true\n", encoding="utf-8")
    news = site / "content/news"
    (news / "2020-04-25-书法讲座.zh.md").write_text(article("书法讲座", "2020-04-25"), "utf-8")
    commit(site, "2020-04-28", "首次提交")  # every article added: none corrected
    meeting = news / "2020-04-28-meeting.zh.md"
    meeting.write_text(article("名师工作室推进会", "2020-04-28", body="更正后的正文。"), "utf-8")
    lecture = news / "2020-04-25-书法讲座.zh.md"
    lecture.write_text(article("书法讲座", "2020-04-25", body="更正。"), "utf-8")
    commit(site, "2020-05-06", "更正两篇报道")
    out = tmp_path / "out"
    run(site, out, "2020-06-01")

    def said(page: str) -> str:
        html = (out / page).read_text(encoding="utf-8")
        found = re.search(r"<span>更新于[^<]*</span>", html)
        return found.group(0) if found else ""

    assert said("news/2020/04/meeting/index.html") == "<span>更新于2020年5月6日</span>"
    assert said("news/2020/04/shu-fa-jiang-zuo/index.html") == "<span>更新于2020年5月6日</span>"
    assert said("news/2020/04/visit/index.html") == ""  # committed once: never corrected
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert (
        "<loc>https://example.org/news/2020/04/meeting/</loc>\n    <lastmod>2020-05-06</lastmod>"
    ) in sitemap

    # a correction committed later is seen, though no file changed since the last build
    meeting.write_text(article("名师工作室推进会", "2020-04-28", body="再次更正。"), "utf-8")
    run(site, out, "2020-06-01")
    commit(site, "2020-05-09", "再次更正")
    run(site, out, "2020-06-01")
    assert said("news/2020/04/meeting/index.html") == "<span>更新于2020年5月9日</span>"

    # without the setting, git is not asked
    (site / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    run(site, out, "2020-06-01")
    assert said("news/2020/04/meeting/index.html") == ""


def test_a_translation_describes_its_originals_pictures_without_naming_the_files(
    site: Path, tmp_path: Path
) -> None:
    from PIL import Image

    folder = site / "content/news/2020-04-26-rehearsal"
    folder.mkdir()
    Image.new("RGB", (1600, 1000), (200, 120, 40)).save(folder / "choir.jpg", quality=80)
    (folder / "index.zh.md").write_text(
        article(
            "合唱团排练",
            "2020-04-26",
            "images:\n  - {src: choir.jpg, alt: 合唱团在礼堂排练, caption: 每周三晚的排练}\n",
        ),
        encoding="utf-8",
    )
    (folder / "index.en.md").write_text(
        "---\ntitle: The choir rehearses\nimages:\n"
        "  - {alt: The choir rehearsing in the hall, caption: Wednesday evening}\n---\n\nText.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = run(site, out, "2020-05-01")
    assert not [d for d in result.diagnostics if d.code not in ("unknown-tag", "scheduled")]
    zh = (out / "news/2020/04/rehearsal/index.html").read_text(encoding="utf-8")
    en = (out / "en/news/2020/04/rehearsal/index.html").read_text(encoding="utf-8")
    src = re.search(r'<img src="(/media/[0-9a-f]{12}/choir-\d+w\.jpg)"', zh)
    assert src is not None
    assert f'<img src="{src.group(1)}"' in en  # the same file
    assert 'alt="The choir rehearsing in the hall"' in en and "<figcaption>Wednesday evening" in en
    assert 'property="og:image:alt" content="The choir rehearsing in the hall"' in en

    # a picture with no file, where there is none to take, is said
    (folder / "index.en.md").write_text(
        "---\ntitle: The choir rehearses\nimages:\n  - {alt: The choir}\n"
        "  - {alt: The audience}\n---\n\nText.\n",
        encoding="utf-8",
    )
    failed = build(site, BuildOptions(out_dir=tmp_path / "bad", search=False))
    said = "\n".join(d.format() for d in failed.diagnostics)
    assert (
        "content/news/2020-04-26-rehearsal/index.en.md:5:1: error: picture 2 of 'images' has "
        "no 'src', and content/news/2020-04-26-rehearsal/index.zh.md has no picture in that "
        "place to take it from [missing-field]"
    ) in said


def test_a_translation_naming_other_records_is_warned_of(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(REPO, site, ignore=shutil.ignore_patterns("build", ".*", "node_modules"))
    english = site / "content/news/2020-04-22-excellent-teams-2020.en.md"
    head, body = english.read_text(encoding="utf-8").split("\n---\n", 1)
    # by name where the original names it by id: the same team, nothing to say
    english.write_text(f"{head}\nteams: [新繁书画院]\n---\n{body}", encoding="utf-8")
    assert not run(site, tmp_path / "same", "2026-12-01", strict=True).diagnostics
    english.write_text(f"{head}\nstudios: [gao-qiu]\n---\n{body}", encoding="utf-8")
    result = build(site, BuildOptions(out_dir=tmp_path / "out", search=False))
    said = [d.format() for d in result.diagnostics]
    where = "content/news/2020-04-22-excellent-teams-2020"
    line = head.count("\n") + 2  # the line added after the head
    assert any(
        s.startswith(f"{where}.en.md:{line}:1: warning: 'studios' differs from {where}.zh.md:")
        for s in said
    ), said

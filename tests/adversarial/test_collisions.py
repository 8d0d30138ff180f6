"""Two inputs that would be published at one address, or at addresses that
differ only in letter case (one of which a case-insensitive host loses):
each is an error naming the files, before anything is written."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from tests.adversarial.sites import SITE_YAML, article, build, builds_with, fails_with

FRONT = "title: 参观学习\ndate: 2020-04-27\n"
RECORD = "name: {zh: 新繁书画院, en: Xinfan Academy}\n"


def png() -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (24, 16), "blue").save(data, "PNG")
    return data.getvalue()


def test_two_articles_with_the_same_slug_are_both_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {
        "content/news/2020-04-27-visit.zh.md": article(FRONT),
        "content/news/2020-04-29-trip.zh.md": article(
            "title: 考察\ndate: 2020-04-29\nslug: visit\n"
        ),
    }
    outcome = build(tmp_path, capsys, files)
    fails_with(
        outcome,
        "content/news/2020-04-27-visit.zh.md:1:1: error: content/news/2020-04-27-visit.zh.md "
        "and content/news/2020-04-29-trip.zh.md would be published at the same address "
        "/news/2020/04/visit/ [duplicate-url]",
    )


def test_file_names_that_differ_only_in_case_make_one_address(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {
        "content/news/2020-04-27-Visit.zh.md": article(FRONT),
        "content/news/2020-04-27-visit.zh.md": article("title: 另一篇\ndate: 2020-04-27\n"),
    }
    outcome = build(tmp_path, capsys, files)
    fails_with(
        outcome,
        "content/news/2020-04-27-Visit.zh.md:1:1: error: content/news/2020-04-27-Visit.zh.md "
        "and content/news/2020-04-27-visit.zh.md would be published at the same address "
        "/news/2020/04/visit/ [duplicate-url]",
    )


def test_a_web_page_in_an_article_folder_is_never_published(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # it would take the article's own address, and could run on the site
    bundle = "content/news/2020-04-27-visit"
    files = {f"{bundle}/index.zh.md": article(FRONT), f"{bundle}/index.html": "<p>old</p>"}
    outcome = build(tmp_path, capsys, files)
    fails_with(
        outcome,
        f"{bundle}/index.html: error: this kind of file (.html) is not published: it could "
        "run on the site's pages, or readers could not open it [file-type]",
    )


def test_pictures_whose_names_differ_only_in_case_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = "content/news/2020-04-27-visit"
    files = {
        f"{bundle}/index.zh.md": article(
            FRONT, "![展厅一角](Photo.png)\n\n![展厅一角](photo.png)\n"
        ),
        f"{bundle}/Photo.png": png(),
        f"{bundle}/photo.png": png(),
    }
    outcome = build(tmp_path, capsys, files)
    assert outcome.code == 1
    problems = outcome.problems
    # the same picture twice: published in one media folder, under both names
    said = re.compile(
        rf"{bundle}/Photo\.png: error: media/([0-9a-f]{{12}})/Photo\.png and "
        r"media/\1/photo\.png differ only in letter case \[case-collision\]"
    )
    assert any(said.fullmatch(p) for p in problems), problems
    assert all("[case-collision]" in p for p in problems), problems


def test_record_ids_that_differ_only_by_suffix_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {
        "content/news/2020-04-27-visit.zh.md": article(FRONT),
        "content/teams/xinfan.yaml": RECORD,
        "content/teams/xinfan.yml": RECORD,
    }
    outcome = build(tmp_path, capsys, files)
    fails_with(
        outcome,
        "content/teams/xinfan.yml:1:1: error: this file and content/teams/xinfan.yaml "
        "have the same id 'xinfan' [duplicate-id]",
    )


def test_tags_that_would_share_an_address_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {
        "content/news/2020-04-27-visit.zh.md": article(FRONT + "tags: [书法]\n"),
        "content/news/2020-04-28-class.zh.md": article(
            "title: 课程\ndate: 2020-04-28\ntags: [Shu Fa]\n"
        ),
    }
    outcome = build(tmp_path, capsys, files)
    builds_with(
        outcome,
        "content/news/2020-04-28-class.zh.md:4:1: warning: tag 'Shu Fa' would have the same "
        "address /tags/shu-fa/ as the tag '书法' [tag-collision]",
    )
    strict = build(tmp_path / "strict", capsys, files, "--strict")
    assert strict.code == 1


def test_tags_named_like_site_pages_stay_under_tags(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A tag called "news", "search" or "page" gets /tags/<id>/, which no
    other page uses, also when its list and the news list have several
    pages (/tags/page/page/2/, /news/page/2/)."""
    site_yaml = SITE_YAML + "news_per_page: 1\n"
    files: dict[str, str | bytes] = {"site.yaml": site_yaml}
    for day in (27, 28):
        files[f"content/news/2020-04-{day}-visit-{day}.zh.md"] = article(
            f"title: 参观{day}\ndate: 2020-04-{day}\ntags: [news, search, page, feed.xml]\n"
        )
    outcome = build(tmp_path, capsys, files)
    builds_with(outcome)
    for path in (
        "tags/news/index.html",
        "tags/page/index.html",
        "tags/page/page/2/index.html",
        "tags/search/index.html",
        "tags/feed-xml/index.html",
        "news/page/2/index.html",
        "search/index.html",
        "feed.xml",
    ):
        assert (outcome.out / path).is_file(), path
    assert "参观" in outcome.page("tags/page/page/2/index.html")
    assert "<urlset" in outcome.page("sitemap.xml") and "<feed" in outcome.page("feed.xml")

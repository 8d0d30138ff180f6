"""Every page says what it is in its title: the browser tab, a bookmark
and a screen reader's first words. The title starts with the page's
heading and ends with the site's name, and no two pages of a language
share one."""

from __future__ import annotations

import html
import re
from collections import defaultdict
from pathlib import Path

import pytest

from sitegen.build import BuildOptions, build
from tests.helpers import REPO, SITES


def text(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment))).strip()


def titles(folder: Path) -> dict[tuple[str, str], list[str]]:
    """(language, title) -> the pages of ``folder`` that have it, each
    page's title checked against its heading."""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for page in sorted(folder.rglob("*.html")):
        source = page.read_text(encoding="utf-8")
        if "<h1" not in source:
            continue  # not a page of the site (a search widget's fragment)
        lang = re.search(r'<html lang="([^"]+)"', source)
        title = re.search(r"<title>(.*?)</title>", source, re.S)
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", source, re.S)
        assert lang and title and heading, page
        said, shown = text(title.group(1)), text(heading.group(1))
        name = str(page.relative_to(folder))
        site = said.rsplit(" · ", 1)[-1]
        assert said == shown or said.startswith(f"{shown} · "), (name, said, shown)
        assert said == site or said.endswith(f" · {site}"), (name, said)
        found[lang.group(1), said].append(name)
    return found


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example")
    assert build(REPO, BuildOptions(out_dir=out, search=False)).ok
    return out


@pytest.mark.parametrize("site", ["example", "basic", "records", "newsroom", "newsroom-later"])
def test_every_page_has_a_title_of_its_own_that_names_its_heading(site: str, example: Path) -> None:
    folders = {
        "example": example,
        "basic": SITES / "basic/expected",
        "records": SITES / "records/expected",
        "newsroom": SITES / "newsroom/expected",
        "newsroom-later": SITES / "newsroom/expected-later",
    }
    found = titles(folders[site])
    shared = {title: pages for title, pages in found.items() if len(pages) > 1}
    assert not shared, shared
    assert len(found) > 20


def test_a_later_page_of_a_list_says_its_number() -> None:
    def title(path: str) -> str:
        said = re.search(r"<title>(.*?)</title>", (SITES / path).read_text(encoding="utf-8"))
        assert said is not None
        return said.group(1)

    assert title("newsroom/expected/news/page/2/index.html") == (
        "新闻动态 · 第 2 页 · 南湖社区学院"
    )
    assert title("newsroom/expected/news/2020/page/2/index.html") == (
        "2020年新闻 · 第 2 页 · 南湖社区学院"
    )
    assert title("newsroom/expected/en/news/index.html") == "News · Nanhu Community College"

"""A long archive gets a short page list: the first and the last page, the
current one and its neighbours, and a gap for the numbers between."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitegen.build import BuildOptions, build
from sitegen.core.pages import page_window


@pytest.mark.parametrize(
    ("current", "count", "expected"),
    [
        (1, 1, [1]),
        (3, 5, [1, 2, 3, 4, 5]),
        (1, 8, [1, 2, 3, None, 8]),
        (4, 8, [1, 2, 3, 4, 5, 6, 7, 8]),  # a gap of one number shows the number
        (8, 8, [1, None, 6, 7, 8]),
        (1000, 2000, [1, None, 998, 999, 1000, 1001, 1002, None, 2000]),
    ],
)
def test_the_page_list_is_the_ends_and_the_neighbours(
    current: int, count: int, expected: list[int | None]
) -> None:
    assert page_window(current, count) == expected


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site of 60 reports, two a page: 30 pages of news."""
    site = tmp_path_factory.mktemp("archive")
    (site / "site.yaml").write_text(
        "title: {zh: 档案, en: Archive}\nlanguages: [zh, en]\nnews_per_page: 2\n",
        encoding="utf-8",
    )
    news = site / "content/news"
    news.mkdir(parents=True)
    for n in range(60):
        day = f"2020-{1 + n // 28:02d}-{1 + n % 28:02d}"
        (news / f"{day}-report-{n}.zh.md").write_text(
            f"---\ntitle: 第{n}号报道\ndate: {day}\n---\n\n正文{n}。\n", encoding="utf-8"
        )
    out = site / "build"
    result = build(site, BuildOptions(out_dir=out, search=False, strict=True))
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    return out


def page_list(html: str) -> list[str]:
    """The page list as a reader sees it: numbers, "…" and "[n]" for the current page."""
    nav = re.search(r'<nav class="pagination".*?</nav>', html, re.S)
    assert nav, "no page list"
    items = re.findall(r"<li[^>]*>(.*?)</li>", nav.group(0), re.S)
    shown = []
    for item in items:
        label = re.sub(r"<[^>]+>", "", item).strip()
        if label.isdigit() and 'aria-current="page"' in item:
            label = f"[{label}]"
        if label.isdigit() or label.startswith("[") or label == "…":
            shown.append(label)
    return shown


def test_a_middle_page_links_the_ends_and_its_neighbours(archive: Path) -> None:
    html = (archive / "news/page/15/index.html").read_text(encoding="utf-8")
    assert page_list(html) == ["1", "…", "13", "14", "[15]", "16", "17", "…", "30"]
    assert 'href="/news/page/14/" rel="prev"' in html
    assert 'href="/news/page/16/" rel="next"' in html
    assert 'href="/news/page/30/"' in html and 'href="/news/"' in html


def test_the_first_and_last_pages_reach_the_other_end(archive: Path) -> None:
    first = (archive / "news/index.html").read_text(encoding="utf-8")
    last = (archive / "news/page/30/index.html").read_text(encoding="utf-8")
    assert page_list(first) == ["[1]", "2", "3", "…", "30"]
    assert page_list(last) == ["1", "…", "28", "29", "[30]"]


def test_the_gap_is_not_read_aloud_or_followed(archive: Path) -> None:
    html = (archive / "news/page/15/index.html").read_text(encoding="utf-8")
    gaps = re.findall(r'<li class="gap"[^>]*>…</li>', html)
    assert len(gaps) == 2
    assert all('aria-hidden="true"' in gap and "href" not in gap for gap in gaps)

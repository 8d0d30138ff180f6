"""Pages stay light however large the archive grows: built from the
benchmark's corpus at 1,500 articles (whose timeline filters were single
pages of up to 600 KB), no page is over 100 KB of HTML, and the timeline
pages a reader scrolls on a phone are under 60 KB, in both languages.
Nothing the timeline listed becomes unreachable: every event of a kind is
on one of that kind's numbered pages, and every event of a busy year on
its months' pages."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from sitegen.build import BuildOptions, build
from tests.helpers import SITES

BENCH = SITES.parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402

BUDGET = 100 * 1024
LIST_BUDGET = 60 * 1024
EVENT = re.compile(
    r'<li class="event event-([a-z]+)"[^>]*>\s*<p class="event-when"><time datetime="([^"]+)"'
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("weight")
    corpus.write_sitegen(corpus.generate(1500), root / "site")
    out = root / "out"
    result = build(root / "site", BuildOptions(out_dir=out, search=False, cache=False))
    assert result.ok, [d.format() for d in result.diagnostics]
    return out


def test_no_page_is_over_the_budget(built: Path) -> None:
    pages = list(built.rglob("*.html"))
    assert len(pages) > 3000
    heavy = {p.relative_to(built).as_posix(): p.stat().st_size for p in pages}
    assert {p: n for p, n in heavy.items() if n > BUDGET} == {}
    timeline = {p: n for p, n in heavy.items() if "timeline/" in p and n > LIST_BUDGET}
    assert timeline == {}
    assert any("en/timeline/kind/" in p and "/page/" in p for p in heavy), "kinds go on pages"


def events(page: Path) -> list[tuple[str, str]]:
    return EVENT.findall(page.read_text(encoding="utf-8"))


def test_every_event_of_a_kind_is_on_one_of_its_pages(built: Path) -> None:
    kind = built / "timeline" / "kind" / "activity"
    listed = events(kind / "index.html")
    for page in sorted(kind.glob("page/*/index.html"), key=lambda p: int(p.parent.name)):
        listed += events(page)
    every = [
        e
        for year in built.glob("timeline/[0-9][0-9][0-9][0-9]")
        for month in year.glob("[0-9][0-9]")
        for page in [month / "index.html", *month.glob("page/*/index.html")]
        for e in events(page)
        if e[0] == "activity"
    ]
    assert len(listed) > 200
    assert sorted(listed) == sorted(every)
    assert [d for _, d in listed] == sorted((d for _, d in listed), reverse=True), "newest first"


def test_a_busy_year_shows_its_months_and_each_month_all_its_events(built: Path) -> None:
    year = built / "timeline" / "2020"
    page = (year / "index.html").read_text(encoding="utf-8")
    months = re.findall(
        r'<h2 id="month-\d+" class="month-label"><a href="/timeline/2020/(\d\d)/">', page
    )
    assert months and months == sorted(months, reverse=True)
    for month in months:
        counted = re.search(
            rf'href="/timeline/2020/{month}/">[^<]*</a> <span class="chip-count">(\d+) 件大事', page
        )
        assert counted, month
        shown = events(year / month / "index.html")
        for extra in (year / month).glob("page/*/index.html"):
            shown += events(extra)
        assert len(shown) == int(counted.group(1))
        assert all(d.startswith(f"2020-{month}") for _, d in shown)

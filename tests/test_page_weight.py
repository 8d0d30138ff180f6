"""Pages stay light however large the archive grows: built from the
benchmark's corpus at 1,500 articles and 75 teams (whose timeline filters
were single pages of up to 600 KB), no page is over 100 KB of HTML, and the
lists a reader scrolls on a phone are under 60 KB, in both languages.
Nothing that was listed becomes unreachable: every event of a kind is on
one of that kind's numbered pages, every event of a busy year on its
months' pages, every team on its town's pages and in the name finder's
list, and every report on a team on the team's page or its list of reports."""

from __future__ import annotations

import json
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
# the pages that are lists: of events, teams, studios, reports, topics
LIST = re.compile(
    r"^(en/)?(timeline/|studios/(index|page/)|tags/"
    r"|teams/(index|town/|category/|honours/|[^/]+/news/)"
    r"|news/(index|page/|\d{4}/(index|page/)))"
)
TEAM_LINK = re.compile(r'<h3><a href="(/teams/[^/]+/)">')
CARD_LINK = re.compile(r'<h\d class="card-title"><a href="([^"]+)"')
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
    lists = {p: n for p, n in heavy.items() if LIST.match(p)}
    assert any(p.startswith("en/teams/town/") for p in lists)
    assert {p: n for p, n in lists.items() if n > LIST_BUDGET} == {}
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


def test_a_large_directory_offers_the_name_finder_and_every_town_lists_its_teams(
    built: Path,
) -> None:
    page = (built / "teams" / "index.html").read_text(encoding="utf-8")
    assert TEAM_LINK.findall(page) == [], "no team listed on the page of every team"
    assert 'data-finder="/teams/names.json"' in page
    assert "<h1>学习团队</h1>" in page
    names = json.loads((built / "teams" / "names.json").read_text(encoding="utf-8"))
    on_towns = [
        link
        for town in sorted((built / "teams" / "town").iterdir())
        for page in [town / "index.html", *town.glob("page/*/index.html")]
        for link in TEAM_LINK.findall(page.read_text(encoding="utf-8"))
    ]
    every = sorted(p.parent.relative_to(built).as_posix() for p in built.glob("teams/*/index.html"))
    every = [f"/{p}/" for p in every if p.count("/") == 1 and p not in ("teams/honours",)]
    assert len(every) == 75
    assert sorted(on_towns) == every
    assert sorted(team["url"] for team in names) == every
    english = json.loads((built / "en" / "teams" / "names.json").read_text(encoding="utf-8"))
    assert all(team["url"].startswith("/en/teams/") and team["also"] for team in english)


def test_a_team_in_the_news_for_years_shows_its_latest_and_lists_the_rest(built: Path) -> None:
    lists = sorted(built.glob("teams/*/news/index.html"))
    assert lists, "some team has more reports than its page shows"
    news = lists[0].parent
    team = (news.parent / "index.html").read_text(encoding="utf-8")
    shown = CARD_LINK.findall(team.split('id="news-heading"')[1])
    assert len(shown) == 20
    total = re.search(r'<a href="/teams/[^"]+/news/">查看全部 (\d+) 篇报道</a>', team)
    assert total, "the team's page links to all its reports"
    listed = []
    numbered = sorted(news.glob("page/*/index.html"), key=lambda p: int(p.parent.name))
    for page in [news / "index.html", *numbered]:
        listed += CARD_LINK.findall(page.read_text(encoding="utf-8"))
    assert len(listed) == int(total.group(1)) > 20
    back = f'<p class="breadcrumb"><a href="/teams/{news.parent.name}/">'
    assert back in (news / "index.html").read_text(encoding="utf-8"), "the way back to the team"
    assert listed[:20] == shown, "the page shows the newest"

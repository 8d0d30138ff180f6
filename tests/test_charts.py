"""Charts of the site's numbers, read back from the built pages.

Each chart's data table must say what the records say, counted here from
the YAML files and from the timeline pages, not by the chart code. Charts
are the same bytes every build, small, and left out when there is too
little to compare. The demonstration site is what its script writes,
builds with --strict and says on every page that it is sample data."""

from __future__ import annotations

import filecmp
import html
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from sitegen.build import BuildOptions, build
from tests.helpers import SITES

REPO_ROOT = SITES.parent.parent

DISTRICT = REPO_ROOT / "examples" / "district"
SOURCE = DISTRICT / "site"

FIGURE = re.compile(r'<figure class="chart" aria-labelledby="chart-([a-z_]+)">(.*?)</figure>', re.S)
ROW = re.compile(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', re.S)
CELL = re.compile(r"<td>(\d+)</td>")
SVG = re.compile(r'<svg class="chart-svg.*?</svg>', re.S)


def tables(page: Path) -> dict[str, list[tuple[str, tuple[int, ...]]]]:
    """Each chart of a built page: its key, and its table's rows."""
    found = {}
    for key, figure in FIGURE.findall(page.read_text(encoding="utf-8")):
        found[key] = [
            (html.unescape(label), tuple(int(v) for v in CELL.findall(cells)))
            for label, cells in ROW.findall(figure)
        ]
    return found


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("district")
    result = build(SOURCE, BuildOptions(out_dir=out, search=False, cache=False, strict=True))
    assert result.ok, [d.format() for d in result.diagnostics]
    assert not result.diagnostics, [d.format() for d in result.diagnostics]
    return out


def test_the_demonstration_site_is_what_its_script_writes(tmp_path: Path) -> None:
    out = tmp_path / "site"
    subprocess.run(
        [sys.executable, str(DISTRICT / "make.py"), "--out", str(out)], check=True, cwd=tmp_path
    )
    written = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    kept = sorted(  # what git keeps: not the build cache of a build made in place
        p.relative_to(SOURCE)
        for p in SOURCE.rglob("*")
        if p.is_file() and ".sitegen-cache" not in p.parts
    )
    assert written == kept
    _, differ, errors = filecmp.cmpfiles(out, SOURCE, [str(p) for p in written], shallow=False)
    assert not differ and not errors, "run python3 examples/district/make.py"


def test_every_page_says_it_is_sample_data(district: Path) -> None:
    pages = list(district.rglob("*.html"))
    assert len(pages) > 300
    for page in pages:
        text = page.read_text(encoding="utf-8")
        english = "/en/" in f"/{page.relative_to(district).as_posix()}"
        said = "Sample data:" if english else "示例数据："
        assert f'<p class="site-banner" role="note">{said}' in text, page


def test_team_charts_count_what_the_team_records_say(district: Path) -> None:
    settings = load(SOURCE / "site.yaml")
    towns = load(SOURCE / "content" / "towns.yaml")
    teams = [load(p) for p in sorted((SOURCE / "content" / "teams").glob("*.yaml"))]
    assert len(teams) == 80
    by_town = Counter(towns[t["town"]]["zh"] for t in teams)
    by_kind = Counter(settings["team_categories"][t["category"]]["zh"] for t in teams)
    honours = [(h["year"], towns[t["town"]]["zh"]) for t in teams for h in t.get("honours", [])]
    by_year = Counter(year for year, _ in honours)
    honoured_towns = Counter(town for _, town in honours)

    stats = tables(district / "stats" / "index.html")
    assert set(stats) == {
        "teams_by_town",
        "teams_by_category",
        "honours_by_year",
        "honours_by_town",
        "studio_reports",
        "events_by_month",
    }
    for key, counted in (
        ("teams_by_town", by_town),
        ("teams_by_category", by_kind),
        ("honours_by_town", honoured_towns),
    ):
        rows = stats[key]
        assert {label: values[0] for label, values in rows} == dict(counted), key
        assert [v[0] for _, v in rows] == sorted(counted.values(), reverse=True), "most first"
    years = range(min(by_year), max(by_year) + 1)
    assert stats["honours_by_year"] == [(str(y), (by_year.get(y, 0),)) for y in years]
    # the directory pages show the same charts as the statistics page
    assert tables(district / "teams" / "index.html") == {
        k: stats[k] for k in ("teams_by_town", "teams_by_category")
    }
    assert tables(district / "teams" / "honours" / "index.html") == {
        k: stats[k] for k in ("honours_by_year", "honours_by_town")
    }


def test_the_studio_chart_counts_the_reports_the_studio_records_hold(district: Path) -> None:
    reports = [
        (r["year"], r["kind"])
        for p in sorted((SOURCE / "content" / "studios").glob("*.yaml"))
        for r in load(p).get("reports", [])
    ]
    counted = Counter(reports)
    years = range(min(y for y, _ in reports), max(y for y, _ in reports) + 1)
    wanted = [(str(y), (counted[y, "report"], counted[y, "plan"])) for y in years]
    assert tables(district / "studios" / "index.html")["studio_reports"] == wanted


def test_the_timeline_chart_counts_the_events_the_timeline_lists(district: Path) -> None:
    event = re.compile(
        r'<li class="event event-([a-z]+)"[^>]*>\s*'
        r'<p class="event-when"><time datetime="(\d{4})-(\d{2})'
    )
    listed: Counter[tuple[int, int, str]] = Counter()
    for page in (district / "timeline").glob("[0-9]*/index.html"):
        for kind, year, month in event.findall(page.read_text(encoding="utf-8")):
            listed[int(year), int(month), kind] += 1
    last = max(year for year, _, _ in listed)
    months = [(year, month) for year in (last - 2, last - 1, last) for month in range(1, 13)]
    kinds = ["meeting", "visit", "selection", "honour", "activity", "studio", "news"]
    shown = [k for k in kinds if any(listed[y, m, k] for y, m in months)]
    rows = tables(district / "timeline" / "index.html")["events_by_month"]
    assert [label for label, _ in rows] == [f"{y}年{m}月" for y, m in months]
    assert [values for _, values in rows] == [
        tuple(listed[y, m, k] for k in shown) for y, m in months
    ]
    english = tables(district / "en" / "timeline" / "index.html")["events_by_month"]
    assert english[0][0] == f"January {last - 2}"


def test_english_charts_carry_the_same_numbers(district: Path) -> None:
    chinese = tables(district / "stats" / "index.html")
    english = tables(district / "en" / "stats" / "index.html")
    assert chinese.keys() == english.keys()
    for key in chinese:
        assert [v for _, v in chinese[key]] == [v for _, v in english[key]], key
    assert ("Dafeng Subdistrict", (11,)) in english["teams_by_town"]
    page = (district / "en" / "stats" / "index.html").read_text(encoding="utf-8")
    assert "Most teams: Sanhe Subdistrict (12)." in page
    tied = [label for label, (n,) in english["teams_by_category"] if n == 11]
    assert len(tied) == 2  # every kind with the most teams is named
    assert f"Most teams are of the kind {tied[0]} and {tied[1]} (11)." in page


def test_charts_are_small_and_the_same_every_build(district: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert build(SOURCE, BuildOptions(out_dir=again, search=False, cache=False)).ok
    for page in ("stats/index.html", "en/stats/index.html", "timeline/index.html"):
        drawn = SVG.findall((district / page).read_text(encoding="utf-8"))
        assert drawn and drawn == SVG.findall((again / page).read_text(encoding="utf-8"))
        assert all(len(svg.encode()) < 20_000 for svg in drawn), [len(s) for s in drawn]


def test_a_site_with_one_team_draws_no_chart_of_one_bar(tmp_path: Path) -> None:
    out = tmp_path / "example"
    assert build(REPO_ROOT, BuildOptions(out_dir=out, search=False, cache=False)).ok
    assert tables(out / "teams" / "index.html") == {}
    stats = tables(out / "stats" / "index.html")
    assert "teams_by_town" not in stats and "honours_by_year" not in stats
    assert all(len(rows) >= 2 for rows in stats.values())
    page = (out / "stats" / "index.html").read_text(encoding="utf-8")
    assert "共有1支市民自主学习团队，分为1个类别。" in page  # its town is not known


def test_charts_are_drawn_again_only_when_what_they_count_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sitegen.core.render as render
    from sitegen.build import BuildCache

    drawn: list[str] = []
    draw = render.draw
    monkeypatch.setattr(
        render, "draw", lambda chart, names: drawn.append(chart.key) or draw(chart, names)
    )
    site = tmp_path / "site"
    shutil.copytree(SOURCE, site, ignore=shutil.ignore_patterns(".sitegen-cache"))
    cache = BuildCache()
    options = BuildOptions(write=False, jobs=1, search=False)
    assert build(site, options, cache=cache).ok
    assert len(drawn) > 12  # every chart, on its own page and on /stats/, in both languages

    article = next((site / "content" / "news").glob("*.zh.md"))
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("。", "！", 1), encoding="utf-8")
    drawn.clear()
    assert build(site, options, cache=cache).ok
    assert drawn == [], "a report's wording changes no count"

    team = next((site / "content" / "teams").glob("*.yaml"))
    town = load(team)["town"]
    other = next(t for t in load(site / "content" / "towns.yaml") if t != town)
    team.write_text(team.read_text(encoding="utf-8").replace(f"town: {town}", f"town: {other}"))
    drawn.clear()
    assert build(site, options, cache=cache).ok
    assert "teams_by_town" in drawn
    # /stats/ shows every chart, but /studios/ counts nothing of teams
    assert drawn.count("studio_reports") == 2


def test_one_team_with_two_honours_in_a_year_is_one_team_in_english(tmp_path: Path) -> None:
    from tests.test_serve import example_site

    site = example_site(tmp_path)
    record = site / "content" / "teams" / "xinfan-calligraphy-painting.yaml"
    text = record.read_text(encoding="utf-8")
    second = "  - year: 2020\n    title: {zh: 新都区2020年学习型团队, en: Learning Team 2020}\n"
    record.write_text(text.replace("honours:\n", "honours:\n" + second, 1), encoding="utf-8")
    out = tmp_path / "out"
    assert build(site, BuildOptions(out_dir=out, search=False, cache=False, strict=True)).ok
    english = (out / "en" / "stats" / "index.html").read_text(encoding="utf-8")
    assert "2020: 2 honours to 1 team." in english
    assert "2020年，1支团队获得2项荣誉。" in (out / "stats" / "index.html").read_text("utf-8")

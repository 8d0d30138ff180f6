"""The site's numbers, counted from its records and events: the charts of
the team, honour, studio and timeline pages, and the statistics page
``/stats/`` that gathers them with the same numbers in sentences.

A chart with less than two things to compare (one town, one year) is left
out rather than drawn: one bar says nothing a sentence does not.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sitegen.core.charts import Chart, Series
from sitegen.core.config import SiteConfig
from sitegen.core.i18n import format_month, url_prefix
from sitegen.core.model import EVENT_KINDS, Site, Text
from sitegen.core.pages import Link, Page, same_everywhere

YEARS_SHOWN = 10  # of yearly columns: the latest ones
MONTHS_SHOWN = 36  # of the monthly strips: three calendar years


@dataclass(frozen=True, slots=True)
class Line:
    """A sentence of the statistics page: a UI string key and its values."""

    key: str
    values: tuple[tuple[str, str | int], ...]


@dataclass(frozen=True, slots=True)
class StatsSection:
    heading: str  # UI string key
    lines: tuple[Line, ...]
    charts: tuple[Chart, ...]
    more: Link | None  # the page the numbers are about


@dataclass(frozen=True, slots=True)
class StatsView:
    sections: tuple[StatsSection, ...]


class Stats:
    """The counts and charts of one language's pages."""

    def __init__(self, site: Site, config: SiteConfig, lang: str) -> None:
        self.site = site
        self.config = config
        self.lang = lang
        self.prefix = url_prefix(lang, config)

    def name(self, text: Text) -> str:
        return text.get(self.lang, self.config.default_language)

    # -- the charts ------------------------------------------------------

    def teams_by_town(self) -> Chart | None:
        counted = Counter(t.town for t in self.site.teams.values() if t.town in self.site.towns)
        names = {k: self.name(town.name) for k, town in self.site.towns.items()}
        return _bars(
            "teams_by_town", counted, list(self.site.towns), names, "chart_town", self.lang
        )

    def teams_by_category(self) -> Chart | None:
        categories = self.site.categories
        counted = Counter(t.category for t in self.site.teams.values() if t.category in categories)
        names = {k: self.name(c.name) for k, c in categories.items()}
        return _bars(
            "teams_by_category", counted, list(categories), names, "chart_category", self.lang
        )

    def honours_by_year(self) -> Chart | None:
        counted = Counter(h.year for t in self.site.teams.values() for h in t.honours)
        return _years("honours_by_year", [Series(())], [counted])

    def honours_by_town(self) -> Chart | None:
        counted = Counter(
            t.town for t in self.site.teams.values() for _ in t.honours if t.town in self.site.towns
        )
        names = {k: self.name(town.name) for k, town in self.site.towns.items()}
        return _bars(
            "honours_by_town", counted, list(self.site.towns), names, "chart_town", self.lang
        )

    def studio_reports(self) -> Chart | None:
        reports = [r for s in self.site.studios.values() for r in s.reports]
        kinds = ("report", "plan")
        counts = [Counter(r.year for r in reports if r.kind == kind) for kind in kinds]
        return _years("studio_reports", [Series((), key=f"chart_{k}") for k in kinds], counts)

    def events_by_month(self) -> Chart | None:
        """The events of each kind in each month of the last three calendar
        years that have events (events known only to the year left out)."""
        dated = [e for e in self.site.events if e.when.precision != "year"]
        if not dated:
            return None
        last = max(e.when.start.year for e in dated)
        first = max(min(e.when.start.year for e in dated), last - MONTHS_SHOWN // 12 + 1)
        months = [(year, month) for year in range(first, last + 1) for month in range(1, 13)]
        index = {month: i for i, month in enumerate(months)}
        counted: dict[str, list[int]] = {}
        for event in dated:
            at = index.get((event.when.start.year, event.when.start.month))
            if at is not None:
                counted.setdefault(event.kind, [0] * len(months))[at] += 1
        series = tuple(
            Series(tuple(counted[kind]), key=f"event_kind_{kind}")
            for kind in EVENT_KINDS
            if kind in counted
        )
        busy = sum(1 for i in range(len(months)) if any(s.values[i] for s in series))
        if busy < 2:
            return None
        total = sum(sum(s.values) for s in series)
        return Chart(
            "events_by_month",
            "strips",
            tuple(format_month(y, m, self.lang) for y, m in months),
            series,
            "chart_month",
            (
                ("first", format_month(*months[0], self.lang)),
                ("last", format_month(*months[-1], self.lang)),
                ("n", total),
            ),
            tuple((i, str(y)) for i, (y, m) in enumerate(months) if m == 1),
        )

    # -- the statistics page --------------------------------------------

    def teams_line(self) -> Line:
        teams = list(self.site.teams.values())
        towns = len({t.town for t in teams if t.town in self.site.towns})
        kinds = len({t.category for t in teams if t.category in self.site.categories})
        if not teams:
            return Line("stats_no_teams", ())
        key = "stats_teams" if towns else "stats_teams_no_towns"
        return Line(key, (("n", len(teams)), ("towns", towns), ("kinds", kinds)))

    def page(self) -> Page:
        site = self.site
        teams = list(site.teams.values())
        honoured = Counter(h.year for t in teams for h in t.honours)
        teams_honoured = {
            year: len({t.id for t in teams if any(h.year == year for h in t.honours)})
            for year in honoured
        }
        reports = [r for s in site.studios.values() for r in s.reports]
        sections = [
            StatsSection(
                "teams",
                (self.teams_line(),),
                _present(self.teams_by_town(), self.teams_by_category()),
                Link(f"{self.prefix}/teams/", ""),
            ),
            StatsSection(
                "honours_index",
                tuple(
                    Line(
                        # English says "to 1 team" however many honours it had
                        "stats_honours_year_one_team"
                        if teams_honoured[y] == 1 < honoured[y]
                        else "stats_honours_year",
                        (("year", y), ("n", honoured[y]), ("teams", teams_honoured[y])),
                    )
                    for y in sorted(honoured, reverse=True)
                ),
                _present(self.honours_by_year(), self.honours_by_town()),
                Link(f"{self.prefix}/teams/honours/", ""),
            ),
            StatsSection(
                "studios",
                (
                    Line(
                        "stats_studios",
                        (
                            ("n", len(site.studios)),
                            ("reports", sum(r.kind == "report" for r in reports)),
                            ("plans", sum(r.kind == "plan" for r in reports)),
                        ),
                    )
                    if site.studios
                    else Line("stats_no_studios", ()),
                ),
                _present(self.studio_reports()),
                Link(f"{self.prefix}/studios/", ""),
            ),
            StatsSection(
                "timeline",
                (
                    Line(
                        "stats_events",
                        (
                            ("n", len(site.events)),
                            ("first", min((e.when.start.year for e in site.events), default=0)),
                        ),
                    )
                    if site.events
                    else Line("stats_no_events", ()),
                ),
                _present(self.events_by_month()),
                Link(f"{self.prefix}/timeline/", ""),
            ),
        ]
        if not honoured:  # nothing to say of honours, and no page of them
            sections = [s for s in sections if s.heading != "honours_index"]
        url = f"{self.prefix}/stats/"
        return Page(
            url=url,
            template="stats.html",
            lang=self.lang,
            title="",
            description=self.config.description.get(self.lang),
            section="stats",
            view=StatsView(tuple(sections)),
            languages=same_everywhere("/stats/", self.config),
            canonical=url,
            sources=tuple(
                sorted(
                    {t.path for t in teams}
                    | {s.path for s in site.studios.values()}
                    | {e.source for e in site.events}
                )
            ),
        )


def _present(*charts: Chart | None) -> tuple[Chart, ...]:
    return tuple(c for c in charts if c is not None)


def _bars(
    key: str,
    counted: Counter[str],
    order: list[str],
    names: dict[str, str],
    heading: str,
    lang: str,
) -> Chart | None:
    """Bars, most first (ties in the order of ``order``), when at least
    two things have a count."""
    shown = sorted((k for k in counted if counted[k]), key=lambda k: (-counted[k], order.index(k)))
    if len(shown) < 2:
        return None
    top = counted[shown[0]]
    first = [names[k] for k in shown if counted[k] == top]
    if lang.startswith("zh"):
        most = "、".join(first)
    else:  # "A", "A and B", "A, B and C"
        most = " and ".join([", ".join(first[:-1]), first[-1]] if len(first) > 1 else first)
    return Chart(
        key,
        "bars",
        tuple(names[k] for k in shown),
        (Series(tuple(counted[k] for k in shown)),),
        heading,
        (("most", most), ("top", top), ("n", sum(counted.values()))),
    )


def _years(key: str, series: list[Series], counts: list[Counter[int]]) -> Chart | None:
    """Columns for each year from the first with a count to the last (the
    latest YEARS_SHOWN of them), when at least two years have one."""
    years = sorted({y for c in counts for y in c if c[y]})
    if len(years) < 2:
        return None
    shown = list(range(max(years[0], years[-1] - YEARS_SHOWN + 1), years[-1] + 1))
    filled = tuple(
        Series(tuple(c.get(y, 0) for y in shown), s.name, s.key)
        for s, c in zip(series, counts, strict=True)
    )
    totals = {y: sum(c.get(y, 0) for c in counts) for y in shown}
    most = max(shown, key=lambda y: (totals[y], y))
    return Chart(
        key,
        "columns",
        tuple(str(y) for y in shown),
        filled,
        "chart_year",
        (
            ("first", shown[0]),
            ("last", shown[-1]),
            ("most", most),
            ("top", totals[most]),
            ("n", sum(totals.values())),
        ),
    )

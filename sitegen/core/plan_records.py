"""The team and studio pages: directories, filters, records, honour lists.

Every record page exists in every language at the same path; a text that
has no translation is shown in the language it has (and marked so by the
``tr`` helper of the templates).
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sitegen.core.charts import Chart
from sitegen.core.config import SiteConfig
from sitegen.core.i18n import format_date, url_prefix
from sitegen.core.model import (
    FIVE_ONES,
    Activity,
    Article,
    Assessment,
    Category,
    Honour,
    Site,
    Studio,
    StudioReport,
    Team,
    Text,
    Town,
)
from sitegen.core.pages import (
    ArticleCard,
    FilterLink,
    Link,
    Page,
    article_card,
    article_url,
    same_everywhere,
)
from sitegen.core.plan_stats import Stats
from sitegen.core.plan_timeline import TimelinePlanner, YearGroup


@dataclass(frozen=True, slots=True)
class TeamCard:
    url: str
    team: Team
    town: Town | None
    category: Category | None
    honour_years: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class TeamGroup:
    name: Text | None  # the town; None for teams whose town is not given
    teams: tuple[TeamCard, ...]


@dataclass(frozen=True, slots=True)
class TeamDirectoryView:
    filter_name: Text | None  # the town or category shown; None for all teams
    filter_kind: str  # "", "town" or "category"
    groups: tuple[TeamGroup, ...]
    towns: tuple[FilterLink, ...]
    categories: tuple[FilterLink, ...]
    honour_years: tuple[Link, ...]
    total: int  # teams on this page
    all_url: str
    all_total: int
    charts: tuple[Chart, ...] = ()  # on the page of every team only


@dataclass(frozen=True, slots=True)
class HonourRow:
    honour: Honour
    date_text: str
    article: Link | None


@dataclass(frozen=True, slots=True)
class ActivityRow:
    activity: Activity
    date_text: str
    article: Link | None


@dataclass(frozen=True, slots=True)
class YearOfFive:
    """Which of the five yearly activities ("五个一") a team held in a year."""

    year: int
    done: tuple[tuple[str, bool], ...]  # (kind, held) in FIVE_ONES order


@dataclass(frozen=True, slots=True)
class TeamView:
    team: Team
    town: Town | None
    category: Category | None
    honours: tuple[HonourRow, ...]
    activities: tuple[ActivityRow, ...]  # newest first
    five_ones: tuple[YearOfFive, ...]
    assessments: tuple[Assessment, ...]
    news: tuple[ArticleCard, ...]
    directory_url: str
    timeline: tuple[YearGroup, ...] = ()


@dataclass(frozen=True, slots=True)
class HonourGroup:
    title: Text
    by: Text
    article: Link | None
    teams: tuple[TeamCard, ...]


@dataclass(frozen=True, slots=True)
class HonourYearView:
    year: int
    groups: tuple[HonourGroup, ...]
    years: tuple[Link, ...]
    directory_url: str


@dataclass(frozen=True, slots=True)
class HonourIndexView:
    years: tuple[FilterLink, ...]  # each year, with how many honours it gave
    charts: tuple[Chart, ...]
    directory_url: str


@dataclass(frozen=True, slots=True)
class StudioCard:
    url: str
    studio: Studio


@dataclass(frozen=True, slots=True)
class StudioDirectoryView:
    studios: tuple[StudioCard, ...]
    charts: tuple[Chart, ...] = ()


@dataclass(frozen=True, slots=True)
class ReportRow:
    report: StudioReport
    date_text: str
    article: Link | None


@dataclass(frozen=True, slots=True)
class StudioView:
    studio: Studio
    reports: tuple[ReportRow, ...]
    news: tuple[ArticleCard, ...]
    directory_url: str
    timeline: tuple[YearGroup, ...] = ()


def plan_records(
    site: Site,
    config: SiteConfig,
    lang: str,
    add: Callable[[Page], None],
    timeline: TimelinePlanner,
) -> None:
    """Add every team and studio page in ``lang``."""
    _RecordPlanner(site, config, lang, add, timeline).run()


class _RecordPlanner:
    def __init__(
        self,
        site: Site,
        config: SiteConfig,
        lang: str,
        add: Callable[[Page], None],
        timeline: TimelinePlanner,
    ) -> None:
        self.timeline = timeline
        self.site = site
        self.config = config
        self.lang = lang
        self.add = add
        self.prefix = url_prefix(lang, config)
        self.stats = Stats(site, config, lang)

    def run(self) -> None:
        self.team_directories()
        for team in self.site.teams.values():
            self.team(team)
        self.honour_years()
        self.studio_directory()
        for studio in self.site.studios.values():
            self.studio(studio)

    # -- shared ----------------------------------------------------------

    def page(
        self,
        path: str,
        template: str,
        title: str,
        section: str,
        view: object,
        sources: Iterable[str] = (),
        description: str = "",
    ) -> Page:
        url = self.prefix + path
        return Page(
            url=url,
            template=template,
            lang=self.lang,
            title=title,
            description=description or self.config.description.get(self.lang),
            section=section,
            view=view,
            languages=same_everywhere(path, self.config),
            canonical=url,
            sources=tuple(sources),
        )

    def name(self, text: Text) -> str:
        return text.get(self.lang, self.config.default_language)

    def article(self, key: str) -> Article | None:
        """The article in this language, else the original."""
        versions = self.site.translations.get(key, {})
        if self.lang in versions:
            return versions[self.lang]
        return next((versions[lang] for lang in self.config.languages if lang in versions), None)

    def article_link(self, stem: str) -> Link | None:
        key = self.site.by_stem.get(stem)
        article = self.article(key) if key else None
        if article is None:
            return None
        return Link(article_url(article, article.lang, self.config), article.title)

    def news(self, record: str) -> tuple[ArticleCard, ...]:
        found = (self.article(key) for key in self.site.mentions.get(record, ()))
        return tuple(article_card(a, self.config) for a in found if a is not None)

    def news_sources(self, record: str) -> list[str]:
        return [
            a.path
            for key in self.site.mentions.get(record, ())
            for a in self.site.translations.get(key, {}).values()
        ]

    def card(self, team: Team) -> TeamCard:
        return TeamCard(
            url=f"{self.prefix}/teams/{team.id}/",
            team=team,
            town=self.site.towns.get(team.town),
            category=self.site.categories.get(team.category),
            honour_years=tuple(sorted({h.year for h in team.honours}, reverse=True)),
        )

    # -- teams -----------------------------------------------------------

    def team_directories(self) -> None:
        """The team directory: every team, and the teams of each town and
        of each category."""
        found = _Teams(self.site)
        sources = [t.path for t in found.teams]
        everyone = self.directory_view(found, found.teams, "", "", None)
        charts = (self.stats.teams_by_town(), self.stats.teams_by_category())
        everyone = dataclasses.replace(everyone, charts=tuple(c for c in charts if c))
        self.add(self.page("/teams/", "teams.html", "", "teams", everyone, sources))
        for town_id in found.towns:
            town = self.site.towns[town_id]
            view = self.directory_view(found, found.by_town[town_id], "town", town_id, town.name)
            path = f"/teams/town/{town_id}/"
            self.add(self.page(path, "teams.html", self.name(town.name), "teams", view, sources))
        for category_id in found.categories:
            category = self.site.categories[category_id]
            shown = found.by_category[category_id]
            view = self.directory_view(found, shown, "category", category_id, category.name)
            title = self.name(category.name)
            path = f"/teams/category/{category_id}/"
            self.add(self.page(path, "teams.html", title, "teams", view, sources))

    def directory_view(
        self, found: _Teams, shown: list[Team], kind: str, current: str, name: Text | None
    ) -> TeamDirectoryView:
        """A directory page's teams, with the links to every town, category
        and year of honours (``kind`` and ``current`` mark the one shown)."""
        prefix = self.prefix
        return TeamDirectoryView(
            filter_name=name,
            filter_kind=kind,
            groups=self.groups(shown),
            towns=tuple(
                FilterLink(
                    f"{prefix}/teams/town/{t}/",
                    self.site.towns[t].name,
                    len(found.by_town[t]),
                    kind == "town" and current == t,
                    f"town:{t}",
                )
                for t in found.towns
            ),
            categories=tuple(
                FilterLink(
                    f"{prefix}/teams/category/{c}/",
                    self.site.categories[c].name,
                    len(found.by_category[c]),
                    kind == "category" and current == c,
                    f"category:{c}",
                )
                for c in found.categories
            ),
            honour_years=tuple(
                Link(f"{prefix}/teams/honours/{y}/", str(y)) for y in found.honour_years
            ),
            total=len(shown),
            all_url=f"{prefix}/teams/",
            all_total=len(found.teams),
        )

    def groups(self, teams: list[Team]) -> tuple[TeamGroup, ...]:
        order = {town: index for index, town in enumerate(self.site.towns)}
        by_town: dict[str, list[Team]] = defaultdict(list)
        for team in teams:
            by_town[team.town if team.town in self.site.towns else ""].append(team)
        groups = []
        for town in sorted(by_town, key=lambda t: (t == "", order.get(t, 0))):
            cards = tuple(self.card(t) for t in sorted(by_town[town], key=lambda t: t.id))
            groups.append(TeamGroup(self.site.towns[town].name if town else None, cards))
        return tuple(groups)

    def team(self, team: Team) -> None:
        record = f"teams/{team.id}"
        activities = tuple(
            ActivityRow(a, format_date(a.date, self.lang), self.article_link(a.article))
            for a in sorted(team.activities, key=lambda a: (a.date, a.line), reverse=True)
        )
        years = sorted({a.date.year for a in team.activities}, reverse=True)
        five = tuple(
            YearOfFive(
                year,
                tuple(
                    (kind, any(a.kind == kind and a.date.year == year for a in team.activities))
                    for kind in FIVE_ONES
                ),
            )
            for year in years
        )
        view = TeamView(
            team=team,
            town=self.site.towns.get(team.town),
            category=self.site.categories.get(team.category),
            honours=tuple(
                HonourRow(
                    h,
                    format_date(h.date, self.lang) if h.date else "",
                    self.article_link(h.article),
                )
                for h in team.honours
            ),
            activities=activities,
            five_ones=five,
            assessments=team.assessments,
            news=self.news(record),
            directory_url=f"{self.prefix}/teams/",
            timeline=self.timeline.for_record(record),
        )
        description = team.description.get(self.lang, self.config.default_language)
        self.add(
            self.page(
                f"/teams/{team.id}/",
                "team.html",
                self.name(team.name),
                "teams",
                view,
                [team.path, *self.news_sources(record)],
                description,
            )
        )

    def honour_years(self) -> None:
        teams = list(self.site.teams.values())
        years = sorted({h.year for t in teams for h in t.honours}, reverse=True)
        links = [Link(f"{self.prefix}/teams/honours/{y}/", str(y)) for y in years]
        if years:
            honoured = Counter(h.year for t in teams for h in t.honours)
            charts = (self.stats.honours_by_year(), self.stats.honours_by_town())
            index = HonourIndexView(
                tuple(
                    FilterLink(link.url, Text.plain(link.label), honoured[y], False, f"year:{y}")
                    for y, link in zip(years, links, strict=True)
                ),
                tuple(c for c in charts if c),
                f"{self.prefix}/teams/",
            )
            sources = [t.path for t in teams]
            self.add(
                self.page("/teams/honours/", "honours_index.html", "", "teams", index, sources)
            )
        for year in years:
            grouped: dict[tuple[Text, Text, str], list[Team]] = defaultdict(list)
            for team in teams:
                for honour in team.honours:
                    if honour.year == year:
                        grouped[(honour.title, honour.by, honour.article)].append(team)
            groups = tuple(
                HonourGroup(
                    title,
                    by,
                    self.article_link(article),
                    tuple(self.card(t) for t in sorted(members, key=lambda t: t.id)),
                )
                for (title, by, article), members in sorted(
                    grouped.items(), key=lambda item: (-len(item[1]), self.name(item[0][0]))
                )
            )
            view = HonourYearView(
                year,
                groups,
                tuple(Link(x.url, x.label, x.label == str(year)) for x in links),
                f"{self.prefix}/teams/",
            )
            self.add(
                self.page(
                    f"/teams/honours/{year}/",
                    "honours.html",
                    str(year),
                    "teams",
                    view,
                    [t.path for t in teams],
                )
            )

    # -- studios ---------------------------------------------------------

    def studio_directory(self) -> None:
        studios = list(self.site.studios.values())
        cards = tuple(StudioCard(f"{self.prefix}/studios/{s.id}/", s) for s in studios)
        self.add(
            self.page(
                "/studios/",
                "studios.html",
                "",
                "studios",
                StudioDirectoryView(cards, tuple(c for c in (self.stats.studio_reports(),) if c)),
                [s.path for s in studios],
            )
        )

    def studio(self, studio: Studio) -> None:
        record = f"studios/{studio.id}"
        view = StudioView(
            studio=studio,
            reports=tuple(
                ReportRow(
                    r,
                    format_date(r.date, self.lang) if r.date else "",
                    self.article_link(r.article),
                )
                for r in studio.reports
            ),
            news=self.news(record),
            directory_url=f"{self.prefix}/studios/",
            timeline=self.timeline.for_record(record),
        )
        self.add(
            self.page(
                f"/studios/{studio.id}/",
                "studio.html",
                self.name(studio.name),
                "studios",
                view,
                [studio.path, *self.news_sources(record)],
                studio.focus.get(self.lang, self.config.default_language),
            )
        )


class _Teams:
    """A site's teams by town and category, the towns and categories that
    have any (in the order they are listed) and the years of honours."""

    def __init__(self, site: Site) -> None:
        self.teams = list(site.teams.values())
        self.by_town: dict[str, list[Team]] = defaultdict(list)
        self.by_category: dict[str, list[Team]] = defaultdict(list)
        for team in self.teams:
            self.by_town[team.town].append(team)
            self.by_category[team.category].append(team)
        self.towns = [t for t in site.towns if self.by_town.get(t)]
        self.categories = [c for c in site.categories if self.by_category.get(c)]
        self.honour_years = sorted({h.year for t in self.teams for h in t.honours}, reverse=True)

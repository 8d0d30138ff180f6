"""The team and studio pages: directories, filters, records, honour lists.

Every record page exists in every language at the same path; a text that
has no translation is shown in the language it has (and marked so by the
``tr`` helper of the templates).
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

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
    Pagination,
    article_card,
    article_url,
    page_path,
    pagination,
    same_everywhere,
)
from sitegen.core.plan_stats import Stats
from sitegen.core.plan_timeline import TimelinePlanner, YearGroup

# A record page shows its latest reports and events; past these, the
# reports go on a list of their own (``/teams/<id>/news/``), so that the
# page of a team in the news for years stays light on a phone.
RECORD_NEWS = 20
RECORD_EVENTS = 30

# A directory of more teams than this lists the towns and categories with
# their counts, and the teams on each town's and category's pages, which
# are numbered past TEAMS_PAGE teams.
TEAMS_INLINE = 60
TEAMS_PAGE = 50
STUDIOS_PAGE = 50
# A year's honours go on over numbered pages past this many teams.
HONOURS_PAGE = 150


def finder_path(lang: str, config: SiteConfig) -> str:
    """The address of the team names for the finder of ``lang``'s directory
    (written by finder.py)."""
    return f"{url_prefix(lang, config)}/teams/names.json"


class Listing(Protocol):
    """The planner's list of articles over numbered pages (plan.py)."""

    def __call__(
        self,
        lang: str,
        path: str,
        articles: Sequence[Article],
        *,
        section: str,
        title: str = "",
        sources: tuple[str, ...] = (),
        framing: str = "",
        back: Link | None = None,
    ) -> None: ...


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
    # a directory past TEAMS_INLINE teams: the page of every team lists
    # none, and offers the name finder (its list's address) instead
    finder_url: str = ""
    pagination: Pagination | None = None


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
    more: RecordMore | None = None


@dataclass(frozen=True, slots=True)
class RecordMore:
    """What a record page leaves out: all its reports are on ``news_url``."""

    news_total: int
    news_url: str  # "" when every report is on the record's page
    events_total: int
    events_shown: int


@dataclass(frozen=True, slots=True)
class HonourGroup:
    title: Text
    by: Text
    article: Link | None
    teams: tuple[TeamCard, ...]  # those on this page
    total: int = 0  # teams given it, on every page
    continued: bool = False  # from the page before


@dataclass(frozen=True, slots=True)
class HonourYearView:
    year: int
    groups: tuple[HonourGroup, ...]
    years: tuple[Link, ...]
    directory_url: str
    pagination: Pagination | None = None


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
    charts: tuple[Chart, ...] = ()  # on the first page
    total: int = 0
    pagination: Pagination | None = None


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
    more: RecordMore | None = None


def plan_records(
    site: Site,
    config: SiteConfig,
    lang: str,
    add: Callable[[Page], None],
    timeline: TimelinePlanner,
    listing: Listing,
) -> None:
    """Add every team and studio page in ``lang``."""
    _RecordPlanner(site, config, lang, add, timeline, listing).run()


class _RecordPlanner:
    def __init__(
        self,
        site: Site,
        config: SiteConfig,
        lang: str,
        add: Callable[[Page], None],
        timeline: TimelinePlanner,
        listing: Listing,
    ) -> None:
        self.timeline = timeline
        self.listing = listing
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

    def news(self, record: str) -> list[Article]:
        """The reports naming ``record``, newest first, each in this
        language where it has one."""
        found = (self.article(key) for key in self.site.mentions.get(record, ()))
        return [a for a in found if a is not None]

    def latest(
        self, record: str, path: str, name: Text, source: str
    ) -> tuple[tuple[ArticleCard, ...], tuple[YearGroup, ...], RecordMore | None]:
        """A record page's latest reports and events, and what it leaves
        out; past RECORD_NEWS reports, they all go on ``path``news/."""
        news = self.news(record)
        events, events_total = self.timeline.for_record(record, RECORD_EVENTS)
        cards = tuple(article_card(a, self.config) for a in news[:RECORD_NEWS])
        if len(news) <= RECORD_NEWS and events_total <= RECORD_EVENTS:
            return cards, events, None
        news_url = ""
        if len(news) > RECORD_NEWS:
            news_url = f"{self.prefix}{path}news/"
            self.listing(
                self.lang, f"{path}news/", news, section=path.split("/")[1],
                title=self.name(name), sources=(source, *(a.path for a in news)),
                framing="news_about", back=Link(self.prefix + path, self.name(name)),
            )  # fmt: skip
        shown = min(events_total, RECORD_EVENTS)
        return cards, events, RecordMore(len(news), news_url, events_total, shown)

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
        of each category. Past TEAMS_INLINE teams, the page of every team
        lists the towns and categories and offers the name finder, and the
        other pages are numbered past TEAMS_PAGE teams."""
        found = _Teams(self.site)
        sources = [t.path for t in found.teams]
        large = len(found.teams) > TEAMS_INLINE
        everyone = self.directory_view(found, [] if large else found.teams, "", "", None)
        charts = (self.stats.teams_by_town(), self.stats.teams_by_category())
        everyone = dataclasses.replace(
            everyone,
            charts=tuple(c for c in charts if c),
            total=len(found.teams),
            finder_url=finder_path(self.lang, self.config) if large else "",
        )
        self.add(self.page("/teams/", "teams.html", "", "teams", everyone, sources))
        for town in found.towns:
            named = self.site.towns[town]
            self.filtered(found, "town", town, named.name, found.by_town[town], large, sources)
        for category in found.categories:
            named_category = self.site.categories[category]
            shown = found.by_category[category]
            self.filtered(found, "category", category, named_category.name, shown, large, sources)

    def filtered(
        self,
        found: _Teams,
        kind: str,
        key: str,
        name: Text,
        shown: list[Team],
        large: bool,
        sources: list[str],
    ) -> None:
        """The teams of a town or category, TEAMS_PAGE to a page in a
        large directory."""
        path = f"/teams/{kind}/{key}/"
        size = TEAMS_PAGE if large else max(1, len(shown))
        count = max(1, -(-len(shown) // size))
        title = self.name(name)
        for number in range(1, count + 1):
            chunk = shown[(number - 1) * size : number * size]
            view = dataclasses.replace(
                self.directory_view(found, chunk, kind, key, name),
                total=len(shown),
                pagination=pagination(self.prefix + path, number, count) if count > 1 else None,
            )
            page = self.page(page_path(path, number), "teams.html", title, "teams", view, sources)
            self.add(page)

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
        news, timeline, more = self.latest(record, f"/teams/{team.id}/", team.name, team.path)
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
            news=news,
            directory_url=f"{self.prefix}/teams/",
            timeline=timeline,
            more=more,
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
                    len(members),
                )
                for (title, by, article), members in sorted(
                    grouped.items(), key=lambda item: (-len(item[1]), self.name(item[0][0]))
                )
            )
            path = f"/teams/honours/{year}/"
            chunks = _honour_pages(groups)
            count = len(chunks)
            for number, chunk in enumerate(chunks, 1):
                view = HonourYearView(
                    year,
                    chunk,
                    tuple(Link(x.url, x.label, x.label == str(year)) for x in links),
                    f"{self.prefix}/teams/",
                    pagination(self.prefix + path, number, count) if count > 1 else None,
                )
                sources = [t.path for t in teams]
                where = page_path(path, number)
                self.add(self.page(where, "honours.html", str(year), "teams", view, sources))

    # -- studios ---------------------------------------------------------

    def studio_directory(self) -> None:
        """The studios, STUDIOS_PAGE to a page."""
        studios = list(self.site.studios.values())
        cards = tuple(StudioCard(f"{self.prefix}/studios/{s.id}/", s) for s in studios)
        charts = tuple(c for c in (self.stats.studio_reports(),) if c)
        count = max(1, -(-len(cards) // STUDIOS_PAGE))
        for number in range(1, count + 1):
            view = StudioDirectoryView(
                cards[(number - 1) * STUDIOS_PAGE : number * STUDIOS_PAGE],
                charts if number == 1 else (),
                len(cards),
                pagination(self.prefix + "/studios/", number, count) if count > 1 else None,
            )
            path = page_path("/studios/", number)
            sources = [s.path for s in studios]
            self.add(self.page(path, "studios.html", "", "studios", view, sources))

    def studio(self, studio: Studio) -> None:
        record = f"studios/{studio.id}"
        path = f"/studios/{studio.id}/"
        news, timeline, more = self.latest(record, path, studio.name, studio.path)
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
            news=news,
            directory_url=f"{self.prefix}/studios/",
            timeline=timeline,
            more=more,
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


def _honour_pages(groups: tuple[HonourGroup, ...]) -> list[tuple[HonourGroup, ...]]:
    """A year's honours cut into pages of HONOURS_PAGE teams; an honour
    whose teams go on to the next page is named there again, continued."""
    pages: list[tuple[HonourGroup, ...]] = []
    page: list[HonourGroup] = []
    room = HONOURS_PAGE
    for group in groups:
        teams, continued = group.teams, False
        while teams:
            page.append(dataclasses.replace(group, teams=teams[:room], continued=continued))
            teams, room, continued = teams[room:], room - len(teams[:room]), True
            if room == 0:
                pages.append(tuple(page))
                page, room = [], HONOURS_PAGE
    if page or not pages:
        pages.append(tuple(page))
    return pages


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

"""The timeline pages: latest events, each year by month, and a page per kind
and per town so that filtering works without JavaScript.

No page grows with the archive: a month, kind or town with more than
PAGE_EVENTS events goes on over numbered pages (the first keeps the plain
address), and a year with more than that shows each month's count and
latest events, each month being a page of its own (``/timeline/2020/04/``).

Also the event lists other pages show: a record's own history, and the home
page's coming and latest events relative to the build date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sitegen.core.charts import Chart
from sitegen.core.config import SiteConfig
from sitegen.core.i18n import format_month, format_when, month_name, url_prefix, when_attribute
from sitegen.core.model import EVENT_KINDS, Event, Site, Text, When
from sitegen.core.pages import (
    FilterLink,
    Link,
    Page,
    Pagination,
    article_url,
    page_path,
    pagination,
    same_everywhere,
)
from sitegen.core.plan_stats import Stats

LATEST_EVENTS = 30
HOME_EVENTS = 3
PAGE_EVENTS = 50  # events on a page of a month, kind or town; more go on the next page
# An event naming many teams weighs more on a phone: each team it names
# past the first counts as this much of an event towards PAGE_EVENTS.
RECORD_WEIGHT = 0.2
MONTH_PREVIEW = 3  # latest events of each month on the page of a busy year


@dataclass(frozen=True, slots=True)
class EventItem:
    event: Event
    date_text: str
    datetime: str  # for <time datetime>
    link: Link | None  # the article, in this language if it has one
    link_lang: str
    records: tuple[Link, ...]
    town: Text | None


@dataclass(frozen=True, slots=True)
class MonthGroup:
    label: str  # "2020年4月"; for events known only to the year, the year
    items: tuple[EventItem, ...]


@dataclass(frozen=True, slots=True)
class YearGroup:
    year: int
    url: str
    months: tuple[MonthGroup, ...]


@dataclass(frozen=True, slots=True)
class MonthSummary:
    """A month on the page of a busy year: how many events, the latest ones."""

    label: str
    url: str
    count: int
    items: tuple[EventItem, ...]


@dataclass(frozen=True, slots=True)
class TimelineView:
    heading: str  # UI string key
    heading_args: tuple[tuple[str, str], ...]
    years: tuple[YearGroup, ...]
    kinds: tuple[FilterLink, ...]
    towns: tuple[FilterLink, ...]
    year_links: tuple[Link, ...]
    total: int
    all_url: str
    filtering: str  # "all" on the page that filters in place; else the filter shown
    calendar_url: str
    charts: tuple[Chart, ...] = ()  # on the first page only
    months: tuple[MonthSummary, ...] = ()  # a busy year: its months, not all its events
    pagination: Pagination | None = None
    month_links: tuple[Link, ...] = ()  # a year's months, on its page and its months' pages
    indexed: bool = False  # the page search indexes the events of: each event once
    current: str = ""  # the filter shown ("kind:meeting", "year:2020"), "" for all


@dataclass(frozen=True, slots=True)
class HomeEvents:
    upcoming: tuple[EventItem, ...]
    latest: tuple[EventItem, ...]
    timeline_url: str


class TimelinePlanner:
    """Event items and timeline pages in one language."""

    def __init__(self, site: Site, config: SiteConfig, lang: str) -> None:
        self.site = site
        self.config = config
        self.lang = lang
        self.prefix = url_prefix(lang, config)
        self._by_record: dict[str, list[Event]] | None = None
        self._items: dict[int, EventItem] = {}  # by id() of the event, which the site keeps

    def item(self, event: Event) -> EventItem:
        """The event as the timelines show it; made once, shown on several pages."""
        made = self._items.get(id(event))
        if made is None:
            made = self._items[id(event)] = self._make_item(event)
        return made

    def _make_item(self, event: Event) -> EventItem:
        link, link_lang = None, ""
        versions = self.site.translations.get(event.article, {})
        if versions:
            article = versions.get(self.lang) or next(
                versions[lang] for lang in self.config.languages if lang in versions
            )
            link = Link(article_url(article, article.lang, self.config), article.title)
            link_lang = article.lang
        records = []
        for record in event.records:
            kind, _, record_id = record.partition("/")
            known = self.site.teams if kind == "teams" else self.site.studios
            if record_id in known:
                name = known[record_id].name.get(self.lang, self.config.default_language)
                records.append(Link(f"{self.prefix}/{kind}/{record_id}/", name))
        town = self.site.towns.get(event.town)
        return EventItem(
            event=event,
            date_text=format_when(event.when, self.lang),
            datetime=when_attribute(event.when),
            link=link,
            link_lang=link_lang,
            records=tuple(records),
            town=town.name if town else None,
        )

    def grouped(self, events: Iterable[Event]) -> tuple[YearGroup, ...]:
        """Events (newest first) by year, then by month."""
        years: dict[int, dict[tuple[int, int], list[EventItem]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for event in events:
            start = event.when.start
            month = 0 if event.when.precision == "year" else start.month
            years[start.year][(start.year, month)].append(self.item(event))
        return tuple(
            YearGroup(
                year,
                f"{self.prefix}/timeline/{year}/",
                tuple(
                    MonthGroup(
                        format_month(y, m, self.lang)
                        if m
                        else format_when(When(dt.date(y, 1, 1), "year"), self.lang),
                        tuple(items),
                    )
                    for (y, m), items in sorted(months.items(), reverse=True)
                ),
            )
            for year, months in sorted(years.items(), reverse=True)
        )

    def for_record(self, record: str, limit: int) -> tuple[tuple[YearGroup, ...], int]:
        """The latest ``limit`` events naming ``record``, and how many name it."""
        if self._by_record is None:
            self._by_record = defaultdict(list)
            for event in self.site.events:
                for named in dict.fromkeys(event.records):
                    self._by_record[named].append(event)
        events = self._by_record.get(record, [])
        return self.grouped(events[:limit]), len(events)

    def home(self, today: dt.date) -> HomeEvents:
        coming = [e for e in self.site.events if e.when.start > today]
        past = [e for e in self.site.events if e.when.start <= today]
        return HomeEvents(
            upcoming=tuple(self.item(e) for e in reversed(coming[-HOME_EVENTS:])),
            latest=tuple(self.item(e) for e in past[:HOME_EVENTS]),
            timeline_url=f"{self.prefix}/timeline/",
        )

    def pages(self, add: Callable[[Page], None]) -> None:
        """The timeline's pages: the latest events, and those of each year,
        kind and town."""
        events = self.site.events
        groups = _Groups(events, self.site.towns)
        sources = tuple(sorted({e.source for e in events}))
        latest = list(events[:LATEST_EVENTS])
        shown = "all" if len(latest) == len(events) else "latest"
        first = self.view(groups, latest, "timeline", {}, shown)
        charts = (Stats(self.site, self.config, self.lang).events_by_month(),)
        first = dataclasses.replace(first, charts=tuple(c for c in charts if c))
        add(self.page("/timeline/", "", first, sources))
        for year, in_year in groups.by_year.items():
            self.year(groups, year, in_year, add)
        for kind in groups.kinds:
            self.paged(
                f"/timeline/kind/{kind}/", kind, groups, groups.by_kind[kind],
                ("timeline_kind", {"kind": kind}, "kind", f"kind:{kind}"), add,
            )  # fmt: skip
        for town in groups.towns:
            name = self.site.towns[town].name.get(self.lang, self.config.default_language)
            self.paged(
                f"/timeline/town/{town}/", name, groups, groups.by_town[town],
                ("timeline_town", {"town": name}, "town", f"town:{town}"), add,
            )  # fmt: skip

    def year(
        self, groups: _Groups, year: int, events: list[Event], add: Callable[[Page], None]
    ) -> None:
        """A year's page, and a page (or pages) for each of its months. A
        busy year's page shows its months; the events known only to the
        year are shown in full on it."""
        by_month: dict[int, list[Event]] = defaultdict(list)
        for event in events:
            by_month[0 if event.when.precision == "year" else event.when.start.month].append(event)
        months = sorted((m for m in by_month if m), reverse=True)
        base = f"{self.prefix}/timeline/{year}"
        # the year is plain from the page: the chips say 4月, the rest 2020年4月
        month_links = tuple(Link(f"{base}/{m:02}/", month_name(m, self.lang)) for m in months)
        named = {m: format_month(year, m, self.lang) for m in months}
        label = str(year)
        setting = ("timeline_year", {"year": label}, "year", f"year:{year}")
        busy = len(events) > PAGE_EVENTS
        if not busy:
            view = dataclasses.replace(self.view(groups, events, *setting), indexed=True)
        else:
            view = self.view(groups, by_month.get(0, []), *setting)
            view = dataclasses.replace(
                view,
                total=len(events),
                months=tuple(
                    MonthSummary(
                        named[m],
                        link.url,
                        len(by_month[m]),
                        tuple(self.item(e) for e in by_month[m][:MONTH_PREVIEW]),
                    )
                    for m, link in zip(months, month_links, strict=True)
                ),
            )
        view = dataclasses.replace(view, month_links=month_links)
        add(self.page(f"/timeline/{year}/", label, view, _sources(events)))
        for m in months:
            self.paged(
                f"/timeline/{year}/{m:02}/", named[m], groups, by_month[m],
                ("timeline_month", {"month": named[m]}, "month", f"year:{year}"), add,
                month_links=month_links, indexed=busy,
            )  # fmt: skip

    def paged(
        self,
        path: str,
        title: str,
        groups: _Groups,
        events: list[Event],
        setting: tuple[str, dict[str, str], str, str],
        add: Callable[[Page], None],
        month_links: tuple[Link, ...] = (),
        indexed: bool = False,
    ) -> None:
        """The events at ``path``, about PAGE_EVENTS to a page: the first at
        ``path``, the others at ``path``page/2/ and on."""
        chunks = _chunks(events)
        count = len(chunks)
        for number, shown in enumerate(chunks, 1):
            view = dataclasses.replace(
                self.view(groups, shown, *setting),
                total=len(events),
                pagination=pagination(self.prefix + path, number, count) if count > 1 else None,
                month_links=tuple(
                    Link(link.url, link.label, link.url == self.prefix + path)
                    for link in month_links
                ),
                indexed=indexed,
            )
            add(self.page(page_path(path, number), title, view, _sources(shown)))

    def view(
        self,
        groups: _Groups,
        shown: list[Event],
        heading: str,
        args: dict[str, str],
        filtering: str,
        current: str = "",
    ) -> TimelineView:
        """A timeline page's events, with the links to every year, kind and
        town (``current`` marks the one shown)."""
        timeline = f"{self.prefix}/timeline"
        return TimelineView(
            heading=heading,
            heading_args=tuple(args.items()),
            years=self.grouped(shown),
            kinds=tuple(
                FilterLink(
                    f"{timeline}/kind/{k}/",
                    Text.plain(k),
                    len(groups.by_kind[k]),
                    current == f"kind:{k}",
                    f"kind:{k}",
                )
                for k in groups.kinds
            ),
            towns=tuple(
                FilterLink(
                    f"{timeline}/town/{t}/",
                    self.site.towns[t].name,
                    len(groups.by_town[t]),
                    current == f"town:{t}",
                    f"town:{t}",
                )
                for t in groups.towns
            ),
            year_links=tuple(
                Link(f"{timeline}/{y}/", str(y), current == f"year:{y}")
                for y in sorted(groups.by_year, reverse=True)
            ),
            total=len(shown),
            all_url=f"{timeline}/",
            filtering=filtering,
            calendar_url=f"{self.prefix}/events.ics",
            current=current,
        )

    def page(self, path: str, title: str, timeline: TimelineView, sources: tuple[str, ...]) -> Page:
        url = self.prefix + path
        return Page(
            url=url,
            template="timeline.html",
            lang=self.lang,
            title=title,
            description=self.config.description.get(self.lang),
            section="timeline",
            view=timeline,
            languages=same_everywhere(path, self.config),
            canonical=url,
            sources=sources,
        )


def _chunks(events: list[Event]) -> list[list[Event]]:
    """``events`` cut into pages of PAGE_EVENTS, an event that names
    more than one record counting for more (RECORD_WEIGHT for each other);
    always one page at least."""
    chunks: list[list[Event]] = [[]]
    weight = 0.0
    for event in events:
        add = 1 + RECORD_WEIGHT * max(0, len(event.records) - 1)
        if chunks[-1] and weight + add > PAGE_EVENTS:
            chunks.append([])
            weight = 0.0
        chunks[-1].append(event)
        weight += add
    return chunks


def _sources(events: Iterable[Event]) -> tuple[str, ...]:
    return tuple(sorted({e.source for e in events}))


class _Groups:
    """A site's events by kind, town and year, and the kinds and towns
    that have any, in the order they are listed."""

    def __init__(self, events: Iterable[Event], towns: Iterable[str]) -> None:
        self.by_kind: dict[str, list[Event]] = defaultdict(list)
        self.by_town: dict[str, list[Event]] = defaultdict(list)
        self.by_year: dict[int, list[Event]] = defaultdict(list)
        for event in events:
            self.by_kind[event.kind].append(event)
            self.by_town[event.town].append(event)
            self.by_year[event.when.start.year].append(event)
        self.kinds = [k for k in EVENT_KINDS if self.by_kind.get(k)]
        self.towns = [t for t in towns if self.by_town.get(t)]

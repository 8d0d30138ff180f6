"""Every page of the site: its address, template, language and what it shows.

``plan`` decides, ``render`` only draws. This module plans the news, topic,
home and error pages and checks that no two pages share an address; the
team and studio pages are planned by ``plan_records``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from sitegen.core.admin import admin_copies
from sitegen.core.config import SiteConfig
from sitegen.core.diagnostics import Diagnostics
from sitegen.core.i18n import format_date, url_prefix
from sitegen.core.images import Variant
from sitegen.core.model import Article, Event, Image, Site, Text
from sitegen.core.pages import (
    ArticleCard,
    LanguageLink,
    Link,
    Page,
    Pagination,
    Plan,
    ShareImage,
    article_card,
    article_url,
    check_addresses,
    page_path,
    pagination,
    same_everywhere,
    square_logo,
)
from sitegen.core.plan_records import plan_records
from sitegen.core.plan_stats import Stats
from sitegen.core.plan_timeline import EventItem, HomeEvents, TimelinePlanner
from sitegen.core.related import RELATED, RelatedReports
from sitegen.core.text import reading_minutes

HOME_LATEST = 6


@dataclass(frozen=True, slots=True)
class SeriesBox:
    """Where an article stands in its series (本专题)."""

    series: Link  # the series' page
    number: int  # its place in the series, from 1; 0 when it is off the lists (expired)
    count: int
    previous: Link | None
    next: Link | None


@dataclass(frozen=True, slots=True)
class ArticleView:
    article: Article
    date_text: str
    reading_minutes: int
    tags: tuple[Link, ...]
    images: tuple[Image, ...]
    newer: Link | None
    older: Link | None
    teams: tuple[Link, ...] = ()  # the records the article concerns
    studios: tuple[Link, ...] = ()
    bylines: tuple[tuple[str, str], ...] = ()  # (role, name in the page's language)
    updated_text: str = ""  # the day it was corrected, written out
    scheduled: bool = False  # dated after the build date (a preview, or --future)
    expired: str = ""  # the day it was valid until, written out, once that day is past
    series: SeriesBox | None = None
    related: tuple[ArticleCard, ...] = ()  # reports to read next, most related first
    # the events it announces (dated after it), each with whether it has ended
    announced: tuple[tuple[EventItem, bool], ...] = ()


@dataclass(frozen=True, slots=True)
class ListView:
    heading: str  # a UI string key, or "" when ``heading_text`` is given
    heading_text: str
    items: tuple[ArticleCard, ...]
    pagination: Pagination | None
    years: tuple[Link, ...] = ()
    total: int = 0
    intro: str = ""  # a paragraph under the heading (a series' summary)
    # a UI string key that frames ``heading_text`` ("topic_named": 标签：…)
    framing: str = ""
    start: int = 0  # the number of the first item, for a numbered list; 0: not numbered
    back: Link | None = None  # the page the list belongs to (a team's), above the heading


@dataclass(frozen=True, slots=True)
class TagCount:
    link: Link
    count: int


@dataclass(frozen=True, slots=True)
class TagIndexView:
    tags: tuple[TagCount, ...]
    series: tuple[TagCount, ...] = ()


@dataclass(frozen=True, slots=True)
class SeriesItem:
    link: Link
    summary: str
    count: int
    first: str  # the first and the last report's dates, written out
    last: str


@dataclass(frozen=True, slots=True)
class SeriesIndexView:
    series: tuple[SeriesItem, ...]


@dataclass(frozen=True, slots=True)
class HomeView:
    latest: tuple[ArticleCard, ...]
    total: int
    teams: int
    studios: int
    events: HomeEvents


@dataclass(frozen=True, slots=True)
class MissingView:
    """The other-language twin of a page that has not been translated."""

    original: Link
    original_lang: str


@dataclass(frozen=True, slots=True)
class NotFoundView:
    home_links: tuple[LanguageLink, ...]


def plan_site(
    site: Site,
    config: SiteConfig,
    diagnostics: Diagnostics,
    today: dt.date,
    out: Callable[[list[Page]], None] | None = None,
    batch: int = 1_000,
) -> Plan:
    """Every page of ``site``; ``today`` is the build date, which decides
    which events the home page shows as coming, which articles are pinned
    on top and which have expired.

    With ``out``, the pages are handed to it ``batch`` at a time,
    in the order they are planned, and not kept: a large site's pages are
    then never all in memory, and the plan returned has none."""
    planner = _Planner(site, config, today, out, batch)
    for lang in config.languages:
        timeline = TimelinePlanner(site, config, lang)
        planner.home(lang, timeline.home(today))
        planner.news(lang)
        planner.articles(lang, timeline)
        planner.tags(lang)
        planner.series(lang)
        plan_records(site, config, lang, planner.add, timeline, planner.listing)
        planner.add(Stats(site, config, lang).page())
        planner.search(lang)
        timeline.pages(planner.add)
        planner.not_found(lang)
    return planner.finish(diagnostics)


class _Planner:
    def __init__(
        self,
        site: Site,
        config: SiteConfig,
        today: dt.date,
        out: Callable[[list[Page]], None] | None = None,
        batch: int = 1_000,
    ) -> None:
        self.site = site
        self.config = config
        self.today = today
        self.out = out
        self.batch = batch
        self.pages: list[Page] = []
        # each page's output path, first source and url: kept for the checks at the end
        self.placed: list[tuple[str, str, str]] = []
        self.files: dict[str, str] = {}
        if config.identity.logo:  # published under a name of its own, whatever it is called
            self.files[config.identity.logo_url.lstrip("/")] = config.identity.logo
        if config.admin is not None:  # the browser editor, where the site has one
            self.files.update({out: str(path) for out, path in admin_copies().items()})
        self.images: dict[str, tuple[str, Variant]] = {}
        logo_square = square_logo(config)
        if logo_square is not None:  # the logo, square, for shared links of the other pages
            self.images[logo_square.name] = (config.identity.logo, logo_square)
        self.cards: dict[str, ArticleCard] = {}  # by the article's source file
        self.by_lang: dict[str, list[Article]] = defaultdict(list)
        # the articles the lists show: not those whose expiry date is past
        self.listed: dict[str, list[Article]] = defaultdict(list)
        for article in site.articles:
            self.by_lang[article.lang].append(article)
            if not self.expired(article):
                self.listed[article.lang].append(article)
        self.related = RelatedReports(site, config.languages, today)
        # the events each article announces: those of its ``events:`` dated after it
        self.announced: dict[str, list[Event]] = defaultdict(list)
        for event in reversed(site.events):  # the soonest first
            versions = site.translations.get(event.article)
            written = next(iter(versions.values())).date if versions else dt.date.max
            if event.id.startswith("news-") and event.when.start > written:
                self.announced[event.article].append(event)
        # each language's series: the listed reports of each, oldest first
        self.in_series: dict[str, dict[str, list[Article]]] = defaultdict(dict)
        self.place: dict[str, int] = {}  # an article's place in its series, by source file
        for lang, articles in self.listed.items():
            grouped = self.in_series[lang]
            for article in articles:
                if article.series:
                    grouped.setdefault(article.series, []).append(article)
            for reports in grouped.values():
                reports.sort(key=lambda a: (a.date, a.key))
                self.place.update((a.path, index) for index, a in enumerate(reports))

    def pinned(self, article: Article) -> bool:
        """Whether ``article`` is on top of its lists on the build date."""
        return article.pinned_until is not None and self.today <= article.pinned_until

    def expired(self, article: Article) -> bool:
        return article.expired(self.today)

    def pinned_first(self, articles: Sequence[Article]) -> list[Article]:
        """``articles`` with those pinned on the build date first, in order."""
        pinned = [a for a in articles if self.pinned(a)]
        if not pinned:
            return list(articles)
        on_top = {id(a) for a in pinned}
        return pinned + [a for a in articles if id(a) not in on_top]

    # -- helpers ---------------------------------------------------------

    def prefix(self, lang: str) -> str:
        return url_prefix(lang, self.config)

    def same_everywhere(self, path: str, lang: str) -> tuple[LanguageLink, ...]:
        return same_everywhere(path, self.config)

    def record_name(self, name: Text, lang: str) -> str:
        return name.get(lang, self.config.default_language)

    def card(self, article: Article) -> ArticleCard:
        """``article``'s card, made once: it is on a page of the news, of
        its year and of each of its tags."""
        found = self.cards.get(article.path)
        if found is None:
            found = article_card(article, self.config)
            if article.date > self.today:
                found = replace(found, scheduled=True)
            self.cards[article.path] = found
        return found

    def cards_of(
        self, articles: Sequence[Article], pinned: bool = False
    ) -> tuple[ArticleCard, ...]:
        """The cards of ``articles``; where ``pinned``, those pinned are marked."""
        cards = tuple(self.card(a) for a in articles)
        if not pinned:
            return cards
        return tuple(
            replace(card, pinned=True) if self.pinned(a) else card
            for a, card in zip(articles, cards, strict=True)
        )

    def add(self, page: Page) -> None:
        self.pages.append(page)
        self.placed.append((page.output_path, page.sources[0] if page.sources else "", page.url))
        if self.out is not None and len(self.pages) >= self.batch:
            self.out(self.pages)
            self.pages = []

    def listing(
        self,
        lang: str,
        path: str,
        articles: Sequence[Article],
        *,
        section: str,
        heading: str = "",
        title: str = "",
        years: tuple[Link, ...] = (),
        sources: tuple[str, ...] = (),
        pinned: bool = False,
        intro: str = "",
        numbered: bool = False,
        framing: str = "",
        back: Link | None = None,
    ) -> None:
        """List pages of ``articles`` at ``path``, ``path/page/2/``, …

        ``heading`` is a UI string key; ``title`` a literal heading (a year,
        a tag name) that is also the page title.
        """
        per_page = self.config.news_per_page
        count = max(1, math.ceil(len(articles) / per_page))
        prefix = self.prefix(lang)
        for number in range(1, count + 1):
            chunk = articles[(number - 1) * per_page : number * per_page]
            view = ListView(
                heading,
                title,
                self.cards_of(chunk, pinned),
                pagination(prefix + path, number, count) if count > 1 else None,
                years,
                len(articles),
                intro=intro,
                start=(number - 1) * per_page + 1 if numbered else 0,
                framing=framing,
                back=back,
            )
            url = prefix + page_path(path, number)
            languages = tuple(
                LanguageLink(other, url if other == lang else self.prefix(other) + path, True)
                for other in self.config.languages
            )
            self.add(
                Page(
                    url=url,
                    template="list.html",
                    lang=lang,
                    title=title,
                    description=self.config.description.get(lang),
                    section=section,
                    view=view,
                    languages=languages,
                    canonical=url,
                    sources=sources or tuple(a.path for a in chunk),
                )
            )

    # -- pages -----------------------------------------------------------

    def home(self, lang: str, events: HomeEvents) -> None:
        articles = self.pinned_first(self.listed[lang])
        self.add(
            Page(
                url=f"{self.prefix(lang)}/",
                template="home.html",
                lang=lang,
                title="",
                description=self.config.description.get(lang),
                section="home",
                view=HomeView(
                    self.cards_of(articles[:HOME_LATEST], pinned=True),
                    len(articles),
                    len(self.site.teams),
                    len(self.site.studios),
                    events,
                ),
                languages=self.same_everywhere("/", lang),
                canonical=f"{self.prefix(lang)}/",
                sources=tuple(a.path for a in articles[:HOME_LATEST]),
            )
        )

    def news(self, lang: str) -> None:
        articles = self.listed[lang]
        all_years = sorted({a.date.year for a in self.site.articles}, reverse=True)
        years = tuple(Link(f"{self.prefix(lang)}/news/{y}/", str(y)) for y in all_years)
        self.listing(
            lang, "/news/", self.pinned_first(articles), section="news", heading="news",
            years=years, pinned=True,
        )  # fmt: skip
        for year in all_years:
            self.listing(
                lang,
                f"/news/{year}/",
                [a for a in articles if a.date.year == year],
                section="news",
                title=str(year),
                years=tuple(Link(y.url, y.label, y.label == str(year)) for y in years),
                framing="news_of_year",
            )

    def articles(self, lang: str, timeline: TimelinePlanner) -> None:
        """Each article's page in ``lang``, with the files of its folder,
        and a page saying it is not yet translated where a language lacks it."""
        articles = self.by_lang[lang]
        for index, article in enumerate(articles):
            newer = articles[index - 1] if index > 0 else None
            older = articles[index + 1] if index + 1 < len(articles) else None
            url = article_url(article, lang, self.config)
            twins = self.site.translations[article.key]
            self.add(
                Page(
                    url=url,
                    template="article.html",
                    lang=lang,
                    title=article.title,
                    description=article.summary,
                    section="news",
                    view=self.article_view(article, lang, newer, older, timeline),
                    languages=tuple(
                        LanguageLink(
                            other, article_url(article, other, self.config), other in twins
                        )
                        for other in self.config.languages
                    ),
                    canonical=None if self.expired(article) else url,  # noindex
                    sources=(article.path,),
                    image=_share_image(article, url),
                    square=_square_image(article, url),
                    lastmod=article.last_changed,
                )
            )
            if article.bundle_dir:
                self.folder_files(article)
            for other in self.config.languages:
                if other not in twins and _original_lang(twins, self.config) == lang:
                    self.missing(article, other)

    def article_view(
        self,
        article: Article,
        lang: str,
        newer: Article | None,
        older: Article | None,
        timeline: TimelinePlanner,
    ) -> ArticleView:
        """What an article's page shows besides the article: its date, tags,
        records, series, the events it announces, related reports and the
        articles before and after it."""
        prefix = self.prefix(lang)
        teams, studios = self.site.teams, self.site.studios
        return ArticleView(
            article=article,
            date_text=format_date(article.date, lang),
            reading_minutes=reading_minutes(article.text_length, lang),
            tags=tuple(
                Link(f"{prefix}/tags/{t}/", self.site.tags[t].name.get(lang)) for t in article.tags
            ),
            images=article.images,
            newer=Link(article_url(newer, lang, self.config), newer.title) if newer else None,
            older=Link(article_url(older, lang, self.config), older.title) if older else None,
            teams=tuple(
                Link(f"{prefix}/teams/{t}/", self.record_name(teams[t].name, lang))
                for t in article.teams
                if t in teams
            ),
            studios=tuple(
                Link(f"{prefix}/studios/{s}/", self.record_name(studios[s].name, lang))
                for s in article.studios
                if s in studios
            ),
            bylines=tuple(
                (role, name.get(lang, self.config.default_language))
                for role, name in article.bylines
            ),
            updated_text=format_date(article.updated, lang)
            if article.updated and article.last_changed > article.date
            else "",
            scheduled=article.date > self.today,
            expired=format_date(article.expires, lang)
            if article.expires and self.expired(article)
            else "",
            series=self.series_box(article, lang),
            related=self.related_cards(article, lang),
            announced=tuple(
                (timeline.item(e), e.when.last_day < self.today)
                for e in self.announced.get(article.key, ())
            ),
        )

    def related_cards(self, article: Article, lang: str) -> tuple[ArticleCard, ...]:
        """The cards of up to RELATED reports related to ``article`` that
        are in ``lang``."""
        cards: list[ArticleCard] = []
        for key in self.related.of(article.key, 2 * RELATED):
            twin = self.site.translations[key].get(lang)
            if twin is not None:
                cards.append(self.card(twin))
                if len(cards) == RELATED:
                    break
        return tuple(cards)

    def series_box(self, article: Article, lang: str) -> SeriesBox | None:
        """Where ``article`` stands in its series, with its neighbours there."""
        entry = self.site.series.get(article.series)
        if entry is None:
            return None
        reports = self.in_series[lang].get(entry.id, [])
        link = Link(f"{self.prefix(lang)}/series/{entry.id}/", self.record_name(entry.name, lang))
        index = self.place.get(article.path)
        if index is None:  # expired: on no list
            return SeriesBox(link, 0, len(reports), None, None)

        def neighbour(at: int) -> Link | None:
            if not 0 <= at < len(reports):
                return None
            other = reports[at]
            return Link(article_url(other, lang, self.config), other.title)

        return SeriesBox(link, index + 1, len(reports), neighbour(index - 1), neighbour(index + 1))

    def folder_files(self, article: Article) -> None:
        """The files of an article's folder that it shows or links: its
        pictures, with the copies its page shows, and its attachments, each
        in its media folder, once, whichever language or article shows it
        first. A file nothing shows or links is not published."""
        used = set(article.used)
        for found in article.attachments:
            out = found.folder.lstrip("/") + found.file
            self.files.setdefault(out, f"{article.bundle_dir}/{found.name}")
        for pic in article.media:
            if pic.src not in used:
                continue
            source, out = f"{article.bundle_dir}/{pic.src}", pic.folder.lstrip("/")
            if pic.clean is not None:
                self.images.setdefault(out + pic.clean.name, (source, pic.clean))
            else:
                self.files.setdefault(out + pic.original, source)
        cover = article.cover.picture if article.cover else None
        for pic in article.pictures:
            source, out = f"{article.bundle_dir}/{pic.src}", pic.folder.lstrip("/")
            for variant in pic.variants:
                self.images.setdefault(out + variant.name, (source, variant))
            if pic.square is not None and cover is not None and cover.src == pic.src:
                self.images.setdefault(out + pic.square.name, (source, pic.square))

    def missing(self, original: Article, lang: str) -> None:
        url = article_url(original, lang, self.config)
        self.add(
            Page(
                url=url,
                template="missing.html",
                lang=lang,
                title=original.title,
                description=original.summary,
                section="news",
                view=MissingView(
                    Link(article_url(original, original.lang, self.config), original.title),
                    original.lang,
                ),
                languages=tuple(
                    LanguageLink(
                        other,
                        article_url(original, other, self.config),
                        other in self.site.translations[original.key],
                    )
                    for other in self.config.languages
                ),
                canonical=None,
                sources=(original.path,),
            )
        )

    def tags(self, lang: str) -> None:
        articles = self.listed[lang]
        tagged: dict[str, list[Article]] = defaultdict(list)
        for article in articles:
            for tag in article.tags:
                tagged[tag].append(article)
        used = sorted({t for a in self.site.articles for t in a.tags})
        counts = tuple(
            TagCount(
                Link(f"{self.prefix(lang)}/tags/{t}/", self.site.tags[t].name.get(lang)),
                len(tagged[t]),
            )
            for t in used
        )
        self.add(
            Page(
                f"{self.prefix(lang)}/tags/",
                "tags.html",
                lang,
                "",
                "",
                "tags",
                TagIndexView(
                    counts,
                    tuple(
                        TagCount(
                            Link(
                                f"{self.prefix(lang)}/series/{s.id}/",
                                self.record_name(s.name, lang),
                            ),
                            len(self.in_series[lang].get(s.id, ())),
                        )
                        for s in self.site.series.values()
                    ),
                ),
                self.same_everywhere("/tags/", lang),
                f"{self.prefix(lang)}/tags/",
            )
        )
        for tag_id in used:
            name = self.site.tags[tag_id].name.get(lang)
            self.listing(
                lang, f"/tags/{tag_id}/", tagged[tag_id], section="tags", title=name,
                framing="topic_named",
            )  # fmt: skip

    def series(self, lang: str) -> None:
        """The page of each series, its reports in order, and the page of
        all series, where a site has any."""
        if not self.site.series:
            return
        prefix = self.prefix(lang)
        items: list[SeriesItem] = []
        for entry in self.site.series.values():
            reports = self.in_series[lang].get(entry.id, [])
            name = self.record_name(entry.name, lang)
            path = f"/series/{entry.id}/"
            self.listing(
                lang,
                path,
                reports,
                section="tags",
                title=name,
                intro=entry.summary.get(lang, self.config.default_language),
                numbered=True,
                framing="series_named",
            )
            items.append(
                SeriesItem(
                    Link(prefix + path, name),
                    entry.summary.get(lang, self.config.default_language),
                    len(reports),
                    format_date(reports[0].date, lang) if reports else "",
                    format_date(reports[-1].date, lang) if reports else "",
                )
            )
        url = f"{prefix}/series/"
        self.add(
            Page(
                url,
                "series.html",
                lang,
                "",
                self.config.description.get(lang),
                "tags",
                SeriesIndexView(tuple(items)),
                self.same_everywhere("/series/", lang),
                url,
            )
        )

    def search(self, lang: str) -> None:
        url = f"{self.prefix(lang)}/search/"
        self.add(
            Page(
                url,
                "search.html",
                lang,
                "",
                self.config.description.get(lang),
                "search",
                None,
                self.same_everywhere("/search/", lang),
                url,
            )
        )

    def not_found(self, lang: str) -> None:
        url = f"{self.prefix(lang)}/404.html"
        self.add(
            Page(
                url,
                "404.html",
                lang,
                "",
                "",
                "",
                NotFoundView(
                    tuple(
                        LanguageLink(o, f"{self.prefix(o)}/", True) for o in self.config.languages
                    )
                ),
                self.same_everywhere("/404.html", lang),
                None,
            )
        )

    def finish(self, diagnostics: Diagnostics) -> Plan:
        if self.out is not None and self.pages:
            self.out(self.pages)
            self.pages = []
        check_addresses(self.placed, self.files, self.images, diagnostics)
        pages = sorted(self.pages, key=lambda p: p.output_path)
        return Plan(
            tuple(pages), dict(sorted(self.files.items())), dict(sorted(self.images.items()))
        )


def _share_image(article: Article, url: str) -> ShareImage | None:
    cover = article.cover
    pic = cover.picture if cover else None
    copy = pic.share() if pic else None
    if cover is None or pic is None or copy is None:
        return None
    path = pic.url(copy) if pic.folder else url + copy.name
    return ShareImage(path, copy.width, copy.height, cover.alt)


def _square_image(article: Article, url: str) -> ShareImage | None:
    """The square copy of the article's picture, for WeChat's and QQ's cards."""
    cover = article.cover
    pic = cover.picture if cover else None
    if cover is None or pic is None or pic.square is None:
        return None
    path = pic.url(pic.square) if pic.folder else url + pic.square.name
    return ShareImage(path, pic.square.width, pic.square.height, cover.alt)


def _original_lang(twins: dict[str, Article], config: SiteConfig) -> str:
    return next(lang for lang in config.languages if lang in twins)

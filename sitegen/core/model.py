"""The values the pipeline hands from stage to stage.

All are frozen dataclasses; relations between them are by key (an
article's stem, a tag's id), never by object, so each stage can be tested
on values built by hand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sitegen.core.attachments import Attachment
from sitegen.core.images import Picture


class Body:
    """An article's HTML body. Two bodies are equal when their texts are;
    a body is known by the digest of its text (the build cache's keys use
    it), so a subclass may keep the text elsewhere and read it when asked
    for."""

    __slots__ = ("_text", "digest")

    def __init__(self, text: str) -> None:
        self._text: str | None = text
        self.digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()

    @property
    def text(self) -> str:
        assert self._text is not None
        return self._text

    @property
    def written(self) -> bool:
        """Whether the text is kept out of memory (by a subclass)."""
        return False

    def held(self) -> Body:
        """This body with its text in memory."""
        return self

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Body) and other.digest == self.digest

    def __hash__(self) -> int:
        return hash(self.digest)

    def __repr__(self) -> str:  # the digest, not the text, which may be long or elsewhere
        return f"Body({self.digest.hex()})"


@dataclass(frozen=True, slots=True)
class Text:
    """Reader-facing text in one or more languages."""

    values: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, mapping: dict[str, str]) -> Text:
        return cls(tuple(sorted(mapping.items())))

    @classmethod
    def plain(cls, text: str) -> Text:
        return cls((("", text),))

    def get(self, lang: str, fallback: str = "") -> str:
        """The text in ``lang``, else in ``fallback``, else any text there is.
        (A walk through the few pairs: making a dict of them each time took
        most of the time of planning a record's pages.)"""
        values = self.values
        for key in (lang, "", fallback):
            for name, value in values:
                if name == key and value:
                    return value
        return next((v for _, v in values if v), "")

    def has(self, lang: str) -> bool:
        return any(value and name in (lang, "") for name, value in self.values)


# The people an article may name besides its source, in the usual order.
BYLINES = ("author", "photographer", "editor", "reviewer")


@dataclass(frozen=True, slots=True)
class Image:
    src: str
    alt: str
    caption: str = ""
    picture: Picture | None = None  # its size and copies; None if it is not a picture


@dataclass(frozen=True, slots=True)
class Article:
    """One language version of a news article, parsed and validated."""

    path: str  # source file, relative to the site folder
    stem: str  # pairs translations: the file name without language and suffix
    lang: str
    slug: str
    title: str
    date: dt.date
    summary: str
    source: str
    tags: tuple[str, ...]
    images: tuple[Image, ...]
    teams: tuple[str, ...]  # ids of the team records the article concerns
    studios: tuple[str, ...]
    draft: bool
    body: Body  # the HTML, in memory or kept elsewhere while a site is built
    text_length: int  # characters (Chinese) or words (other languages)
    assets: tuple[str, ...] = ()  # bundle files to copy beside the page
    pictures: tuple[Picture, ...] = ()  # every picture the page shows, body and front matter
    # every picture of its folder, as published under /media/ (see
    # sitegen.core.images): the full picture, cleaned or kept as it is
    media: tuple[Picture, ...] = ()
    attachments: tuple[Attachment, ...] = ()  # the files it links, in the order first linked
    used: tuple[str, ...] = ()  # the files of its folder it shows or links
    unused: tuple[str, ...] = ()  # those it could publish but neither shows nor links
    cover: Image | None = None  # the picture shown when the article is shared
    kind: str = ""  # event kind, from front matter (else from its tags)
    town: str = ""
    series: str = ""  # id of the series (专题) it is part of, in content/series.yaml
    events: tuple[EventDraft, ...] = ()
    links: tuple[tuple[int, int, str], ...] = ()  # (file line, column, href) of the body's links
    translated_from: str = ""  # the source revision a translation follows
    # who wrote it, took its photos, edited and reviewed it: (role, name), in
    # the order Chinese pages name them (see BYLINES)
    bylines: tuple[tuple[str, Text], ...] = ()
    # leads the home page and the news list until this day (date.max: for good)
    pinned_until: dt.date | None = None
    expires: dt.date | None = None  # off the lists after this day; its page stays
    updated: dt.date | None = None  # corrected after it was published, on this day
    key: str = ""  # shared by translations, set by resolve: "2020/04/pujiang-visit"
    lines: dict[str, int] = field(default_factory=dict, compare=False)  # "tags.0" -> line
    # the fields of INHERITED (see parse) a possible translation leaves to its original
    unset: frozenset[str] = frozenset()
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def expired(self, today: dt.date | None) -> bool:
        """Whether the day it was valid until (``expires``) is past on ``today``."""
        return self.expires is not None and today is not None and self.expires < today

    @property
    def last_changed(self) -> dt.date:
        """The day it was last changed: corrected, else published."""
        return self.updated if self.updated and self.updated > self.date else self.date

    @property
    def body_html(self) -> str:
        return self.body.text

    @property
    def bundle_dir(self) -> str | None:
        """The article's folder, for an article that is a folder's index file.
        (String operations: a PurePosixPath per call was a tenth of the
        plan's time on a large site.)"""
        folder, _, name = self.path.rpartition("/")
        return (folder or ".") if name.startswith("index.") else None


def originals(articles: Iterable[Article], languages: Sequence[str]) -> dict[str, Article]:
    """Each article key's original, its version in the first of the site's
    ``languages`` it has, in the order the keys first come in ``articles``."""
    order = {lang: index for index, lang in enumerate(languages)}
    found: dict[str, Article] = {}
    for article in articles:
        current = found.get(article.key)
        if current is None or order[article.lang] < order[current.lang]:
            found[article.key] = article
    return found


@dataclass(frozen=True, slots=True)
class Tag:
    id: str
    name: Text
    kind: str = ""  # the event kind of articles with this tag, e.g. "meeting"


@dataclass(frozen=True, order=True, slots=True)
class When:
    """A date at the precision it is known: a day, a month, a year, or a range
    of days. ``start`` of a month or year is its first day; ``end`` (a range
    only) is the last day, inclusive."""

    start: dt.date
    precision: str  # "day", "month" or "year"
    end: dt.date | None = None

    @property
    def last_day(self) -> dt.date:
        """The last day the value covers."""
        if self.end is not None:
            return self.end
        if self.precision == "year":
            return dt.date(self.start.year, 12, 31)
        if self.precision == "month":
            following = dt.date(
                self.start.year + self.start.month // 12, self.start.month % 12 + 1, 1
            )
            return following - dt.timedelta(days=1)
        return self.start


@dataclass(frozen=True, slots=True)
class EventDraft:
    """An event written in an article's ``events:`` list, before resolving."""

    when: When
    title: Text
    kind: str
    town: str
    teams: tuple[str, ...]
    studios: tuple[str, ...]
    line: int


@dataclass(frozen=True, slots=True)
class Event:
    """One dated thing that happened (or will), for the timeline and calendar."""

    id: str  # stable: the basis of the calendar UID
    when: When
    title: Text  # may be empty when ``label`` names a UI string instead
    kind: str  # one of EVENT_KINDS
    town: str
    records: tuple[str, ...]  # "teams/<id>", "studios/<id>"
    article: str  # key of the article it links to, or ""
    source: str  # the file it came from
    label: tuple[str, tuple[tuple[str, str], ...]] = ("", ())  # UI string key and values


@dataclass(frozen=True, slots=True)
class Town:
    """A town (镇) or sub-district (街道) of the district."""

    id: str
    name: Text
    kind: str  # "town" or "subdistrict"


@dataclass(frozen=True, slots=True)
class Series:
    """A series (专题) of reports on one campaign, in content/series.yaml."""

    id: str
    name: Text
    summary: Text = Text(())


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    name: Text


@dataclass(frozen=True, slots=True)
class Honour:
    year: int
    title: Text
    by: Text  # the awarding body
    date: dt.date | None
    article: str  # stem of the news article that announced it, or ""
    line: int


@dataclass(frozen=True, slots=True)
class Activity:
    date: dt.date
    kind: str  # one of ACTIVITY_KINDS
    title: Text
    article: str  # stem of a news article about it, or ""
    line: int


@dataclass(frozen=True, slots=True)
class Assessment:
    """One year's assessment against the district's four areas."""

    year: int
    areas: tuple[tuple[str, Text], ...]  # (area, result) in ASSESSMENT_AREAS order
    line: int


@dataclass(frozen=True, slots=True)
class Team:
    """A citizens' self-learning team (市民自主学习团队)."""

    id: str
    path: str
    name: Text
    town: str  # town id, or ""
    category: str  # category id, or ""
    founded: int | None
    leader: Text
    members: int | None
    description: Text
    contact: Text
    honours: tuple[Honour, ...]
    activities: tuple[Activity, ...]
    assessments: tuple[Assessment, ...]
    lines: dict[str, int] = field(default_factory=dict, compare=False)
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class StudioReport:
    """A studio's yearly report (on the past year) or plan (for the coming one)."""

    year: int
    kind: str  # "report" or "plan"
    summary: Text
    date: dt.date | None
    article: str
    line: int


@dataclass(frozen=True, slots=True)
class Studio:
    """A master-teacher studio (名师工作室)."""

    id: str
    path: str
    name: Text
    leader: Text
    members: tuple[Text, ...]
    focus: Text
    established: int | None
    reports: tuple[StudioReport, ...]
    lines: dict[str, int] = field(default_factory=dict, compare=False)
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


# The yearly "five ones" (五个一) the district asks of every team, then the
# service projects teams take on. Their names are UI strings: kind_<id>.
FIVE_ONES = ("commendation", "training", "showcase", "review-exchange", "public-service")
SERVICE_PROJECTS = (
    "citizen-classroom",
    "team-incubation",
    "charity",
    "volunteering",
    "community-building",
)
ACTIVITY_KINDS = (*FIVE_ONES, *SERVICE_PROJECTS, "other")
# Kinds of timeline event. An article's kind comes from its front matter or
# from a tag in content/tags.yaml that has one; "news" otherwise.
EVENT_KINDS = ("meeting", "visit", "selection", "honour", "activity", "studio", "news")
ARTICLE_KINDS = ("meeting", "visit", "selection", "activity", "news")
# The four areas of the district's team assessment standard.
ASSESSMENT_AREAS = ("leadership", "resources", "activities", "results")


@dataclass(frozen=True, slots=True)
class Site:
    """Everything known about the site after ``resolve``, ready to plan."""

    articles: tuple[Article, ...]  # newest first
    tags: dict[str, Tag]
    translations: dict[str, dict[str, Article]]  # article key -> language -> article
    teams: dict[str, Team] = field(default_factory=dict)
    studios: dict[str, Studio] = field(default_factory=dict)
    towns: dict[str, Town] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    series: dict[str, Series] = field(default_factory=dict)
    by_stem: dict[str, str] = field(default_factory=dict)  # article stem -> key
    # "teams/<id>" or "studios/<id>" -> keys of the articles that mention it, newest first
    mentions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    events: tuple[Event, ...] = ()  # newest first
    # articles dated after the build date, left out until then: (path, date)
    held_back: tuple[tuple[str, dt.date], ...] = ()
    today: dt.date | None = None  # the build date, where known

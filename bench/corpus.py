"""A synthetic news-and-records corpus, written as a sitegen, a Hugo and a Pelican site.

    python3 bench/corpus.py --articles 5000 --out bench/.corpus/5000

writes ``OUT/sitegen/``, ``OUT/hugo/`` and ``OUT/pelican/``: the same
Chinese articles (about 70% with an English translation), the same dates,
tags, team and studio references and the same bodies, 800 to 1,500 Chinese
characters each, with headings, lists, tables and links to other articles.
The output depends only on ``--articles`` and ``--seed``: no clock, no
uuid, one seeded ``random.Random``, and files written in a fixed order.

The words come from ``bench/vocabulary.yaml``, where every phrase is a
[zh, en] pair, so that a translation says what its original says. The
Hugo layouts and the Pelican settings are the files under
``bench/hugo-site/`` and ``bench/pelican-site/``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import json
import random
import re
import shutil
import string
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
VOCABULARY = BENCH / "vocabulary.yaml"
HUGO_SKELETON = BENCH / "hugo-site"
PELICAN_SKELETON = BENCH / "pelican-site"
SITE_CSS = REPO / "themes" / "default" / "static" / "assets" / "site.css"

DEFAULT_SEED = 20200427
FIRST_DAY = dt.date(2015, 1, 1)
LAST_DAY = dt.date(2024, 12, 31)
TRANSLATED_SHARE = 0.7
ARTICLES_PER_TEAM = 20
ARTICLES_PER_STUDIO = 100
BODY_LENGTH = (860, 1500)  # visible Chinese characters of a body, before rounding down
LANGS = ("zh", "en")
ZH, EN = 0, 1

Pair = tuple[str, str]  # the same text in Chinese and in English
T = TypeVar("T")


# -- the corpus as values ------------------------------------------------------


@dataclass
class Team:
    id: str
    name: Pair
    town: str
    community: Pair
    category: str
    founded: int
    leader: Pair
    members: int
    description: Pair
    honours: list[Honour] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)


@dataclass(frozen=True)
class Honour:
    year: int
    date: dt.date
    article: str  # the announcing article's stem


@dataclass(frozen=True)
class Activity:
    date: dt.date
    kind: str
    title: Pair
    article: str  # "" when no article reports it


@dataclass(frozen=True)
class Assessment:
    year: int
    grades: tuple[Pair, Pair, Pair, Pair]  # leadership, resources, activities, results


@dataclass
class Studio:
    id: str
    name: Pair
    leader: Pair
    members: tuple[Pair, ...]
    focus: Pair
    established: int
    reports: list[Report] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    year: int
    kind: str  # report | plan
    date: dt.date
    summary: Pair
    article: str


@dataclass(frozen=True)
class Article:
    stem: str
    slug: str
    date: dt.date
    title: Pair
    summary: Pair | None
    source: Pair
    tags: tuple[str, ...]  # tag ids
    teams: tuple[str, ...]
    studios: tuple[str, ...]
    town: str
    body: Pair
    translated: bool

    def url(self, lang: str) -> str:
        prefix = "" if lang == LANGS[0] else f"/{lang}"
        return f"{prefix}/news/{self.date:%Y/%m}/{self.slug}/"


@dataclass(frozen=True)
class Corpus:
    articles: tuple[Article, ...]
    teams: tuple[Team, ...]
    studios: tuple[Studio, ...]
    vocabulary: dict[str, Any]

    def towns(self) -> dict[str, Pair]:
        return {row[0]: (row[1], row[2]) for row in self.vocabulary["towns"]}

    def categories(self) -> dict[str, Pair]:
        return {row[0]: (row[1], row[2]) for row in self.vocabulary["categories"]}

    def tags(self) -> dict[str, Pair]:
        return {row[0]: (row[1], row[2]) for row in self.vocabulary["tags"]}


# -- generating ------------------------------------------------------------------


@cache
def load_vocabulary() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(VOCABULARY.read_text(encoding="utf-8"))
    return data


def _slots(template: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


def _pair(row: Sequence[Any]) -> Pair:
    return str(row[ZH]), str(row[EN])


def _fill(pair: Sequence[str], slots: dict[str, Pair]) -> Pair:
    return (
        pair[ZH].format(**{k: v[ZH] for k, v in slots.items()}),
        pair[EN].format(**{k: v[EN] for k, v in slots.items()}),
    )


def _usable(pairs: Iterable[Sequence[str]], slots: dict[str, Pair]) -> list[Sequence[str]]:
    """The phrases whose every slot this article can fill."""
    return [p for p in pairs if _slots(p[ZH]) | _slots(p[EN]) <= slots.keys()]


_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_MARKUP = re.compile(r"[\s#|*\[\]>-]|^\d+\.", re.MULTILINE)


def visible_length(markdown: str) -> int:
    """Characters a reader sees: link targets, list and table markup left out."""
    return len(_MARKUP.sub("", _LINK_TARGET.sub("", markdown)))


def _join(blocks: Iterable[Pair]) -> Pair:
    listed = list(blocks)
    return "\n\n".join(b[ZH] for b in listed), "\n\n".join(b[EN] for b in listed)


def _table(header: Sequence[Sequence[str]], rows: Sequence[Sequence[Pair]]) -> Pair:
    def one(lang: int) -> str:
        lines = [
            "| " + " | ".join(header[lang]) + " |",
            "|" + " --- |" * len(header[lang]),
        ]
        lines += ["| " + " | ".join(cell[lang] for cell in row) + " |" for row in rows]
        return "\n".join(lines)

    return one(ZH), one(EN)


def _date_pair(day: dt.date, months: Sequence[Sequence[str]]) -> Pair:
    return f"{day.month}月{day.day}日", f"{day.day} {months[day.month - 1][EN]}"


class _Generator:
    """One corpus; every choice comes from ``self.rng`` in a fixed order."""

    def __init__(
        self,
        articles: int,
        seed: int,
        teams: int | None = None,
        studios: int | None = None,
        days: tuple[dt.date, dt.date] = (FIRST_DAY, LAST_DAY),
        weights: Mapping[str, int] | None = None,
    ) -> None:
        self.count = articles
        self.weights = dict(weights or {})
        self.first, self.last = days
        self.rng = random.Random(seed * 1_000_003 + articles)
        self.v = load_vocabulary()
        self.towns = {row[0]: (row[1], row[2]) for row in self.v["towns"]}
        self.categories = {row[0]: row for row in self.v["categories"]}
        self.people = self._people()
        self.teams = self._teams(teams or max(3, articles // ARTICLES_PER_TEAM))
        self.studios = self._studios(studios or max(2, articles // ARTICLES_PER_STUDIO))
        self.teams_by_town: dict[str, list[Team]] = {}
        for team in self.teams:
            self.teams_by_town.setdefault(team.town, []).append(team)
        self.articles: list[Article] = []
        self.decks: dict[str, list[Any]] = {}  # phrases not yet used by the current article

    # -- records ----------------------------------------------------------------

    def _people(self) -> list[tuple[str, Pair]]:
        """(pinyin id, name) of every surname and given name, shuffled."""
        people = [
            (f"{s[1]}-{g[1]}".lower(), (s[0] + g[0], f"{s[1]} {g[1]}"))
            for s, g in itertools.product(self.v["surnames"], self.v["given_names"])
        ]
        self.rng.shuffle(people)
        return people

    def person(self) -> Pair:
        return self.rng.choice(self.people)[1]

    def _teams(self, count: int) -> list[Team]:
        combos = list(
            itertools.product(self.v["towns"], self.v["communities"], self.v["categories"])
        )
        self.rng.shuffle(combos)
        teams: list[Team] = []
        for index in range(count):
            town, community, category = combos[index % len(combos)]
            round_ = index // len(combos)
            suffix = f"-{round_ + 1}" if round_ else ""
            short = (town[1].removesuffix("街道").removesuffix("镇"), town[2].split()[0])
            name = (
                f"{short[ZH]}{community[1].removesuffix('社区')}{category[3]}"
                + (f"（{round_ + 1}）" if round_ else ""),
                f"{short[EN]} {community[2].removesuffix(' Community')} {category[4]}"
                + (f" {round_ + 1}" if round_ else ""),
            )
            founded = self.rng.randint(1995, 2014)
            members = self.rng.randint(8, 120)
            slots = {
                "team": name,
                "founded": (str(founded), str(founded)),
                "community": (community[1], community[2]),
                "category": (category[1], category[2].lower()),
            }
            team = Team(
                id=f"{town[0]}-{community[0]}-{category[0]}{suffix}",
                name=name,
                town=town[0],
                community=(community[1], community[2]),
                category=category[0],
                founded=founded,
                leader=self.person(),
                members=members,
                description=_fill(self.v["team_description"], slots),
            )
            for _ in range(self.rng.randint(0, 2)):
                kind = self.rng.choice(sorted(self.v["activity_titles"]))
                day = self.first + dt.timedelta(self.rng.randint(0, (self.last - self.first).days))
                title = self.v["activity_titles"][kind]
                team.activities.append(Activity(day, kind, (title[ZH], title[EN]), ""))
            if self.rng.random() < 0.4:
                grades = self.v["grades"]
                years = range(self.first.year + 1, self.last.year + 1)
                for year in sorted(self.rng.sample(years, self.rng.randint(1, 3))):
                    a, b, c, d = (_pair(g) for g in self.rng.choices(grades, k=4))
                    picked = (a, b, c, d)
                    team.assessments.append(Assessment(year, picked))
            teams.append(team)
        return teams

    def _studios(self, count: int) -> list[Studio]:
        studios: list[Studio] = []
        leaders = self.people[: min(count, len(self.people))]
        for person_id, leader in leaders:
            name = _fill(self.v["studio_name"], {"person": leader})
            members = tuple(self.person() for _ in range(self.rng.randint(2, 5)))
            focus = self.rng.choice(self.v["studio_focus"])
            studios.append(
                Studio(
                    person_id,
                    name,
                    leader,
                    members,
                    (focus[ZH], focus[EN]),
                    self.rng.randint(2012, 2018),
                )
            )
        return studios

    # -- articles -----------------------------------------------------------------

    def dates(self) -> list[dt.date]:
        span = (self.last - self.first).days
        return sorted(
            self.first + dt.timedelta(self.rng.randint(0, span)) for _ in range(self.count)
        )

    def generate(self) -> Corpus:
        events = self.v["events"]
        weights = [self.weights.get(e["key"], e["weight"]) for e in events]
        for index, day in enumerate(self.dates()):
            event = self.rng.choices(events, weights)[0]
            self.articles.append(self.article(index, day, event))
        for team in self.teams:
            team.activities.sort(key=lambda a: (a.date, a.article))
        return Corpus(tuple(self.articles), tuple(self.teams), tuple(self.studios), self.v)

    def article(self, index: int, day: dt.date, event: dict[str, Any]) -> Article:
        rng, v = self.rng, self.v
        slug = f"{event['key']}-{index + 1}"
        stem = f"{day:%Y-%m-%d}-{slug}"
        town = rng.choice(sorted(self.towns))
        community = rng.choice(v["communities"])
        slots: dict[str, Pair] = {
            "org": _pair(v["org"]),
            "date": _date_pair(day, v["months"]),
            "month": _pair(v["months"][day.month - 1]),
            "year": (str(day.year), str(day.year)),
            "community": (community[1], community[2]),
            "course": _pair(rng.choice(v["courses"])),
            "district": _pair(rng.choice(v["districts"])),
            "person": self.person(),
        }
        for name, low, high, step in (("n1", 3, 30, 10), ("n2", 3, 12, 1), ("n3", 20, 200, 10)):
            number = str(rng.randint(low, high) * step)
            slots[name] = (number, number)
        n4 = rng.randint(1000, 50000)
        slots["n4"] = (str(n4), f"{n4:,}")

        teams: list[Team] = []
        studios: list[Studio] = []
        if event["needs"] == "team":
            local = self.teams_by_town.get(town) or self.teams
            teams = [rng.choice(local)]
        elif event["needs"] == "teams":
            teams = rng.sample(self.teams, min(len(self.teams), rng.randint(3, 8)))
            slots["n2"] = (str(len(teams)), str(len(teams)))
        elif event["needs"] == "studio":
            studios = [rng.choice(self.studios)]
        elif rng.random() < 0.15:
            teams = [rng.choice(self.teams_by_town.get(town) or self.teams)]
        if not studios and rng.random() < 0.05:
            studios = [rng.choice(self.studios)]
        if teams:
            team = teams[0]
            town = team.town if event["needs"] == "team" else town
            if event["needs"] == "team":
                slots["community"] = team.community
            slots["team"] = team.name
            slots["founded"] = (str(team.founded), str(team.founded))
            slots["members"] = (str(team.members), str(team.members))
        if studios:
            slots["studio"] = studios[0].name
            slots["person"] = studios[0].leader
        slots["town"] = self.towns[town]

        course = slots["course"]
        title = _fill(event["title"], {**slots, "course": (course[ZH], course[EN].capitalize())})
        lead = _fill(event["lead"], slots)
        body = self.body(lead, slots, teams if event["needs"] == "teams" else [])
        tags = list(event["tags"])
        if rng.random() < 0.3:
            extra = rng.choice(v["extra_tags"])
            if extra not in tags:
                tags.append(extra)
        source = _fill(v["source"], slots) if rng.random() < 0.6 else _pair(v["org"])
        article = Article(
            stem=stem,
            slug=slug,
            date=day,
            title=title,
            summary=lead if rng.random() < 0.5 else None,
            source=source,
            tags=tuple(tags),
            teams=tuple(t.id for t in teams),
            studios=tuple(s.id for s in studios),
            town=town,
            body=body,
            translated=rng.random() < TRANSLATED_SHARE,
        )
        self.record(article, event, teams, studios, slots)
        return article

    def record(
        self,
        article: Article,
        event: dict[str, Any],
        teams: list[Team],
        studios: list[Studio],
        slots: dict[str, Pair],
    ) -> None:
        """What the article adds to the records: an activity, honours, studio reports."""
        year = article.date.year
        if event.get("activity") and teams:
            teams[0].activities.append(
                Activity(article.date, event["activity"], article.title, article.stem)
            )
        if event["needs"] == "teams":
            for team in teams:
                if all(h.year != year for h in team.honours):
                    team.honours.append(Honour(year, article.date, article.stem))
        for studio in studios if event["needs"] == "studio" else []:
            summary = _fill(self.v["report_summary"], slots)
            for report_year, kind in ((year - 1, "report"), (year, "plan")):
                if all((r.year, r.kind) != (report_year, kind) for r in studio.reports):
                    studio.reports.append(
                        Report(report_year, kind, article.date, summary, article.stem)
                    )

    def body(self, lead: Pair, slots: dict[str, Pair], honoured: list[Team]) -> Pair:
        """Lead, sections to a drawn length, a closing line, related reports."""
        rng, v = self.rng, self.v
        target = rng.randint(*BODY_LENGTH)
        self.decks = {}
        sentences = _usable(v["sentences"], slots)
        head: list[Pair] = [self.paragraph(sentences, slots, 1, lead)]
        if honoured:
            head.append(self.winners(honoured))
        tail: list[Pair] = [self.paragraph(sentences, slots, 1)]
        if self.articles and rng.random() < 0.6:
            tail.append(self.related())
        if self.articles and rng.random() < 0.4:
            earlier = rng.choice(self.articles)
            link = _fill(
                v["earlier"],
                {
                    "title": earlier.title,
                    "url": (earlier.url("zh"), earlier.url("en")),
                },
            )
            head[0] = (head[0][ZH] + link[ZH], head[0][EN] + link[EN])
        middle: list[Pair] = []
        tables = 1 if honoured or rng.random() < 0.35 else 0
        kinds = ["section", "section", "paragraph", "bullets", "steps"]
        used = {"bullets": 0, "steps": 0}
        while True:
            length = visible_length(_join([*head, *middle, *tail])[ZH])
            kind = rng.choice([*kinds, "table"] if tables else kinds)
            if kind in used and used[kind] >= 2:
                kind = "paragraph"
            block = self.block(kind, sentences, slots)
            if length + visible_length(block[ZH]) > target:
                block = self.paragraph(sentences, slots, 1)
                if length + visible_length(block[ZH]) > target:
                    break
            elif kind == "table":
                tables -= 1
            elif kind in used:
                used[kind] += 1
            middle.append(block)
        if middle and middle[0][ZH].startswith(("- ", "1. ", "|")):
            middle.insert(0, self.heading())
        return _join([*head, *middle, *tail])

    def block(self, kind: str, sentences: list[Sequence[str]], slots: dict[str, Pair]) -> Pair:
        if kind == "section":
            return _join([self.heading(), self.paragraph(sentences, slots, self.rng.randint(2, 4))])
        if kind == "bullets":
            return self.listing(self.v["bullets"], slots, numbered=False)
        if kind == "steps":
            return self.listing(self.v["steps"], slots, numbered=True)
        if kind == "table":
            return _join([self.heading(), self.figures(slots)])
        return self.paragraph(sentences, slots, self.rng.randint(2, 3))

    def deal(self, deck: str, pool: Sequence[T], count: int) -> list[T]:
        """``count`` phrases from a shuffled deck, so that an article repeats
        none until it has used them all."""
        cards: list[T] = self.decks.setdefault(deck, [])
        dealt: list[T] = []
        while len(dealt) < count:
            if not cards:
                cards.extend(pool)
                self.rng.shuffle(cards)
            dealt.append(cards.pop())
        return dealt

    def heading(self) -> Pair:
        heading = self.deal("headings", self.v["headings"], 1)[0]
        return f"## {heading[ZH]}", f"## {heading[EN]}"

    def paragraph(
        self,
        sentences: list[Sequence[str]],
        slots: dict[str, Pair],
        count: int,
        first: Pair | None = None,
    ) -> Pair:
        chosen = [_fill(s, slots) for s in self.deal("sentences", sentences, count)]
        if first is not None:
            chosen.insert(0, first)
        return "".join(c[ZH] for c in chosen), " ".join(c[EN] for c in chosen)

    def listing(self, items: list[Sequence[str]], slots: dict[str, Pair], numbered: bool) -> Pair:
        kind = "steps" if numbered else "bullets"
        chosen = [_fill(i, slots) for i in self.deal(kind, items, self.rng.randint(3, 5))]
        marks = [f"{n}. " if numbered else "- " for n in range(1, len(chosen) + 1)]
        return (
            "\n".join(m + c[ZH] for m, c in zip(marks, chosen, strict=True)),
            "\n".join(
                m + c[EN][:1].upper() + c[EN][1:] for m, c in zip(marks, chosen, strict=True)
            ),
        )

    def figures(self, slots: dict[str, Pair]) -> Pair:
        rng, v = self.rng, self.v
        if rng.random() < 0.5:
            towns = rng.sample(sorted(self.towns), rng.randint(3, 6))
            rows = [
                [self.towns[t]]
                + [(n, n) for n in (str(rng.randint(3, 40)), str(rng.randint(50, 900)))]
                + [(n, n) for n in (str(rng.randint(2, 30)),)]
                for t in towns
            ]
            return _table(v["table_town"], rows)
        start = dt.date(int(slots["year"][ZH]), 1, 1) + dt.timedelta(rng.randint(0, 330))
        schedule: list[list[Pair]] = []
        for step in range(rng.randint(3, 5)):
            community = rng.choice(v["communities"])
            schedule.append(
                [
                    _date_pair(start + dt.timedelta(7 * step), v["months"]),
                    _pair(rng.choice(v["courses"])),
                    (community[1], community[2]),
                ]
            )
        return _table(v["table_schedule"], schedule)

    def winners(self, teams: list[Team]) -> Pair:
        rows = [
            [
                t.name,
                self.towns[t.town],
                (self.categories[t.category][1], self.categories[t.category][2]),
            ]
            for t in teams
        ]
        return _table(self.v["table_winners"], rows)

    def related(self) -> Pair:
        earlier = self.rng.sample(self.articles, min(len(self.articles), self.rng.randint(1, 3)))
        heading = self.v["related"]
        return (
            f"## {heading[ZH]}\n\n"
            + "\n".join(f"- [{a.title[ZH]}]({a.url('zh')})" for a in earlier),
            f"## {heading[EN]}\n\n"
            + "\n".join(f"- [{a.title[EN]}]({a.url('en')})" for a in earlier),
        )


def generate(
    articles: int,
    seed: int = DEFAULT_SEED,
    *,
    teams: int | None = None,
    studios: int | None = None,
    days: tuple[dt.date, dt.date] = (FIRST_DAY, LAST_DAY),
    weights: Mapping[str, int] | None = None,
) -> Corpus:
    """The corpus of ``articles`` Chinese articles; the same for the same
    arguments. ``teams`` and ``studios`` default to one for every 20 and 100
    articles, the dates to 2015–2024, and each kind of article (``weights``,
    by the ``key`` of ``events`` in the vocabulary) to its weight there."""
    return _Generator(articles, seed, teams, studios, days, weights).generate()


# -- writing: shared --------------------------------------------------------------


class _PlainDumper(yaml.SafeDumper):
    """Writes a value used twice (a report's date) twice, as an editor
    would, not as an anchor and an alias (``&id001``, ``*id001``)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _yaml(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=_PlainDumper,
        allow_unicode=True,
        sort_keys=False,
        width=10_000,
        default_flow_style=None,
    )


def _text(pair: Pair) -> dict[str, str]:
    return {"zh": pair[ZH], "en": pair[EN]}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _front_matter(data: dict[str, Any], body: str) -> str:
    return f"---\n{_yaml(data)}---\n\n{body}\n"


# -- writing: sitegen ---------------------------------------------------------------


def write_sitegen(corpus: Corpus, out: Path) -> None:
    v = corpus.vocabulary
    site = {
        "title": {"zh": "新都社区教育学院", "en": "Xindu Community Education College"},
        "description": {
            "zh": "新都社区教育学院的新闻动态、市民自主学习团队与名师工作室（基准测试语料）。",
            "en": "News, teams and studios of the Xindu Community Education College "
            "(benchmark corpus).",
        },
        "base_url": "https://example.org/",
        "languages": list(LANGS),
        "news_per_page": 10,
        "team_categories": {k: _text(p) for k, p in corpus.categories().items()},
    }
    _write(out / "site.yaml", "# Generated by bench/corpus.py.\n" + _yaml(site))
    tags = {
        row[0]: {"zh": row[1], "en": row[2]} | ({"kind": row[3]} if row[3] else {})
        for row in v["tags"]
    }
    _write(out / "content" / "tags.yaml", _yaml(tags))
    towns = {row[0]: {"zh": row[1], "en": row[2], "kind": row[3]} for row in v["towns"]}
    _write(out / "content" / "towns.yaml", _yaml(towns))
    names = corpus.tags()
    for article in corpus.articles:
        for lang in LANGS if article.translated else LANGS[:1]:
            i = LANGS.index(lang)
            data: dict[str, Any] = {"title": article.title[i], "date": article.date}
            if article.summary:
                data["summary"] = article.summary[i]
            data["source"] = article.source[i]
            data["tags"] = [names[t][i] for t in article.tags]
            if article.teams:
                data["teams"] = list(article.teams)
            if article.studios:
                data["studios"] = list(article.studios)
            data["town"] = article.town
            path = out / "content" / "news" / f"{article.stem}.{lang}.md"
            _write(path, _front_matter(data, article.body[i]))
    for team in corpus.teams:
        _write(out / "content" / "teams" / f"{team.id}.yaml", _yaml(_team_record(team, v)))
    for studio in corpus.studios:
        _write(out / "content" / "studios" / f"{studio.id}.yaml", _yaml(_studio_record(studio)))


def _team_record(team: Team, v: dict[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "name": _text(team.name),
        "town": team.town,
        "category": team.category,
        "founded": team.founded,
        "leader": _text(team.leader),
        "members": team.members,
        "description": _text(team.description),
    }
    if team.honours:
        record["honours"] = [
            {
                "year": h.year,
                "title": _text(_fill(v["honour_title"], {"year": (str(h.year), str(h.year))})),
                "by": _text(_pair(v["honour_by"])),
                "date": h.date,
                "article": h.article,
            }
            for h in sorted(team.honours, key=lambda h: -h.year)
        ]
    if team.activities:
        record["activities"] = [
            {"date": a.date, "kind": a.kind, "title": _text(a.title)}
            | ({"article": a.article} if a.article else {})
            for a in team.activities
        ]
    if team.assessments:
        areas = ("leadership", "resources", "activities", "results")
        record["assessments"] = [
            {"year": a.year} | {area: _text(g) for area, g in zip(areas, a.grades, strict=True)}
            for a in team.assessments
        ]
    return record


def _studio_record(studio: Studio) -> dict[str, Any]:
    record: dict[str, Any] = {
        "name": _text(studio.name),
        "leader": _text(studio.leader),
        "members": [_text(m) for m in studio.members],
        "focus": _text(studio.focus),
        "established": studio.established,
    }
    if studio.reports:
        record["reports"] = [
            {
                "year": r.year,
                "kind": r.kind,
                "date": r.date,
                "summary": _text(r.summary),
                "article": r.article,
            }
            for r in sorted(studio.reports, key=lambda r: (-r.year, r.kind))
        ]
    return record


# -- writing: the record pages of Hugo and Pelican --------------------------------


def _team_markdown(team: Team, corpus: Corpus, stems: dict[str, Article], lang: int) -> str:
    v, label = corpus.vocabulary, corpus.vocabulary["labels"]
    facts = [
        (label["town"][lang], corpus.towns()[team.town][lang]),
        (label["category"][lang], corpus.categories()[team.category][lang]),
        (label["founded"][lang], str(team.founded)),
        (label["leader"][lang], team.leader[lang]),
        (label["members"][lang], str(team.members)),
    ]
    lines = [team.description[lang], "", *_facts(facts)]
    if team.honours:
        lines += ["", f"## {label['honours'][lang]}", ""]
        for h in sorted(team.honours, key=lambda h: -h.year):
            title = _fill(v["honour_title"], {"year": (str(h.year), str(h.year))})[lang]
            lines.append(f"- {h.year}: [{title}]({stems[h.article].url(LANGS[lang])})")
    if team.activities:
        lines += ["", f"## {label['activities'][lang]}", ""]
        for a in team.activities:
            title = a.title[lang]
            text = f"[{title}]({stems[a.article].url(LANGS[lang])})" if a.article else title
            lines.append(f"- {a.date.isoformat()}: {text}")
    return "\n".join(lines)


def _studio_markdown(studio: Studio, corpus: Corpus, stems: dict[str, Article], lang: int) -> str:
    label = corpus.vocabulary["labels"]
    facts = [
        (label["leader"][lang], studio.leader[lang]),
        (label["members"][lang], ", ".join(m[lang] for m in studio.members)),
        (label["focus"][lang], studio.focus[lang]),
        (label["established"][lang], str(studio.established)),
    ]
    lines = _facts(facts)
    if studio.reports:
        lines += ["", f"## {label['reports'][lang]}", ""]
        for r in sorted(studio.reports, key=lambda r: (-r.year, r.kind)):
            url = stems[r.article].url(LANGS[lang])
            lines.append(f"- {r.year} [{label[r.kind][lang]}]({url}): {r.summary[lang]}")
    return "\n".join(lines)


def _facts(rows: Sequence[tuple[str, str]]) -> list[str]:
    return ["| | |", "| --- | --- |", *(f"| {k} | {v} |" for k, v in rows)]


# -- writing: Hugo -------------------------------------------------------------------


def write_hugo(corpus: Corpus, out: Path) -> None:
    shutil.copytree(HUGO_SKELETON, out, dirs_exist_ok=True)
    if SITE_CSS.is_file():
        _write(out / "static" / "assets" / "site.css", SITE_CSS.read_text(encoding="utf-8"))
    v, content = corpus.vocabulary, out / "content"
    stems = {a.stem: a for a in corpus.articles}
    for section, title in v["sections"].items():
        for i, lang in enumerate(LANGS):
            _write(content / section / f"_index.{lang}.md", _front_matter({"title": title[i]}, ""))
    for tag_id, name in corpus.tags().items():
        for i, lang in enumerate(LANGS):
            path = content / "tags" / tag_id / f"_index.{lang}.md"
            _write(path, _front_matter({"title": name[i]}, ""))
    for article in corpus.articles:
        for lang in LANGS if article.translated else LANGS[:1]:
            i = LANGS.index(lang)
            data: dict[str, Any] = {
                "title": article.title[i],
                "date": article.date,
                "slug": article.slug,
            }
            if article.summary:
                data["summary"] = article.summary[i]
            data["source"] = article.source[i]
            data["tags"] = list(article.tags)
            if article.teams:
                data["teams"] = list(article.teams)
            if article.studios:
                data["studios"] = list(article.studios)
            data["town"] = article.town
            path = content / "news" / f"{article.stem}.{lang}.md"
            _write(path, _front_matter(data, article.body[i]))
    for team in corpus.teams:
        for i, lang in enumerate(LANGS):
            body = _team_markdown(team, corpus, stems, i)
            path = content / "teams" / team.id / f"_index.{lang}.md"
            _write(path, _front_matter({"title": team.name[i]}, body))
    for studio in corpus.studios:
        for i, lang in enumerate(LANGS):
            body = _studio_markdown(studio, corpus, stems, i)
            path = content / "studios" / studio.id / f"_index.{lang}.md"
            _write(path, _front_matter({"title": studio.name[i]}, body))


# -- writing: Pelican -------------------------------------------------------------------


def _pelican(meta: Sequence[tuple[str, str]], body: str) -> str:
    header = "".join(f"{key}: {value}\n" for key, value in meta if value)
    return f"{header}\n{body}\n"


def write_pelican(corpus: Corpus, out: Path) -> None:
    shutil.copytree(PELICAN_SKELETON, out, dirs_exist_ok=True)
    content = out / "content"
    stems = {a.stem: a for a in corpus.articles}
    for article in corpus.articles:
        for lang in LANGS if article.translated else LANGS[:1]:
            i = LANGS.index(lang)
            meta = [
                ("Title", article.title[i]),
                ("Date", article.date.isoformat()),
                ("Slug", article.slug),
                ("Lang", lang),
                ("Category", "news"),
                ("Tags", ", ".join(article.tags)),
                ("Summary", article.summary[i] if article.summary else ""),
                ("Source", article.source[i]),
                ("Teams", ", ".join(article.teams)),
                ("Studios", ", ".join(article.studios)),
                ("Town", article.town),
            ]
            path = content / "news" / f"{article.stem}.{lang}.md"
            _write(path, _pelican(meta, article.body[i]))
    for team in corpus.teams:
        for i, lang in enumerate(LANGS):
            meta = [("Title", team.name[i]), ("Slug", f"teams/{team.id}"), ("Lang", lang)]
            body = _team_markdown(team, corpus, stems, i)
            _write(content / "pages" / "teams" / f"{team.id}.{lang}.md", _pelican(meta, body))
    for studio in corpus.studios:
        for i, lang in enumerate(LANGS):
            meta = [("Title", studio.name[i]), ("Slug", f"studios/{studio.id}"), ("Lang", lang)]
            body = _studio_markdown(studio, corpus, stems, i)
            _write(content / "pages" / "studios" / f"{studio.id}.{lang}.md", _pelican(meta, body))


# -- the cached corpus ------------------------------------------------------------------


def fingerprint(articles: int, seed: int) -> str:
    """Changes whenever the generator, its words or the twin sites' files change
    (not with sitegen's style sheet, which the Hugo site borrows as it is)."""
    digest = hashlib.sha256(f"{articles}:{seed}".encode())
    files = [Path(__file__).resolve(), VOCABULARY]
    files += sorted(p for d in (HUGO_SKELETON, PELICAN_SKELETON) for p in d.rglob("*"))
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(REPO).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


STAMP = ".corpus.json"
DIRTY = ".dirty"  # present while a benchmark has an edit in place


def write_corpus(articles: int, out: Path, seed: int = DEFAULT_SEED) -> Corpus:
    """Generate and write the three sites into ``out``, replacing what was there."""
    corpus = generate(articles, seed)
    for name in ("sitegen", "hugo", "pelican"):
        shutil.rmtree(out / name, ignore_errors=True)
    write_sitegen(corpus, out / "sitegen")
    write_hugo(corpus, out / "hugo")
    write_pelican(corpus, out / "pelican")
    stats = describe(corpus)
    stats["fingerprint"] = fingerprint(articles, seed)
    (out / DIRTY).unlink(missing_ok=True)
    _write(out / STAMP, json.dumps(stats, indent=2) + "\n")
    return corpus


def ensure_corpus(articles: int, out: Path, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """The corpus in ``out``, written again only if missing, stale or left edited."""
    stamp = out / STAMP
    if stamp.is_file() and not (out / DIRTY).exists():
        stats: dict[str, Any] = json.loads(stamp.read_text(encoding="utf-8"))
        if stats.get("fingerprint") == fingerprint(articles, seed):
            return stats
    write_corpus(articles, out, seed)
    result: dict[str, Any] = json.loads(stamp.read_text(encoding="utf-8"))
    return result


def describe(corpus: Corpus) -> dict[str, Any]:
    lengths = sorted(visible_length(a.body[ZH]) for a in corpus.articles)
    return {
        "articles": len(corpus.articles),
        "translations": sum(a.translated for a in corpus.articles),
        "teams": len(corpus.teams),
        "studios": len(corpus.studios),
        "tables": sum("| --- |" in a.body[ZH] for a in corpus.articles),
        "links": sum(a.body[ZH].count("](/news/") for a in corpus.articles),
        "zh_length": {
            "min": lengths[0] if lengths else 0,
            "median": lengths[len(lengths) // 2] if lengths else 0,
            "max": lengths[-1] if lengths else 0,
        },
    }


def _iter_lines(stats: dict[str, Any]) -> Iterator[str]:
    yield (
        f"{stats['articles']} articles ({stats['translations']} translated), "
        f"{stats['teams']} teams, {stats['studios']} studios, {stats['tables']} with a table, "
        f"{stats['links']} links"
    )
    length = stats["zh_length"]
    yield (
        f"Chinese body length: min {length['min']}, median {length['median']}, max {length['max']}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, required=True, help="how many Chinese articles")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the sites into")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="the random seed")
    args = parser.parse_args(argv)
    if args.articles < 1:
        parser.error("--articles must be at least 1")
    corpus = write_corpus(args.articles, args.out, args.seed)
    for line in _iter_lines(describe(corpus)):
        print(line)
    print(f"wrote {args.out}/sitegen, {args.out}/hugo and {args.out}/pelican")
    return 0


if __name__ == "__main__":
    sys.exit(main())

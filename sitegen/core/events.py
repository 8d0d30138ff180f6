"""Gathering the timeline: every dated event from news and records.

- every article is an event on its date, with its title in each language,
  its kind (front matter, else a tag's kind, else "news") and the records
  it concerns (those it names and those whose honours or reports cite it);
- an article's ``events:`` list adds things it mentions on other dates (a
  selection "launched at the end of March" is ``date: 2020-03``); a
  translation's list gives the same events' titles in its language;
- a team's activities, and its honours that have a date of their own (an
  honour announced by an article is that article's event already);
- a studio's reports that have a date but no article.

Ids are stable across builds: they are made from the source's id and the
event's date and position, never from the order of the whole site.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping

from sitegen.core.config import SiteConfig
from sitegen.core.diagnostics import Diagnostics, did_you_mean
from sitegen.core.model import Article, Event, Studio, Tag, Team, Text, Town, When


def gather_events(
    translations: Mapping[str, Mapping[str, Article]],
    teams: Mapping[str, Team],
    studios: Mapping[str, Studio],
    tags: Mapping[str, Tag],
    towns: Mapping[str, Town],
    mentions: Mapping[str, Iterable[str]],
    config: SiteConfig,
    diagnostics: Diagnostics,
) -> tuple[Event, ...]:
    cited: dict[str, set[str]] = defaultdict(set)  # article key -> records
    for record, keys in mentions.items():
        for key in keys:
            cited[key].add(record)
    events: list[Event] = []
    for key, versions in translations.items():
        original = next(versions[lang] for lang in config.languages if lang in versions)
        events.extend(_article_events(key, original, versions, cited[key], tags, config))
        _check_article(original, teams, studios, towns, diagnostics)
    for team in teams.values():
        events.extend(_team_events(team))
    for studio in studios.values():
        events.extend(_studio_events(studio))
    return tuple(sorted(events, key=_newest_first))


def _newest_first(event: Event) -> tuple[int, int, str]:
    precision = {"day": 0, "month": 1, "year": 2}[event.when.precision]
    return (-event.when.start.toordinal(), precision, event.id)


def article_kind(article: Article, tags: Mapping[str, Tag]) -> str:
    if article.kind:
        return article.kind
    for tag in article.tags:
        if tag in tags and tags[tag].kind:
            return tags[tag].kind
    return "news"


def _article_events(
    key: str,
    original: Article,
    versions: Mapping[str, Article],
    cited: set[str],
    tags: Mapping[str, Tag],
    config: SiteConfig,
) -> list[Event]:
    kind = article_kind(original, tags)
    records = {f"teams/{t}" for t in original.teams if t}
    records |= {f"studios/{s}" for s in original.studios if s}
    records |= cited
    base = "news-" + key.replace("/", "-")
    events = [
        Event(
            id=base,
            when=When(original.date, "day"),
            title=Text.of({lang: a.title for lang, a in versions.items()}),
            kind=kind,
            town=original.town,
            records=tuple(sorted(records)),
            article=key,
            source=original.path,
        )
    ]
    for index, draft in enumerate(original.events):
        if draft.when.start == dt.date.min:
            continue  # no date, which _check_article says
        titles = {lang: text for lang, text in draft.title.values}
        for lang, version in versions.items():
            if version is not original and index < len(version.events):
                translated = version.events[index].title.get(lang)
                if translated:
                    titles.setdefault(lang, translated)
        drafted = {f"teams/{t}" for t in draft.teams} | {f"studios/{s}" for s in draft.studios}
        events.append(
            Event(
                id=f"{base}-{index + 1}",
                when=draft.when,
                title=Text.of(titles),
                kind=draft.kind or kind,
                town=draft.town or original.town,
                records=tuple(sorted(drafted)),
                article=key,
                source=original.path,
            )
        )
    return events


def _team_events(team: Team) -> list[Event]:
    record = f"teams/{team.id}"
    events: list[Event] = []
    seen: dict[str, int] = defaultdict(int)
    for activity in team.activities:
        stem = f"team-{team.id}-{activity.date.isoformat()}-{activity.kind}"
        seen[stem] += 1
        events.append(
            Event(
                id=stem if seen[stem] == 1 else f"{stem}-{seen[stem]}",
                when=When(activity.date, "day"),
                title=activity.title,
                kind="activity",
                town=team.town,
                records=(record,),
                article="",
                source=team.path,
                label=("kind_" + activity.kind.replace("-", "_"), ()),
            )
        )
    for index, honour in enumerate(team.honours):
        if honour.article and honour.date is None:
            continue  # the announcing article is the event
        when = When(honour.date, "day") if honour.date else When(dt.date(honour.year, 1, 1), "year")
        events.append(
            Event(
                id=f"team-{team.id}-honour-{honour.year}-{index + 1}",
                when=when,
                title=honour.title,
                kind="honour",
                town=team.town,
                records=(record,),
                article="",
                source=team.path,
            )
        )
    return events


def _studio_events(studio: Studio) -> list[Event]:
    events: list[Event] = []
    for report in studio.reports:
        if report.date is None or report.article:
            continue  # undated, or the article about the meeting is the event
        events.append(
            Event(
                id=f"studio-{studio.id}-{report.kind}-{report.year}",
                when=When(report.date, "day"),
                title=report.summary,
                kind="studio",
                town="",
                records=(f"studios/{studio.id}",),
                article="",
                source=studio.path,
                label=(f"report_{report.kind}", (("year", str(report.year)),)),
            )
        )
    return events


def _check_article(
    article: Article,
    teams: Mapping[str, Team],
    studios: Mapping[str, Studio],
    towns: Mapping[str, Town],
    diagnostics: Diagnostics,
) -> None:
    """The ids an article's ``town`` and ``events:`` name must exist."""
    if article.town and article.town not in towns:
        diagnostics.error(
            article.path,
            article.lines.get("town", 1),
            "unknown-town",
            f"unknown town id '{article.town}'",
            did_you_mean(article.town, towns) or "the ids are in content/towns.yaml",
        )
    for draft in article.events:
        if draft.when.start == dt.date.min:  # an article with no original to take it from
            diagnostics.error(
                article.path,
                draft.line,
                "missing-field",
                "event has no 'date'",
                "add its date, e.g. date: 2020-04-27",
            )
        for what, ids, known in (("team", draft.teams, teams), ("studio", draft.studios, studios)):
            for record in ids:
                if record not in known:
                    diagnostics.error(
                        article.path,
                        draft.line,
                        f"unknown-{what}",
                        f"event names unknown {what} id '{record}'",
                        did_you_mean(record, known) or f"the ids are in content/{what}s/",
                    )
        if draft.town and draft.town not in towns:
            diagnostics.error(
                article.path,
                draft.line,
                "unknown-town",
                f"event names unknown town id '{draft.town}'",
                did_you_mean(draft.town, towns) or "the ids are in content/towns.yaml",
            )

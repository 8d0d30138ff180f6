"""Documents into one checked :class:`Site`: translations paired, references resolved.

``resolve`` is where relations between files are checked: two files that
claim the same article and language, translations that disagree on their
address, tags that are not in the vocabulary, team and studio ids named by
articles, town and category ids named by teams, and articles named by
honours, activities and studio reports. An unknown id is an error with the
closest known id suggested.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath

from sitegen.core.config import SiteConfig
from sitegen.core.diagnostics import Diagnostics, did_you_mean
from sitegen.core.events import gather_events
from sitegen.core.images import IMAGE_SUFFIXES
from sitegen.core.model import Article, Category, Series, Site, Studio, Tag, Team, Text, Town
from sitegen.core.model import originals as original_versions
from sitegen.core.text import slugify


@dataclass(frozen=True, slots=True)
class Documents:
    """Everything ``parse`` produced, before relations are checked."""

    articles: list[Article]
    tags: dict[str, Tag] = field(default_factory=dict)
    has_vocabulary: bool = False
    teams: list[Team] = field(default_factory=list)
    studios: list[Studio] = field(default_factory=list)
    towns: dict[str, Town] = field(default_factory=dict)
    series: dict[str, Series] = field(default_factory=dict)
    # records that could not be read ("teams/<id>"), said where they are:
    # an article naming one is not told again that the id is unknown; and
    # articles ("news/<stem>"), whose translations are not told they lack a date
    unreadable: frozenset[str] = frozenset()
    # the day each article file was last corrected, from git (see gitdates)
    corrected: dict[str, dt.date] = field(default_factory=dict)


def resolve_site(
    documents: Documents,
    config: SiteConfig,
    diagnostics: Diagnostics,
    include_drafts: bool = False,
    today: dt.date | None = None,
    include_future: bool = False,
) -> Site:
    """The site: translations paired under one key, tags, records and
    towns checked by id, what mentions each record, and the timeline.
    An article dated after ``today`` (the build date) is held back, with
    its translations, unless ``include_future``."""
    vocabulary = dict(documents.tags)
    held: list[tuple[str, dt.date]] = []
    later = None if include_future or today is None else today
    resolved = _paired(documents, config, vocabulary, include_drafts, later, held, diagnostics)
    translations: dict[str, dict[str, Article]] = defaultdict(dict)
    for article in resolved:
        translations[article.key][article.lang] = article
    by_stem = {a.stem: a.key for a in resolved}
    drafts = {a.stem for a in documents.articles if a.draft and not include_drafts}
    _check_unused_files(resolved, diagnostics)
    held_paths = {path for path, _ in held}
    scheduled = {a.stem for a in documents.articles if a.path in held_paths}
    teams = {t.id: t for t in documents.teams}
    studios = {s.id: s for s in documents.studios}
    resolved = _records_by_name(resolved, teams, studios)
    originals = original_versions(resolved, config.languages)
    _check_records(resolved, originals, diagnostics)
    resolved = _resolve_series(resolved, documents.series, originals, diagnostics)
    categories = {k: Category(k, v) for k, v in config.team_categories.items()}
    mentions = _mentions(
        resolved,
        teams,
        studios,
        documents.towns,
        categories,
        _References(by_stem, drafts, diagnostics, scheduled),
        diagnostics,
        documents.unreadable,
    )
    events = gather_events(
        translations, teams, studios, vocabulary, documents.towns, mentions, config, diagnostics
    )
    return Site(
        articles=tuple(resolved),
        tags=vocabulary,
        translations=dict(translations),
        teams=dict(sorted(teams.items())),
        studios=dict(sorted(studios.items())),
        towns=documents.towns,
        categories=categories,
        series=documents.series,
        by_stem=by_stem,
        mentions=mentions,
        held_back=tuple(sorted(held)),
        today=today,
        events=events,
    )


def _paired(
    documents: Documents,
    config: SiteConfig,
    vocabulary: dict[str, Tag],
    include_drafts: bool,
    later_than: dt.date | None,
    held: list[tuple[str, dt.date]],
    diagnostics: Diagnostics,
) -> list[Article]:
    """The published articles, newest first, each translation under its
    original's key and slug and with its tags checked; those whose original
    is dated after ``later_than`` are added to ``held`` instead."""
    groups: dict[str, list[Article]] = defaultdict(list)
    for article in documents.articles:
        groups[article.stem].append(article)
    lookup = _tag_lookup(vocabulary)
    resolved: list[Article] = []
    for stem in sorted(groups):
        group = groups[stem]
        if not include_drafts:
            # a draft original keeps its translations off the site too
            if _original(group, config).draft:
                continue
            group = [article for article in group if not article.draft]
        group = _unique_languages(group, diagnostics)
        original = _original(group, config)
        if "date" in original.unset:  # the first of its languages, with no date to give
            if f"news/{stem}" in documents.unreadable:
                continue  # its original could not be read, which is said there
            diagnostics.error(
                original.path,
                1,
                "missing-field",
                "front matter has no 'date'",
                "add a line 'date: 2020-04-27'",
            )
            continue
        group = [
            _unnamed_pictures(a, diagnostics)
            if a is original
            else _inherit(a, original, diagnostics)
            for a in group
        ]
        if later_than is not None and original.date > later_than:
            held.extend((article.path, original.date) for article in group)
            diagnostics.note(
                original.path,
                original.lines.get("date", 1),
                "scheduled",
                f"dated {original.date}, after the build date {later_than}: not published yet",
                "it appears with the first build on or after that day "
                "(sitegen serve and sitegen build --future show it now)",
            )
            continue
        key = f"{original.date:%Y/%m}/{original.slug}"
        original_tags: tuple[str, ...] = ()
        for article in sorted(group, key=lambda a: a is not original):  # the original first
            if "tags" in article.unset:
                tag_ids = original_tags  # said of the original, if anything is to be said
            else:
                tag_ids = _resolve_tags(
                    article, lookup, vocabulary, documents.has_vocabulary, diagnostics
                )
            if article is original:
                original_tags = tag_ids
            else:
                _check_translation(article, original, diagnostics)
                if "tags" not in article.unset and set(tag_ids) != set(original_tags):
                    _differs(article, original, "tags", diagnostics)
            # what is not language is the original's where the translation is silent
            pinned = article.pinned_until or original.pinned_until
            expires = article.expires or original.expires
            bylines = article.bylines or original.bylines  # names, in either language
            updated = article.updated or documents.corrected.get(article.path)
            resolved.append(
                replace(
                    article, key=key, slug=original.slug, tags=tag_ids,
                    pinned_until=pinned, expires=expires, bylines=bylines, updated=updated,
                )
            )  # fmt: skip
    resolved.sort(key=lambda a: (-a.date.toordinal(), a.key, a.lang))
    return resolved


def _mentions(
    resolved: list[Article],
    teams: dict[str, Team],
    studios: dict[str, Studio],
    towns: dict[str, Town],
    categories: dict[str, Category],
    refs: _References,
    diagnostics: Diagnostics,
    unreadable: frozenset[str] = frozenset(),
) -> dict[str, tuple[str, ...]]:
    """Each record's town and category checked, and the articles that
    mention each record (by the record's ``kind/id``), newest first."""
    mentions: dict[str, set[str]] = defaultdict(set)
    for team in teams.values():
        _check_id(
            team.path,
            team.lines.get("town", 1),
            "town",
            team.town,
            towns,
            "content/towns.yaml",
            diagnostics,
        )
        _check_id(
            team.path,
            team.lines.get("category", 1),
            "category",
            team.category,
            categories,
            "team_categories in site.yaml",
            diagnostics,
        )
        for honour in team.honours:
            refs.article(team.path, honour.line, honour.article, f"teams/{team.id}", mentions)
        for activity in team.activities:
            refs.article(team.path, activity.line, activity.article, f"teams/{team.id}", mentions)
    for studio in studios.values():
        for report in studio.reports:
            refs.article(studio.path, report.line, report.article, f"studios/{studio.id}", mentions)
    known: dict[str, Mapping[str, object]] = {"teams": teams, "studios": studios}
    for article in resolved:
        for kind in ("teams", "studios"):
            if kind in article.unset:
                continue  # its original's, checked there
            for index, record in enumerate(getattr(article, kind)):
                if f"{kind}/{record}" in unreadable:
                    continue  # its file could not be read, which is said there
                line = article.lines.get(f"{kind}.{index}", article.lines.get(kind, 1))
                if _check_id(
                    article.path, line, kind[:-1], record, known[kind], f"content/{kind}/",
                    diagnostics,
                ):  # fmt: skip
                    mentions[f"{kind}/{record}"].add(article.key)
    order = {key: index for index, key in enumerate(dict.fromkeys(a.key for a in resolved))}
    return {k: tuple(sorted(v, key=order.__getitem__)) for k, v in sorted(mentions.items())}


def _records_by_name(
    articles: list[Article], teams: dict[str, Team], studios: dict[str, Studio]
) -> list[Article]:
    """The articles, each team and studio they name by its name rather
    than its id (``studios: [高秋名师工作室]``, or a studio by its leader's
    name, ``studios: [高秋]``) named by its id, as topics may be named."""
    names = {"teams": _names(teams.values()), "studios": _names(studios.values(), leaders=True)}
    known: dict[str, Mapping[str, object]] = {"teams": teams, "studios": studios}
    named: list[Article] = []
    for article in articles:
        changes: dict[str, tuple[str, ...]] = {}
        for kind in ("teams", "studios"):
            values: tuple[str, ...] = getattr(article, kind)
            ids = tuple(v if v in known[kind] else names[kind].get(v.casefold(), v) for v in values)
            if ids != values:
                changes[kind] = ids
        if changes:
            article = replace(article, teams=changes.get("teams", article.teams))
            article = replace(article, studios=changes.get("studios", article.studios))
        named.append(article)
    return named


def _check_records(
    articles: Iterable[Article], originals: dict[str, Article], diagnostics: Diagnostics
) -> None:
    """Warn of each translation that names other records than its original."""
    for article in articles:
        original = originals[article.key]
        for key in ("teams", "studios"):
            if article is original or key in article.unset:
                continue
            if set(getattr(article, key)) != set(getattr(original, key)):
                _differs(article, original, key, diagnostics)


def _resolve_series(
    articles: list[Article],
    known: dict[str, Series],
    originals: dict[str, Article],
    diagnostics: Diagnostics,
) -> list[Article]:
    """The articles, each naming its series by id, whether it was written
    by id or by a name (``series: 2020年优秀团队评选``); an unknown series
    is reported and left out, and a translation in another series than
    its original is warned of."""
    names: dict[str, str] = {}
    for entry in known.values():
        for _lang, value in entry.name.values:
            names.setdefault(value.strip().casefold(), entry.id)
    found: dict[str, str] = {}  # article path -> series id
    for article in articles:
        value = article.series
        if not value:
            continue
        series_id = value if value in known else names.get(value.strip().casefold(), "")
        if not series_id and "series" not in article.unset:
            _check_id(
                article.path,
                article.lines.get("series", 1),
                "series",
                value,
                {**known, **names},
                "content/series.yaml",
                diagnostics,
            )
        found[article.path] = series_id
    named: list[Article] = []
    for article in articles:
        series_id = found.get(article.path, "")
        original = originals[article.key]
        differs = series_id != found.get(original.path, "")
        if original is not article and "series" not in article.unset and differs:
            _differs(article, original, "series", diagnostics)
        named.append(article if series_id == article.series else replace(article, series=series_id))
    return named


def _names(records: Iterable[Team | Studio], leaders: bool = False) -> dict[str, str]:
    """Each record's id by its names in every language (casefolded), and
    by its leader's where ``leaders``; a name two records share names none."""
    found: dict[str, set[str]] = defaultdict(set)
    for record in records:
        texts = [record.name, record.leader] if leaders else [record.name]
        for text in texts:
            for _lang, value in text.values:
                found[value.strip().casefold()].add(record.id)
    return {name: next(iter(ids)) for name, ids in found.items() if len(ids) == 1}


def _check_id(
    path: str,
    line: int,
    what: str,
    value: str,
    known: Mapping[str, object],
    where: str,
    diagnostics: Diagnostics,
) -> bool:
    """Whether ``value`` is empty or a known id; report it otherwise."""
    if not value or value in known:
        return bool(value)
    hint = did_you_mean(value, known)
    diagnostics.error(
        path,
        line,
        f"unknown-{what}",
        f"unknown {what} id '{value}'",
        (f"{hint} " if hint else "")
        + (f"the ids are in {where}" if known else f"there are none yet: add it to {where}"),
    )
    return False


@dataclass
class _References:
    """Checks references from records to news articles, by file stem."""

    by_stem: dict[str, str]
    drafts: set[str]
    diagnostics: Diagnostics
    scheduled: set[str] = field(default_factory=set)  # published later: linked from then on

    def article(
        self, path: str, line: int, stem: str, record: str, mentions: dict[str, set[str]]
    ) -> None:
        if not stem:
            return
        if stem in self.by_stem:
            mentions[record].add(self.by_stem[stem])
            return
        if stem in self.scheduled:
            return
        if stem in self.drafts:
            self.diagnostics.error(
                path,
                line,
                "draft-article",
                f"article '{stem}' is a draft, so this record cannot link to it",
                "publish the article (draft: false) or remove the reference",
            )
            return
        hint = did_you_mean(stem, self.by_stem)
        self.diagnostics.error(
            path,
            line,
            "unknown-article",
            f"there is no news article '{stem}'",
            hint
            or "name the article by its file name without language and .md, "
            "e.g. 2020-04-22-excellent-teams-2020",
        )


def _unique_languages(group: list[Article], diagnostics: Diagnostics) -> list[Article]:
    seen: dict[str, Article] = {}
    for article in sorted(group, key=lambda a: a.path):
        if article.lang in seen:
            first = seen[article.lang]
            diagnostics.error(
                article.path,
                1,
                "duplicate-article",
                f"this file and {first.path} are both the '{article.lang}' version of "
                f"'{article.stem}'",
                "delete one of them, or rename one to a different name",
            )
            continue
        seen[article.lang] = article
    return list(seen.values())


def _check_unused_files(articles: Iterable[Article], diagnostics: Diagnostics) -> None:
    """Warn of each file of an article folder that none of its languages
    shows or links: it is not published, and an editor may have meant to."""
    folders: dict[str, tuple[set[str], set[str]]] = {}
    for article in articles:
        folder = article.bundle_dir
        if folder is None:
            continue
        unused, used = folders.setdefault(folder, (set(), set()))
        unused.update(article.unused)
        used.update(article.used)
    for folder, (unused, used) in sorted(folders.items()):
        for name in sorted(unused - used):
            picture = PurePosixPath(name).suffix.lower() in IMAGE_SUFFIXES
            diagnostics.warning(
                f"{folder}/{name}",
                0,
                "unused-file",
                "nothing in the article shows or links this file, so it is not published",
                f"show it with ![what it shows]({name}), or move it out of the article's folder"
                if picture
                else f"link it with [附件名称]({name}), or move it out of the article's folder",
            )


def _original(group: list[Article], config: SiteConfig) -> Article:
    by_lang = {a.lang: a for a in group}
    for lang in config.languages:
        if lang in by_lang:
            return by_lang[lang]
    return group[0]


def _inherit(article: Article, original: Article, diagnostics: Diagnostics) -> Article:
    """``article``, a translation, with what it leaves unsaid taken from
    its ``original`` (see INHERITED in parse), and the files of the
    pictures it describes without naming them from the original's."""
    if any(not image.src for image in article.images):
        article = _inherit_pictures(article, original, diagnostics)
    if not article.unset:
        return article
    return replace(
        article,
        **{key: getattr(original, key) for key in sorted(article.unset)},
        lines={**article.lines, **{k: 0 for k in sorted(article.unset)}},
    )


def _inherit_pictures(article: Article, original: Article, diagnostics: Diagnostics) -> Article:
    """``article`` with each front-matter picture it gives no file for
    showing the file of its original's picture in the same place."""
    images = []
    for index, image in enumerate(article.images):
        if image.src:
            images.append(image)
        elif index < len(original.images):
            theirs = original.images[index]
            images.append(replace(image, src=theirs.src, picture=theirs.picture))
        else:
            diagnostics.error(
                article.path,
                article.lines.get(f"images.{index}", article.lines.get("images", 1)),
                "missing-field",
                f"picture {index + 1} of 'images' has no 'src', and {original.path} "
                "has no picture in that place to take it from",
                "name the file: src: photo.jpg",
            )
    shown = {*article.pictures, *(i.picture for i in images if i.picture is not None)}
    cover = article.cover or next(
        (i for i in images if i.picture and i.picture.share() and i.alt), None
    )
    return replace(
        article,
        images=tuple(images),
        pictures=tuple(sorted(shown, key=lambda p: p.src)),
        cover=cover,
    )


def _unnamed_pictures(article: Article, diagnostics: Diagnostics) -> Article:
    """``article``, an original, without the front-matter pictures it
    names no file for, each reported: it has no original to take one from."""
    if all(image.src for image in article.images):
        return article
    for index, image in enumerate(article.images):
        if not image.src:
            diagnostics.error(
                article.path,
                article.lines.get(f"images.{index}", article.lines.get("images", 1)),
                "missing-field",
                f"picture {index + 1} of 'images' has no 'src'",
                "name the file: src: photo.jpg",
            )
    return replace(article, images=tuple(i for i in article.images if i.src))


def _differs(article: Article, original: Article, key: str, diagnostics: Diagnostics) -> None:
    diagnostics.warning(
        article.path,
        article.lines.get(key, 0),
        "translation-differs",
        f"'{key}' differs from {original.path}:{original.lines.get(key, 1)}, its original's",
        f"remove '{key}' from the translation: it takes the original's",
    )


def _check_translation(article: Article, original: Article, diagnostics: Diagnostics) -> None:
    for key in ("town", "kind"):
        if key not in article.unset and getattr(article, key) != getattr(original, key):
            _differs(article, original, key, diagnostics)
    for draft, theirs in zip(article.events, original.events, strict=False):
        if draft.when.start != dt.date.min and draft.when != theirs.when:
            diagnostics.warning(
                article.path,
                draft.line,
                "translation-differs",
                f"this event's date differs from {original.path}:{theirs.line}, its original's",
                "remove the date from the translation's event: it takes the original's",
            )
    if article.date != original.date:
        diagnostics.warning(
            article.path,
            article.lines.get("date", 0),
            "translation-date",
            f"date {article.date} differs from {original.date} in {original.path}",
            "a translation keeps the original's date; its address uses the original's",
        )
    if article.slug != original.slug:
        diagnostics.warning(
            article.path,
            article.lines.get("slug", 0),
            "translation-slug",
            f"slug '{article.slug}' differs from '{original.slug}' in {original.path}; "
            "the original's is used so that both languages share one address",
            "remove the slug from the translation",
        )


def _tag_lookup(vocabulary: dict[str, Tag]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for tag in vocabulary.values():
        lookup[tag.id] = tag.id
        for _lang, name in tag.name.values:
            lookup[name.casefold()] = tag.id
    return lookup


def _resolve_tags(
    article: Article,
    lookup: dict[str, str],
    vocabulary: dict[str, Tag],
    has_vocabulary: bool,
    diagnostics: Diagnostics,
) -> tuple[str, ...]:
    ids: list[str] = []
    for index, name in enumerate(article.tags):
        tag_id = lookup.get(name.casefold()) or lookup.get(name)
        if tag_id is None:
            tag_id = slugify(name)
            if not tag_id:
                diagnostics.error(
                    article.path,
                    article.lines.get(f"tags.{index}", 0),
                    "bad-tag",
                    f"tag '{name}' has no letters or digits to make an address from",
                )
                continue
            if tag_id in vocabulary:
                names = vocabulary[tag_id].name.values
                other = names[0][1] if names else tag_id
                diagnostics.warning(
                    article.path,
                    article.lines.get(f"tags.{index}", 0),
                    "tag-collision",
                    f"tag '{name}' would have the same address /tags/{tag_id}/ "
                    f"as the tag '{other}'",
                    "write a tag the same way in every article, or give each tag an id of "
                    "its own in content/tags.yaml",
                )
                lookup[name.casefold()] = tag_id
            elif has_vocabulary:
                diagnostics.warning(
                    article.path,
                    article.lines.get(f"tags.{index}", 0),
                    "unknown-tag",
                    f"tag '{name}' is not in content/tags.yaml, so it has no translation",
                    did_you_mean(name.casefold(), lookup) or f"add it: {tag_id}: {{zh: …, en: …}}",
                )
            if tag_id not in vocabulary:
                vocabulary[tag_id] = Tag(tag_id, Text.plain(name))
                lookup[name.casefold()] = tag_id
        if tag_id not in ids:
            ids.append(tag_id)
    return tuple(ids)

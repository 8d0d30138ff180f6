"""Documents into one checked :class:`Site`: translations paired, tags resolved.

``resolve`` is where relations between files are checked: two files that
claim the same article and language, translations that disagree on their
address, tags that are not in the vocabulary.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from sitegen.config import SiteConfig
from sitegen.diagnostics import Diagnostics, did_you_mean
from sitegen.model import Article, Site, Tag, Text
from sitegen.text import slugify


def resolve_site(
    articles: list[Article],
    tags: dict[str, Tag],
    config: SiteConfig,
    diagnostics: Diagnostics,
    include_drafts: bool = False,
    has_vocabulary: bool = False,
) -> Site:
    published = [a for a in articles if include_drafts or not a.draft]
    groups: dict[str, list[Article]] = defaultdict(list)
    for article in published:
        groups[article.stem].append(article)

    vocabulary = dict(tags)
    lookup = _tag_lookup(vocabulary)
    resolved: list[Article] = []
    for stem in sorted(groups):
        group = _unique_languages(groups[stem], diagnostics)
        original = _original(group, config)
        key = f"{original.date:%Y/%m}/{original.slug}"
        for article in group:
            if article is not original:
                _check_translation(article, original, diagnostics)
            tag_ids = _resolve_tags(article, lookup, vocabulary, has_vocabulary, diagnostics)
            resolved.append(replace(article, key=key, slug=original.slug, tags=tag_ids))

    resolved.sort(key=lambda a: (-a.date.toordinal(), a.key, a.lang))
    translations: dict[str, dict[str, Article]] = defaultdict(dict)
    for article in resolved:
        translations[article.key][article.lang] = article
    return Site(tuple(resolved), vocabulary, dict(translations))


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


def _original(group: list[Article], config: SiteConfig) -> Article:
    by_lang = {a.lang: a for a in group}
    for lang in config.languages:
        if lang in by_lang:
            return by_lang[lang]
    return group[0]


def _check_translation(article: Article, original: Article, diagnostics: Diagnostics) -> None:
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
            if has_vocabulary:
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

"""Parsing a site's files fast: a file whose text and settings are what
they were in this process's last build, or in the build cache, is not
parsed again; the others are parsed by the runner's workers, which write
each article's body out of memory (see ``bodies.py``) and keep what they
parsed in the build cache. For a site planned in a child process, the
texts are spooled, so that they are not held while the workers parse.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sitegen.core.config import SiteConfig
from sitegen.core.diagnostics import Diagnostic, Diagnostics
from sitegen.core.load import Source, Sources
from sitegen.core.model import Article
from sitegen.core.parse import parse_article, parse_tags
from sitegen.core.records import parse_series, parse_studio, parse_team, parse_towns
from sitegen.core.resolve import Documents
from sitegen.engine.bodies import BodyStore
from sitegen.engine.cache import BuildStore, fingerprint, key_of
from sitegen.engine.fastmd import read as read_fast
from sitegen.engine.parallel import Spool, fork_map, release_memory
from sitegen.engine.runners import Bounded, Runner

# each file's source (its text replaced by the text's digest), settings,
# document and problems, by kind and path: what a build hands the next
Memo = dict[str, tuple[Source, SiteConfig, Any, list[Diagnostic]]]


@dataclass(frozen=True, slots=True)
class Parsed:
    documents: Documents
    diagnostics: list[Diagnostic]
    sources: Sources  # without their texts, which are not needed again
    memo: Memo
    parses: int  # files parsed, not taken from the memo or the cache


_PARSERS: dict[str, Callable[[Source, SiteConfig, Diagnostics], Any]] = {
    "article": functools.partial(parse_article, read=read_fast),
    "tags": parse_tags,
    "team": parse_team,
    "studio": parse_studio,
    "towns": parse_towns,
    "series": parse_series,
}


def _parse_one(
    item: tuple[str, Source, str], config: SiteConfig, bodies: BodyStore, store: BuildStore | None
) -> tuple[Any, list[Diagnostic]]:
    """Parse one file and keep the result in the build cache under the
    item's key (where there is one), here, in the worker that made it."""
    kind, source, key = item
    found = Diagnostics()
    doc = _PARSERS[kind](source, config, found)
    if store is not None and key:
        store.put("parse", key, (doc, list(found)))  # with the body held, as the cache keeps it
    return _written(doc, bodies), list(found)


def _written(doc: Any, bodies: BodyStore) -> Any:
    """``doc`` with an article's body written out rather than held."""
    if isinstance(doc, Article) and not doc.body.written:
        return dataclasses.replace(doc, body=bodies.write(doc.body))
    return doc


def _fingerprint(source: Source) -> Source:
    """``source`` with its text replaced by the text's digest: what the
    next build compares, without keeping every text in memory."""
    digest = hashlib.blake2b(source.text.encode("utf-8"), digest_size=16).hexdigest()
    return dataclasses.replace(source, text=digest)


def without_texts(sources: Sources) -> Sources:
    def bare(found: tuple[Source, ...]) -> tuple[Source, ...]:
        return tuple(dataclasses.replace(s, text="") for s in found)

    return Sources(
        articles=bare(sources.articles),
        tags=sources.tags,
        teams=bare(sources.teams),
        studios=bare(sources.studios),
        towns=sources.towns,
        series=sources.series,
        unreadable=sources.unreadable,
        corrected=sources.corrected,
    )


def parse_sources(
    handed: list[Sources],
    config: SiteConfig,
    runner: Runner,
    bodies: BodyStore,
    store: BuildStore | None,
    previous: Memo,
) -> Parsed:
    """Every source file's document, parsed again only where its text (and
    the settings) are not what they were in ``previous`` or in ``store``.
    The sources are ``handed`` over in a list, which this empties, so that
    their texts can be let go of while the workers read them from a spool.
    Raises OSError where the bodies or the spool cannot be written."""
    sources = handed.pop()
    work = [
        *(("article", s) for s in sources.articles),
        *(("tags", s) for s in ([sources.tags] if sources.tags else [])),
        *(("team", s) for s in sources.teams),
        *(("studio", s) for s in sources.studios),
        *(("towns", s) for s in ([sources.towns] if sources.towns else [])),
        *(("series", s) for s in ([sources.series] if sources.series else [])),
    ]
    fingerprints = [_fingerprint(source) for _, source in work]
    results, keys = _known(work, fingerprints, config, previous, store, bodies)
    missing = [index for index in range(len(work)) if index not in results]
    parse = functools.partial(_parse_one, config=config, bodies=bodies, store=store)
    todo_items = [(*work[i], keys.get(i, "")) for i in missing]
    has_vocabulary = sources.tags is not None
    if isinstance(runner, Bounded):
        with Spool(todo_items, runner.jobs, runner.least, runner.spool_from) as todo:
            del todo_items
            if todo.spooled:  # the workers read the texts back: not kept here meanwhile
                work = [(kind, fingerprints[i]) for i, (kind, _) in enumerate(work)]
                sources = without_texts(sources)
                release_memory()
            made = fork_map(parse, todo, reuse=not todo.spooled)
    else:
        made = runner.map(parse, todo_items)
    for index, result in zip(missing, made, strict=True):
        results[index] = result
    kinds = [kind for kind, _ in work]
    del work
    memo: Memo = {}
    diagnostics: list[Diagnostic] = []
    docs: dict[str, list[Any]] = {kind: [] for kind in _PARSERS}
    unreadable = set(sources.unreadable)  # records that could not be read, as "teams/<id>"
    for index, kind in enumerate(kinds):
        doc, found = results[index]
        memo[f"{kind}:{fingerprints[index].path}"] = (fingerprints[index], config, doc, found)
        diagnostics.extend(found)
        if doc is not None:
            docs[kind].append(doc)
        elif kind in ("team", "studio"):
            unreadable.add(f"{kind}s/{fingerprints[index].stem}")
        elif kind == "article":
            unreadable.add(f"news/{fingerprints[index].stem}")
    documents = Documents(
        articles=docs["article"],
        tags=docs["tags"][0] if docs["tags"] else {},
        has_vocabulary=has_vocabulary,
        teams=docs["team"],
        studios=docs["studio"],
        towns=docs["towns"][0] if docs["towns"] else {},
        series=docs["series"][0] if docs["series"] else {},
        unreadable=frozenset(unreadable),
        corrected=sources.corrected,
    )
    return Parsed(documents, diagnostics, without_texts(sources), memo, len(missing))


def _known(
    work: list[tuple[str, Source]],
    fingerprints: list[Source],
    config: SiteConfig,
    previous: Memo,
    store: BuildStore | None,
    bodies: BodyStore,
) -> tuple[dict[int, tuple[Any, list[Diagnostic]]], dict[int, str]]:
    """The documents (and problems) of the files of ``work`` whose text and
    settings are in ``previous`` or in ``store``, by index; and the cache
    keys of the others, under which their workers keep what they parse."""
    settings = fingerprint(config)
    results: dict[int, tuple[Any, list[Diagnostic]]] = {}
    keys: dict[int, str] = {}
    for index, (kind, source) in enumerate(work):
        hit = previous.get(f"{kind}:{source.path}")
        if hit is not None and hit[0] == fingerprints[index] and hit[1] == config:
            results[index] = (hit[2], hit[3])
        elif store is not None:
            keys[index] = key_of("parse", kind, fingerprint(source), settings)
            stored = store.get("parse", keys[index])
            if stored is not None:
                results[index] = (_written(stored[0], bodies), stored[1])
    return results, keys

"""Builds in one process that redo only what changed: what a build hands
the next (:class:`BuildCache`), and the live preview's quick path for an
article whose text alone changed.

An editor saving an article mostly changes its text, not its title, date,
tags or pictures. That changes one page only — the article's own — until
list summaries, feeds and the search index catch up. So ``serve`` first
renders that page alone from the last build's plan and shows it, within a
fraction of a second even in a large archive, and then rebuilds the whole
site as usual, which replaces it with the same page and updates the rest.

Anything beyond the text (front matter, pictures, a new problem in the
file) gives ``None``: the whole rebuild is the only one that can judge it.
"""

from __future__ import annotations

import dataclasses
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.core.config import SiteConfig
from sitegen.core.diagnostics import Diagnostic, Diagnostics
from sitegen.core.load import Source
from sitegen.core.model import Article
from sitegen.core.pages import Page
from sitegen.core.parse import parse_article
from sitegen.core.plan import ArticleView
from sitegen.core.render import Renderer
from sitegen.core.text import reading_minutes
from sitegen.core.textfile import decode_text
from sitegen.engine.bodies import BodyStore
from sitegen.engine.fastmd import read as read_fast


@dataclass
class BuildCache:
    """What a build hands the next one in the same process (``serve``).

    A file whose text (and the configuration) is unchanged is not parsed
    again, and a page whose value and whose templates, strings and assets
    are unchanged is not rendered again. Resolving and planning always run:
    they are cheap and relate every file to every other, so the result is
    the same, byte for byte, as a build from scratch.
    """

    # each file's source (its text replaced by the text's digest), settings,
    # document and problems
    parsed: dict[str, tuple[Source, SiteConfig, Any, list[Diagnostic]]] = field(
        default_factory=dict
    )
    bodies: BodyStore | None = None  # where the parsed articles' bodies are written
    rendered: dict[str, tuple[Page, str, bytes]] = field(default_factory=dict)
    renderer: Renderer | None = None  # the last build's, with its templates compiled
    article_pages: dict[str, list[str]] = field(default_factory=dict)  # source -> output paths
    parses: int = 0  # files parsed by the last build
    renders: int = 0  # pages rendered by the last build


# What an article's text alone decides; everything else must be as before.
_TEXT_FIELDS = ("body", "text_length", "summary", "links")


def preview_article(site_dir: Path, cache: BuildCache, rel: str) -> dict[str, bytes] | None:
    """Output path → HTML of the page of the article at ``rel`` (relative to
    ``site_dir``) as it is now, if only its text changed since the build
    that filled ``cache``; ``None`` if anything else did."""
    parsed = cache.parsed.get(f"article:{rel}")
    renderer = cache.renderer
    if parsed is None or renderer is None:
        return None
    old_source, config, old_article, old_problems = parsed
    text = _read(site_dir / rel, rel)
    if text is None or not isinstance(old_article, Article):
        return None
    problems = Diagnostics()
    new_article = parse_article(
        dataclasses.replace(old_source, text=text), config, problems, read_fast
    )
    if new_article is None or list(problems) != old_problems:
        return None
    same = {name: getattr(old_article, name) for name in _TEXT_FIELDS}
    if dataclasses.replace(new_article, **same) != old_article:
        return None
    pages: dict[str, bytes] = {}
    for out in cache.article_pages.get(rel, ()):
        kept = cache.rendered.get(out)
        if kept is None:  # a build that wrote its pages as it made them kept none
            return None
        shown = _with_text(kept[0], new_article)
        html = renderer.render(shown, problems)
        if html is None or problems:
            return None
        pages[out] = html.encode("utf-8")
    return pages or None


def _with_text(page: Page, article: Article) -> Page:
    view = page.view
    assert isinstance(view, ArticleView)
    changes = {name: getattr(article, name) for name in _TEXT_FIELDS}
    shown = dataclasses.replace(view.article, **changes)
    return dataclasses.replace(
        page,
        description=shown.summary,
        view=dataclasses.replace(
            view,
            article=shown,
            reading_minutes=reading_minutes(shown.text_length, shown.lang),
        ),
    )


def _read(path: Path, rel: str) -> str | None:
    """The text of the regular file at ``path``, if it decodes without a problem."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        data = path.read_bytes()
    except OSError:
        return None
    decoded = decode_text(data, rel)
    return None if decoded.problems or decoded.text is None else decoded.text

"""The contract between ``plan`` and ``render``: pages, links and addresses.

Templates see a :class:`Page` and its ``view``, nothing else. Addresses are
site paths (``/news/2020/04/pujiang-visit/``); the base path is added when
rendering.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sitegen.core.config import SiteConfig
from sitegen.core.i18n import format_date, url_prefix
from sitegen.core.images import Variant
from sitegen.core.model import Article, Text


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    label: str
    current: bool = False


@dataclass(frozen=True, slots=True)
class LanguageLink:
    """The same page in another language; ``exists`` is false for a stub."""

    lang: str
    url: str
    exists: bool


@dataclass(frozen=True, slots=True)
class FilterLink:
    url: str
    name: Text
    count: int
    current: bool
    key: str  # "town:<id>", "kind:<id>", …, for filtering in place


@dataclass(frozen=True, slots=True)
class ArticleCard:
    url: str
    title: str
    date: str  # ISO, for <time datetime>
    date_text: str
    summary: str
    lang: str  # the article's language: may differ from the page's


@dataclass(frozen=True, slots=True)
class Pagination:
    previous: str | None
    next: str | None
    pages: tuple[Link | None, ...]  # None: a gap of page numbers not linked


@dataclass(frozen=True, slots=True)
class ShareImage:
    """The picture a chat app shows beside a shared link."""

    path: str  # site path
    width: int
    height: int
    alt: str


@dataclass(frozen=True, slots=True)
class Page:
    url: str
    template: str
    lang: str
    title: str  # "" for the home page: the site title alone
    description: str
    section: str  # which navigation item is current
    view: Any
    languages: tuple[LanguageLink, ...] = ()  # every language, this page's own included
    canonical: str | None = None  # site path; None for pages not to be indexed
    sources: tuple[str, ...] = ()  # input files this page reads
    image: ShareImage | None = None  # the picture that represents the page when shared

    @property
    def output_path(self) -> str:
        return output_path(self.url)

    @property
    def alternates(self) -> tuple[LanguageLink, ...]:
        return tuple(link for link in self.languages if link.exists)


@dataclass(frozen=True, slots=True)
class Plan:
    pages: tuple[Page, ...]
    files: dict[str, str] = field(default_factory=dict)  # output path -> source file
    # output path -> (source picture, the copy to make of it)
    images: dict[str, tuple[str, Variant]] = field(default_factory=dict)


def output_path(url: str) -> str:
    """``/news/x/`` → ``news/x/index.html``; ``/404.html`` → ``404.html``."""
    path = url.lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path


def article_url(article: Article, lang: str, config: SiteConfig) -> str:
    return f"{url_prefix(lang, config)}/news/{article.key}/"


def article_card(article: Article, config: SiteConfig) -> ArticleCard:
    return ArticleCard(
        url=article_url(article, article.lang, config),
        title=article.title,
        date=article.date.isoformat(),
        date_text=format_date(article.date, article.lang),
        summary=article.summary,
        lang=article.lang,
    )


def same_everywhere(path: str, config: SiteConfig) -> tuple[LanguageLink, ...]:
    """Language links for a page that every language has at ``path``."""
    return tuple(
        LanguageLink(lang, f"{url_prefix(lang, config)}{path}", True) for lang in config.languages
    )


def page_window(current: int, count: int, around: int = 2) -> list[int | None]:
    """The page numbers a list page links: the first, the last, and
    ``around`` on each side of ``current``; ``None`` stands for the numbers
    left out between them. A gap that would hide a single number shows it
    instead. The list stays short however long the archive grows."""
    shown = {1, count, *range(current - around, current + around + 1)}
    numbers = sorted(n for n in shown if 1 <= n <= count)
    window: list[int | None] = []
    last = 0
    for n in numbers:
        if n - last == 2:
            window.append(n - 1)
        elif n - last > 2:
            window.append(None)
        window.append(n)
        last = n
    return window

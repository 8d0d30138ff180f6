"""The contract between ``plan`` and ``render``: pages, links and addresses,
and the check that every address is taken once and can be held anywhere.

Templates see a :class:`Page` and its ``view``, nothing else. Addresses are
site paths (``/news/2020/04/pujiang-visit/``); the base path is added when
rendering.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sitegen.core.config import SiteConfig
from sitegen.core.diagnostics import Diagnostics
from sitegen.core.i18n import format_date, url_prefix
from sitegen.core.images import SQUARE, Variant
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
    pinned: bool = False  # shown on top of this list, marked 置顶
    scheduled: bool = False  # dated after the build date: seen in previews only


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


# The square picture of a shared link to a page without a picture of its
# own: the site's logo laid on white, else the theme's share.png.
LOGO_SQUARE = "share.jpg"
THEME_SQUARE = "/assets/share.png"
_RASTER = (".png", ".jpg", ".jpeg", ".webp")


def square_logo(config: SiteConfig) -> Variant | None:
    """The square copy of the site's logo to make, where the logo is a photo-like picture."""
    if not config.identity.logo.lower().endswith(_RASTER):
        return None
    return Variant(LOGO_SQUARE, SQUARE, SQUARE, "jpeg", "", "pad")


def site_square(config: SiteConfig) -> ShareImage:
    """The square picture of the pages that have none of their own."""
    if square_logo(config) is not None:
        return ShareImage("/" + LOGO_SQUARE, SQUARE, SQUARE, "")
    return ShareImage(THEME_SQUARE, 0, 0, "")  # the theme's: its size is the theme's


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
    square: ShareImage | None = None  # the same, square, for WeChat's and QQ's small cards
    lastmod: dt.date | None = None  # an article's: the day it was last changed, for the sitemap

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


def check_addresses(
    placed: Iterable[tuple[str, str, str]],
    files: dict[str, str],
    images: dict[str, tuple[str, Variant]],
    diagnostics: Diagnostics,
) -> None:
    """Every output file has one source, and a name every host can hold.
    ``placed``: each page's output path, first source ("" if none) and url;
    ``files``: the files copied, ``images``: the pictures' copies, by output.
    (A picture's copies are in a media folder of their own, where no other
    file can take their names.)"""
    _check_collisions(placed, files, diagnostics)
    _check_names(placed, files, images, diagnostics)


# Names Windows keeps for devices, with or without an extension.
_DEVICE_NAME = re.compile(r"^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])(?:\..*)?$", re.IGNORECASE)


def _check_names(
    placed: Iterable[tuple[str, str, str]],
    files: dict[str, str],
    images: dict[str, tuple[str, Variant]],
    diagnostics: Diagnostics,
) -> None:
    """Output names that some hosts and computers cannot hold: two that
    differ only in letter case (Windows and macOS keep only one of them),
    and a name Windows keeps for a device (``con``, ``nul``, ``com1``…).
    ``placed``: each page's output path, first source ("" if none) and url."""
    sources: dict[str, str] = {}
    for out, source, _url in placed:
        sources.setdefault(out, source)
    sources.update(files)
    sources.update({out: source for out, (source, _variant) in images.items()})
    devices: dict[str, dict[str, str]] = defaultdict(dict)  # device name: source: output
    for out in sorted(sources):
        device = next((part for part in out.split("/") if _DEVICE_NAME.match(part)), None)
        if device is not None:
            devices[device].setdefault(sources[out], out)
    for device, found in sorted(devices.items()):
        named = {source: out for source, out in found.items() if source} or {"site.yaml": found[""]}
        for source, out in sorted(named.items()):
            diagnostics.error(
                source,
                0,
                "reserved-name",
                f"{out} has a part named '{device}', which Windows keeps for a device",
                "rename it (a slug, an id or a file name): such a file cannot be copied "
                "to a Windows computer",
            )
    folded: dict[str, list[str]] = defaultdict(list)
    for out in sorted(sources):
        folded[out.casefold()].append(out)
    for outs in folded.values():
        if len(outs) < 2:
            continue
        owners = sorted({sources[out] for out in outs if sources[out]}) or ["site.yaml"]
        diagnostics.error(
            owners[0],
            0,
            "case-collision",
            f"{' and '.join(outs)} differ only in letter case",
            "a host or computer that ignores letter case (Windows, macOS) keeps only one of "
            "them; rename one of the files",
        )


def _check_collisions(
    placed: Iterable[tuple[str, str, str]], files: dict[str, str], diagnostics: Diagnostics
) -> None:
    """Two inputs that would write the same output file, both named."""
    owners: dict[str, list[str]] = defaultdict(list)
    addresses: dict[str, str] = {}
    for out, source, url in placed:  # in plan order: the default language first
        owners[out].append(source or "(generated)")
        addresses.setdefault(out, url)
    for out in files:
        if out in owners:
            owners[out].append(files[out])
    reported: set[tuple[str, ...]] = set()
    for out, sources in owners.items():
        named = tuple(sorted(set(sources)))
        if len(sources) < 2 or named in reported:
            continue
        reported.add(named)
        first = next((n for n in named if n != "(generated)"), named[0])
        diagnostics.error(
            first,
            1,
            "duplicate-url",
            f"{' and '.join(named)} would be published at the same address {addresses[out]}",
            "give one of the articles another slug (slug: … in its front matter) or file name",
        )


def page_path(path: str, number: int) -> str:
    """The address of page ``number`` of a list at ``path``."""
    return path if number == 1 else f"{path}page/{number}/"


def pagination(path: str, number: int, count: int) -> Pagination:
    """The links from page ``number`` of ``count`` of the list at ``path``."""
    return Pagination(
        previous=page_path(path, number - 1) if number > 1 else None,
        next=page_path(path, number + 1) if number < count else None,
        pages=tuple(
            None if n is None else Link(page_path(path, n), str(n), n == number)
            for n in page_window(number, count)
        ),
    )

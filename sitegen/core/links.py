"""Links written in articles that lead nowhere on this site: to an address
the site has no page or file at, or to an ``#anchor`` the page does not
have. Each is a warning at the link's own line and column (an error with
``--strict``), with the closest real address of the same kind (a team's,
a news article's) suggested.

What is checked here is what the plan knows: every page's and file's
address, the anchors of article pages (their headings and notes) and
those the theme's templates write. ``sitegen check`` also reads every
finished page, for links a template makes.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from sitegen.core.attachments import names_a_file
from sitegen.core.config import SiteConfig
from sitegen.core.diagnostics import Diagnostics, did_you_mean
from sitegen.core.load import Settings
from sitegen.core.model import Article, Site
from sitegen.core.pages import article_url, output_path
from sitegen.core.theme import Theme

_ID = re.compile(r'\sid="([^"]+)"')
# what a site path written from the root needs read with care: a query, an
# anchor, an escape, "." or ".." or "//" parts, or a scheme-like colon
_SPECIAL = re.compile(r"[?#%:\\]|/\.|//")
_TEMPLATE_ID = re.compile(r'\sid="([^"]*)"')
# how an address of each kind looks, for a link to one that is not there
_EXAMPLES = {
    "news": "a news link looks like /news/2020/04/pujiang-visit/",
    "teams": "a team's address is /teams/ and the id of its file in content/teams/",
    "studios": "a studio's address is /studios/ and the id of its file in content/studios/",
    "tags": "a topic's address is /tags/ and its id in content/tags.yaml",
}


@dataclass(frozen=True, slots=True)
class ThemeAnchors:
    """The anchors the theme's templates write on every page of theirs."""

    ids: frozenset[str]
    # a template makes an anchor from a value (id="{{ … }}"): another anchor
    # may be there, which only the finished page shows
    made: bool


def theme_anchors(theme: Theme) -> ThemeAnchors:
    ids: set[str] = set()
    made = False
    for name, path in sorted(theme.files("templates").items()):
        if not name.endswith(".html"):
            continue
        for value in _TEMPLATE_ID.findall(path.read_text(encoding="utf-8", errors="replace")):
            if "{" in value:
                made = True
            else:
                ids.add(value)
    return ThemeAnchors(frozenset(ids), made)


def link_target(href: str, page_url: str, base_path: str) -> tuple[str, str] | None:
    """The site path and fragment ``href`` on ``page_url`` leads to, or
    ``None`` for a link elsewhere (another host, mailto:, …)."""
    if href[:1] == "/" and href[1:2] != "/" and not _SPECIAL.search(href):  # most: /news/…/
        if base_path != "/" and href.startswith(base_path):
            href = "/" + href[len(base_path) :]
        return href, ""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("//"):
        return None
    path = unquote(parts.path)
    if not path:
        return page_url, parts.fragment
    if not path.startswith("/"):
        folder = page_url if page_url.endswith("/") else page_url.rsplit("/", 1)[0] + "/"
        path = folder + path
    elif base_path != "/" and path.startswith(base_path):
        path = "/" + path[len(base_path) :]
    segments: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if segments:
                segments.pop()
        elif segment not in ("", "."):
            segments.append(segment)
    clean = "/" + "/".join(segments)
    if path.endswith("/") and clean != "/":
        clean += "/"
    return clean, parts.fragment


def file_at(path: str, files: Collection[str]) -> str | None:
    """The output file behind a site path, if the site has one."""
    for candidate in (output_path(path), output_path(path + "/")):
        if candidate in files:
            return candidate
    return None


def check_article_links(
    site: Site,
    config: SiteConfig,
    files: Collection[str],
    anchors: ThemeAnchors,
    diagnostics: Diagnostics,
) -> None:
    """Warn of each link in an article that leads to no page or file of
    ``files`` (every output path of the site), or to an anchor its page
    does not have."""
    checker = _Checker(site, config, files, anchors)
    for article in site.articles:
        if not article.links:
            continue
        address = article_url(article, article.lang, config)
        # a link to a file of the article's folder leads to its media folder
        media = {pic.src: pic.href for pic in article.media if pic.folder}
        media.update((found.name, found.href) for found in article.attachments)
        for line, column, href in article.links:
            name, mark, rest = href.partition("#")
            published = media.get(unquote(name)) if media else None
            if published is None and names_a_file(unquote(name.partition("?")[0])):
                continue  # a file missing from the article's folder: an error of parse's
            target = link_target(published + mark + rest if published else href, address, "/")
            if target is None:
                continue
            found = file_at(target[0], files)
            if found is None:
                diagnostics.warning(
                    article.path,
                    line,
                    "broken-link",
                    f"link '{unquote(href)}' leads nowhere: no such page on this site",
                    checker.page_hint(target[0]),
                    column,
                )
            elif target[1] and not checker.has_anchor(found, unquote(target[1])):
                anchor = unquote(target[1])
                diagnostics.warning(
                    article.path,
                    line,
                    "broken-link",
                    f"link '{unquote(href)}' leads nowhere: no such anchor #{anchor} on this site",
                    checker.anchor_hint(found, anchor),
                    column,
                )


class _Checker:
    def __init__(
        self, site: Site, config: SiteConfig, files: Collection[str], anchors: ThemeAnchors
    ) -> None:
        self.site, self.config, self.files, self.anchors = site, config, files, anchors
        self._articles: dict[str, Article] | None = None
        self.ids: dict[str, frozenset[str]] = {}
        self._addresses: list[str] | None = None

    @property
    def articles(self) -> dict[str, Article]:
        """Each article by its page's output path (made when first needed:
        for a link to an anchor)."""
        if self._articles is None:
            config = self.config
            self._articles = {
                output_path(article_url(a, a.lang, config)): a for a in self.site.articles
            }
        return self._articles

    def page_ids(self, found: str) -> frozenset[str]:
        """The anchors known on the page at ``found``."""
        if found not in self.ids:
            article = self.articles.get(found)
            own = set(_ID.findall(article.body.text)) if article is not None else set()
            self.ids[found] = self.anchors.ids | own
        return self.ids[found]

    def has_anchor(self, found: str, anchor: str) -> bool:
        if not found.endswith(".html") or anchor == "top":  # "#top": the page's top
            return True
        if anchor in self.page_ids(found):
            return True
        return found not in self.articles and self.anchors.made  # only the page can tell

    def addresses(self) -> list[str]:
        if self._addresses is None:
            self._addresses = sorted(_address(path) for path in self.files)
        return self._addresses

    def page_hint(self, path: str) -> str:
        shape = _shape(path, self.config)
        same_kind = (a for a in self.addresses() if _shape(a, self.config) == shape)
        guess = did_you_mean(path, same_kind)
        if guess:
            return guess
        example = _EXAMPLES.get(shape[1], "sitegen serve shows the addresses")
        return f"check the address; {example}"

    def anchor_hint(self, found: str, anchor: str) -> str:
        article = self.articles.get(found)
        own = _ID.findall(article.body.text) if article is not None else self.page_ids(found)
        guess = did_you_mean(anchor, own)  # an article's own: its headings and notes
        if guess:
            return guess
        return "an anchor is made from a heading's words: ## 活动安排 has #huo-dong-an-pai"


def _address(path: str) -> str:
    """The site path of the output file ``path``."""
    if path == "index.html":
        return "/"
    if path.endswith("/index.html"):
        return "/" + path[: -len("index.html")]
    return "/" + path


def _shape(path: str, config: SiteConfig) -> tuple[str, str, int]:
    """A site path's language prefix, kind (its first part after the
    language's: "teams", "news") and number of parts."""
    parts = [part for part in path.split("/") if part]
    lang = parts.pop(0) if parts and parts[0] in config.languages else ""
    return lang, parts[0] if parts else "", len(parts)


def check_links(
    site: Site, settings: Settings, files: Iterable[Iterable[str]], diagnostics: Diagnostics
) -> None:
    """:func:`check_article_links`, with every output path of the site in
    ``files``' groups (pages, bundle files, pictures, …) and the theme's."""
    if settings.theme is not None:
        every = frozenset(path for group in files for path in group)
        every |= settings.theme.files("static").keys()
        anchors = theme_anchors(settings.theme)
        check_article_links(site, settings.config, every, anchors, diagnostics)

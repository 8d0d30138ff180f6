"""What is made of the whole site and its plan rather than page by page:
the calendars, the feeds, the sitemap and robots.txt, and the pages' names
(for weighing them, and for ``serve``, each article's pages).

They are made while the pages are rendered (see ``rendering.py``), or, for
a site planned in a child process, from the plan a batch at a time, so
that its pages need not be held (see ``apart.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sitegen.core.admin import admin_files
from sitegen.core.config import SiteConfig
from sitegen.core.feeds import feed_files
from sitegen.core.finder import finder_files
from sitegen.core.i18n import Strings
from sitegen.core.model import Site
from sitegen.core.pages import Page
from sitegen.core.sitemap import robots, sitemap_entry, sitemaps
from sitegen.engine.cache import BuildStore
from sitegen.engine.calendars import calendar_files
from sitegen.engine.parallel import Packed
from sitegen.engine.runners import Mapper

# a page's output path, address and template
PageName = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class Outputs:
    files: dict[str, bytes]  # output path -> bytes: calendars, feeds, names, sitemap, robots.txt
    pages: list[PageName]  # every page's name, by output path
    article_pages: dict[str, list[str]]  # an article's source -> its pages' output paths


def site_files(
    site: Site, config: SiteConfig, strings: Strings, store: BuildStore | None, each: Mapper
) -> dict[str, bytes]:
    """The calendars, the feeds, the team names of a large directory and
    the browser editor's page and settings, which are made of the site,
    not its pages."""
    made = calendar_files(site, config, strings, store, each)
    made.update(feed_files(site, config))
    made.update(finder_files(site, config))
    made.update(admin_files(site, config, strings))
    return made


class Outline:
    """The pages' names and sitemap entries, gathered a batch of pages at
    a time and held packed."""

    def __init__(self, config: SiteConfig) -> None:
        self.config = config
        self.names: Packed[PageName] = Packed()
        self.sitemap: Packed[tuple[str, str]] = Packed()
        self.sources: Packed[tuple[str, str]] = Packed()  # an article page's path, its source

    def add(self, pages: Sequence[Page]) -> None:
        for page in pages:
            path = page.output_path
            self.names.append((path, page.url, page.template))
            if page.template == "article.html" and len(page.sources) == 1:
                self.sources.append((path, page.sources[0]))
            entry = sitemap_entry(page, self.config)
            if entry is not None:
                self.sitemap.append(entry)

    def finish(self, files: dict[str, bytes]) -> Outputs:
        """The outputs, with ``files`` (the site's, see :func:`site_files`)
        and the sitemap and robots.txt."""
        names = sorted(self.names)  # as the plan's pages are, by output path
        sources: dict[str, str] = {}
        for path, source in self.sources:
            sources.setdefault(path, source)
        article_pages: dict[str, list[str]] = {}
        for path, _url, template in names:
            if template == "article.html" and path in sources:
                article_pages.setdefault(sources[path], []).append(path)
        files = {
            **files,
            **sitemaps(self.sitemap, self.config),
            "robots.txt": robots(self.config),
        }
        return Outputs(files, names, article_pages)


def outputs(
    site: Site,
    pages: Sequence[Page],
    config: SiteConfig,
    strings: Strings,
    store: BuildStore | None,
    each: Mapper,
) -> Outputs:
    """Everything made of ``site`` and its ``pages`` as a whole."""
    outline = Outline(config)
    outline.add(pages)
    return outline.finish(site_files(site, config, strings, store, each))

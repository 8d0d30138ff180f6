"""``/sitemap.xml`` with every page and its language alternates, and
``/robots.txt`` pointing to it."""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import escape

from sitegen.core.config import SiteConfig
from sitegen.core.i18n import language_tag
from sitegen.core.pages import Page

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


def sitemap(pages: Iterable[Page], config: SiteConfig) -> bytes:
    """Every page meant for search engines (those with a canonical address),
    each with ``xhtml:link`` alternates for its languages and ``x-default``.

    Written line by line: the file has one entry per page, and building an
    ElementTree of a large site's sitemap took many times longer."""
    return sitemap_of(entry for page in pages if (entry := sitemap_entry(page, config)))


def sitemap_entry(page: Page, config: SiteConfig) -> tuple[str, str] | None:
    """``page``'s address and its entry in the sitemap, if it has one."""
    if page.canonical is None or page.canonical != page.url:
        return None
    lines = ["  <url>", f"    <loc>{escape(config.base_url + page.url.lstrip('/'))}</loc>"]
    if page.lastmod is not None:
        lines.append(f"    <lastmod>{page.lastmod.isoformat()}</lastmod>")
    alternates = page.alternates
    if len(alternates) > 1:
        links = [(language_tag(link.lang), link.url) for link in alternates]
        for hreflang, url in [*links, ("x-default", alternates[0].url)]:
            lang, href = _attribute(hreflang), _attribute(config.base_url + url.lstrip("/"))
            lines.append(f'    <xhtml:link rel="alternate" hreflang="{lang}" href="{href}" />')
    lines.append("  </url>")
    return page.url, "\n".join(lines)


def sitemap_of(entries: Iterable[tuple[str, str]]) -> bytes:
    """The sitemap of these entries (see :func:`sitemap_entry`), by address."""
    texts = [text for _, text in sorted(entries, key=lambda entry: entry[0])]
    linked = any("<xhtml:link" in text for text in texts)  # which need the xhtml namespace
    root = f'urlset xmlns="{SITEMAP}"' + (f' xmlns:xhtml="{XHTML}"' if linked else "")
    body = f"<{root}>\n" + "\n".join(texts) + "\n</urlset>" if texts else f"<{root} />"
    return f"<?xml version='1.0' encoding='utf-8'?>\n{body}\n".encode()


def _attribute(value: str) -> str:
    return escape(value, {'"': "&quot;", "\n": "&#10;"})


def robots(config: SiteConfig) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {config.base_url}sitemap.xml\n".encode()

"""``/sitemap.xml`` with every page and its language alternates, and
``/robots.txt`` pointing to it. A site of more addresses than one sitemap
may hold (50,000, or 50 MB) gets ``/sitemap-1.xml``, ``/sitemap-2.xml`` …
and ``/sitemap.xml`` becomes their index, as the sitemap protocol asks."""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import escape

from sitegen.core.config import SiteConfig
from sitegen.core.i18n import language_tag
from sitegen.core.pages import Page

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
MOST_ADDRESSES = 50_000  # in one sitemap, by the protocol
LARGEST_FILE = 50 * 1024 * 1024  # bytes, uncompressed
_FRAME = 300  # the XML declaration and the urlset element around the entries


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
    return _urlset(texts)


def sitemaps(
    entries: Iterable[tuple[str, str]],
    config: SiteConfig,
    most: int = MOST_ADDRESSES,
    largest: int = LARGEST_FILE,
) -> dict[str, bytes]:
    """``sitemap.xml`` of these entries, or, when they would pass ``most``
    addresses or ``largest`` bytes, the numbered sitemaps of them in
    address order and ``sitemap.xml`` as their index."""
    texts = [text for _, text in sorted(entries, key=lambda entry: entry[0])]
    parts: list[list[str]] = [[]]
    size = 0
    for text in texts:
        grown = size + len(text.encode()) + 1
        if parts[-1] and (len(parts[-1]) >= most or grown > largest - _FRAME):
            parts.append([])
            grown = len(text.encode()) + 1
        parts[-1].append(text)
        size = grown
    if len(parts) == 1:
        return {"sitemap.xml": _urlset(texts)}
    files = {f"sitemap-{n}.xml": _urlset(part) for n, part in enumerate(parts, start=1)}
    index = "\n".join(
        f"  <sitemap>\n    <loc>{escape(config.base_url + name)}</loc>\n  </sitemap>"
        for name in files
    )
    body = f'<sitemapindex xmlns="{SITEMAP}">\n{index}\n</sitemapindex>'
    return {"sitemap.xml": f"<?xml version='1.0' encoding='utf-8'?>\n{body}\n".encode(), **files}


def _urlset(texts: list[str]) -> bytes:
    linked = any("<xhtml:link" in text for text in texts)  # which need the xhtml namespace
    root = f'urlset xmlns="{SITEMAP}"' + (f' xmlns:xhtml="{XHTML}"' if linked else "")
    body = f"<{root}>\n" + "\n".join(texts) + "\n</urlset>" if texts else f"<{root} />"
    return f"<?xml version='1.0' encoding='utf-8'?>\n{body}\n".encode()


def _attribute(value: str) -> str:
    return escape(value, {'"': "&quot;", "\n": "&#10;"})


def robots(config: SiteConfig) -> bytes:
    """Every page may be crawled but the browser editor's."""
    editor = f"Disallow: {config.base_path}admin/\n" if config.admin is not None else ""
    return f"User-agent: *\nAllow: /\n{editor}\nSitemap: {config.base_url}sitemap.xml\n".encode()

"""``/sitemap.xml`` with every page and its language alternates, and
``/robots.txt`` pointing to it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from sitegen.config import SiteConfig
from sitegen.i18n import language_tag
from sitegen.pages import Page

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


def sitemap(pages: tuple[Page, ...], config: SiteConfig) -> bytes:
    """Every page meant for search engines (those with a canonical address),
    each with ``xhtml:link`` alternates for its languages and ``x-default``."""
    ET.register_namespace("", SITEMAP)
    ET.register_namespace("xhtml", XHTML)
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    for page in sorted(pages, key=lambda p: p.url):
        if page.canonical is None or page.canonical != page.url:
            continue
        entry = ET.SubElement(root, f"{{{SITEMAP}}}url")
        ET.SubElement(entry, f"{{{SITEMAP}}}loc").text = config.base_url + page.url.lstrip("/")
        alternates = page.alternates
        if len(alternates) > 1:
            for link in alternates:
                ET.SubElement(
                    entry,
                    f"{{{XHTML}}}link",
                    rel="alternate",
                    hreflang=language_tag(link.lang),
                    href=config.base_url + link.url.lstrip("/"),
                )
            ET.SubElement(
                entry,
                f"{{{XHTML}}}link",
                rel="alternate",
                hreflang="x-default",
                href=config.base_url + alternates[0].url.lstrip("/"),
            )
    ET.indent(root)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"


def robots(config: SiteConfig) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {config.base_url}sitemap.xml\n".encode()


def sitemap_files(pages: tuple[Page, ...], config: SiteConfig) -> dict[str, bytes]:
    return {"sitemap.xml": sitemap(pages, config), "robots.txt": robots(config)}

"""The sitemap as a search engine reads it: well-formed XML, one entry per
indexed page, language alternates only where a page has a twin."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from sitegen.core.config import SiteConfig
from sitegen.core.model import Text
from sitegen.core.pages import LanguageLink, Page
from sitegen.core.sitemap import SITEMAP, XHTML, sitemap, sitemap_entry, sitemaps

BILINGUAL = SiteConfig(Text.plain("Test"), Text(()), "https://example.org/", ("zh", "en"))
CHINESE = SiteConfig(Text.plain("Test"), Text(()), "https://example.org/a&b/", ("zh",))


def _page(url: str, *twins: tuple[str, str], canonical: bool = True) -> Page:
    languages = tuple(LanguageLink(lang, link, True) for lang, link in twins)
    return Page(
        url, "article.html", "zh", "t", "", "news", None, languages, url if canonical else None
    )


def _entries(data: bytes) -> dict[str, list[tuple[str, str]]]:
    root = ET.fromstring(data)
    assert root.tag == f"{{{SITEMAP}}}urlset"
    found = {}
    for entry in root:
        loc = entry.findtext(f"{{{SITEMAP}}}loc")
        assert loc is not None
        links = entry.findall(f"{{{XHTML}}}link")
        found[loc] = [(link.get("hreflang", ""), link.get("href", "")) for link in links]
    return found


def test_each_indexed_page_is_listed_once_with_its_twins_and_x_default() -> None:
    pages = (
        _page("/news/b/", ("zh", "/news/b/"), ("en", "/en/news/b/")),
        _page("/en/news/b/", ("zh", "/news/b/"), ("en", "/en/news/b/")),
        _page("/news/a/", ("zh", "/news/a/")),
        _page("/search/", canonical=False),
    )
    data = sitemap(pages, BILINGUAL)
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n")
    twins = [
        ("zh-Hans", "https://example.org/news/b/"),
        ("en", "https://example.org/en/news/b/"),
        ("x-default", "https://example.org/news/b/"),
    ]
    assert _entries(data) == {
        "https://example.org/en/news/b/": twins,
        "https://example.org/news/a/": [],
        "https://example.org/news/b/": twins,
    }
    assert list(_entries(data)) == sorted(_entries(data)), "entries are in address order"


def test_a_site_without_twins_declares_no_xhtml_namespace_and_escapes_addresses() -> None:
    data = sitemap((_page("/news/a/", ("zh", "/news/a/")),), CHINESE)
    assert b"xmlns:xhtml" not in data
    assert b"a&amp;b" in data
    assert _entries(data) == {"https://example.org/a&b/news/a/": []}


def test_a_site_with_no_page_still_has_a_valid_sitemap() -> None:
    assert _entries(sitemap((), BILINGUAL)) == {}


def test_a_site_of_more_addresses_than_a_sitemap_holds_gets_an_index() -> None:
    pages = [_page(f"/news/{n:03}/", ("zh", f"/news/{n:03}/")) for n in range(7)]
    entries = [e for page in pages if (e := sitemap_entry(page, CHINESE))]
    assert sitemaps(entries, CHINESE) == {"sitemap.xml": sitemap(pages, CHINESE)}

    files = sitemaps(entries, CHINESE, most=3)
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]
    index = ET.fromstring(files["sitemap.xml"])
    assert index.tag == f"{{{SITEMAP}}}sitemapindex"
    listed = [e.findtext(f"{{{SITEMAP}}}loc") for e in index]
    assert listed == [f"https://example.org/a&b/sitemap-{n}.xml" for n in (1, 2, 3)]
    found = [loc for n in (1, 2, 3) for loc in _entries(files[f"sitemap-{n}.xml"])]
    assert found == [f"https://example.org/a&b/news/{n:03}/" for n in range(7)]
    assert [len(_entries(files[f"sitemap-{n}.xml"])) for n in (1, 2, 3)] == [3, 3, 1]

    by_size = sitemaps(entries, CHINESE, largest=450)
    numbered = {name: data for name, data in by_size.items() if name != "sitemap.xml"}
    assert len(numbered) > 2 and all(len(data) <= 450 for data in numbered.values())
    found = [loc for name in sorted(numbered) for loc in _entries(numbered[name])]
    assert found == [f"https://example.org/a&b/news/{n:03}/" for n in range(7)]

"""What CI publishes besides pages, and what holds the pages together:
feeds, sitemap and robots.txt; every internal link and #anchor resolving to
a file of the site; and a site under a sub-path whose every address stays
inside that path. Checked on the example site published at
https://example.org/xindu/ and on the larger fictional site moved to
https://example.org/qingxi/, by reading the written files."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import feedparser
import pytest

from sitegen.build import BuildOptions, build
from tests.helpers import REPO, SITES, media_file

BASE = "https://example.org/xindu/"
SLUGS = ["april-meeting", "studio-meeting", "pujiang-visit", "excellent-teams-2020"]
# site -> (its folder, the base URL it is published at)
PUBLISHED = {
    "example": (REPO, BASE),
    "records": (SITES / "records" / "input", "https://example.org/qingxi/"),
}
SITEMAP_NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "x": "http://www.w3.org/1999/xhtml",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """``built(site)``: the folder the site of ``PUBLISHED`` was built into
    with ``--strict --base-url``, built once per module."""
    folders: dict[str, Path] = {}

    def folder(name: str) -> Path:
        if name not in folders:
            source, base_url = PUBLISHED[name]
            out = tmp_path_factory.mktemp(name)
            result = build(source, BuildOptions(out_dir=out, strict=True, base_url=base_url))
            assert result.ok, [d.format() for d in result.diagnostics]
            folders[name] = out
        return folders[name]

    return folder


@pytest.fixture(scope="module")
def out(built: Callable[[str], Path]) -> Path:
    """The example site, built for https://example.org/xindu/."""
    return built("example")


@pytest.mark.parametrize(
    ("path", "prefix", "lang"),
    [("feed.xml", "", "zh-Hans"), ("en/feed.xml", "en/", "en")],
    ids=["zh", "en"],
)
def test_feeds_are_atom_with_every_report_in_full(
    out: Path, path: str, prefix: str, lang: str
) -> None:
    feed = feedparser.parse((out / path).read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.language == lang
    assert feed.feed.id == BASE + path
    assert feed.feed.author
    assert [e.link for e in feed.entries] == [
        f"{BASE}{prefix}news/2020/04/{slug}/" for slug in SLUGS
    ]
    for entry in feed.entries:
        # Required by RFC 4287, and not checked by feedparser itself.
        assert entry.id.startswith("tag:example.org,2020-04-")
        assert entry.title and entry.updated.startswith("2020-04-")
        assert entry.updated.endswith("+08:00")
        assert len(entry.content[0].value) > 200
    photo = next(e for e in feed.entries if "studio-meeting" in e.link)
    assert photo.content[0].base == f"{BASE}{prefix}news/2020/04/studio-meeting/"


@pytest.mark.parametrize("site", PUBLISHED)
def test_feeds_and_sitemap_are_well_formed_xml(built: Callable[[str], Path], site: str) -> None:
    out = built(site)
    xmllint = shutil.which("xmllint")
    if xmllint is None:
        if os.environ.get("CI") == "true":
            pytest.fail("xmllint is missing (Debian package libxml2-utils)")
        pytest.skip("xmllint is missing (Debian package libxml2-utils)")
    files = [out / "feed.xml", out / "en/feed.xml", out / "sitemap.xml"]
    done = subprocess.run([xmllint, "--noout", *map(str, files)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_sitemap_lists_the_example_article_with_its_twin(out: Path) -> None:
    root = ET.parse(out / "sitemap.xml").getroot()
    listed = {
        u.findtext("s:loc", namespaces=SITEMAP_NS): u for u in root.findall("s:url", SITEMAP_NS)
    }
    article = listed[BASE + "news/2020/04/pujiang-visit/"]
    links = {x.get("hreflang"): x.get("href") for x in article.findall("x:link", SITEMAP_NS)}
    assert links == {
        "zh-Hans": BASE + "news/2020/04/pujiang-visit/",
        "en": BASE + "en/news/2020/04/pujiang-visit/",
        "x-default": BASE + "news/2020/04/pujiang-visit/",
    }
    assert (
        out / "robots.txt"
    ).read_text() == f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n"


def test_pages_carry_sharing_tags(out: Path) -> None:
    page = (out / "en/news/2020/04/studio-meeting/index.html").read_text(encoding="utf-8")
    assert '<meta property="og:type" content="article">' in page
    assert '<meta property="og:locale" content="en_GB">' in page
    assert '<meta property="og:locale:alternate" content="zh_CN">' in page
    # the 1200-pixel PNG copy: chat apps show neither WebP nor SVG everywhere
    folder = media_file(out, "meeting-photo-1200w.png").parent.relative_to(out).as_posix()
    assert (f'<meta property="og:image" content="{BASE}{folder}/meeting-photo-1200w.png">') in page
    assert '<meta property="og:image:width" content="1200">' in page
    assert '<meta property="og:image:height" content="675">' in page
    assert '<meta property="og:image:alt" content="Placeholder drawing of a meeting room' in page
    assert f'<meta property="og:url" content="{BASE}en/news/2020/04/studio-meeting/">' in page


# -- every site: feeds and sitemap hold every page ------------------------------


def page_url(out: Path, file: Path, base_url: str) -> str:
    """The address a written HTML file is served at."""
    path = file.relative_to(out).as_posix()
    return base_url + (path.removesuffix("index.html") if file.name == "index.html" else path)


def noindex(file: Path) -> bool:
    """A page not meant for search engines: a stub standing in for a
    missing translation."""
    return '<meta name="robots" content="noindex">' in file.read_text(encoding="utf-8")


def pages(out: Path, base_url: str) -> dict[str, Path]:
    """Every page meant for search engines, by address."""
    return {
        page_url(out, f, base_url): f for f in sorted(out.rglob("index.html")) if not noindex(f)
    }


def reports(out: Path, base_url: str, lang: str) -> set[str]:
    """The address of every report written in ``lang`` (not a stub)."""
    prefix = "" if lang == "zh" else f"{lang}/"
    news = re.compile(re.escape(base_url + prefix) + r"news/\d{4}/\d{2}/[^/]+/")
    return {url for url in pages(out, base_url) if news.fullmatch(url)}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("site", PUBLISHED)
def test_feed_holds_every_report_newest_first(
    built: Callable[[str], Path], site: str, lang: str
) -> None:
    out, base_url = built(site), PUBLISHED[site][1]
    path = "feed.xml" if lang == "zh" else f"{lang}/feed.xml"
    feed = feedparser.parse((out / path).read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    # Required by RFC 4287, and not checked by feedparser itself.
    assert feed.feed.id == base_url + path and feed.feed.title and feed.feed.updated
    assert feed.feed.author
    assert feed.feed.link == base_url + path.removesuffix("feed.xml")
    expected = reports(out, base_url, lang)
    assert expected, f"no reports in {lang}: the check would be empty"
    assert {e.link for e in feed.entries} == expected
    assert len({e.id for e in feed.entries}) == len(feed.entries), "entry ids repeat"
    for entry in feed.entries:
        assert entry.id and entry.title and entry.updated and entry.content[0].value
    days = [e.updated for e in feed.entries]
    assert days == sorted(days, reverse=True), "the feed is not newest first"


@pytest.mark.parametrize("site", PUBLISHED)
def test_sitemap_lists_every_page_and_its_twins_and_no_stub(
    built: Callable[[str], Path], site: str
) -> None:
    out, base_url = built(site), PUBLISHED[site][1]
    root = ET.parse(out / "sitemap.xml").getroot()
    entries = root.findall("s:url", SITEMAP_NS)
    listed = [u.findtext("s:loc", namespaces=SITEMAP_NS) for u in entries]
    assert len(listed) == len(set(listed)), "pages are listed twice"
    expected = pages(out, base_url)
    assert set(listed) == set(expected)
    for entry in entries:
        twins = {x.get("hreflang"): x.get("href") for x in entry.findall("x:link", SITEMAP_NS)}
        where = entry.findtext("s:loc", namespaces=SITEMAP_NS)
        assert not twins or "x-default" in twins, f"{where}: no x-default"
        stray = {lang: url for lang, url in twins.items() if url not in expected}
        assert not stray, f"{where}: its twins are not pages of the sitemap: {stray}"
    robots = (out / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {base_url}sitemap.xml" in robots.splitlines()


# -- every site: links and anchors resolve, and stay under the sub-path ---------


class _Addresses(HTMLParser):
    """The ids of an HTML document, and every address it gives: links,
    pictures (each candidate of a srcset), scripts, styles, forms and the
    full addresses of its sharing tags."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif name in ("href", "src", "action", "poster"):
                self.urls.append(value)
            elif name in ("srcset", "imagesrcset"):
                self.urls += [c.split()[0] for c in value.split(",") if c.strip()]
            elif tag == "meta" and name == "content" and value.startswith(("http:", "https:")):
                self.urls.append(value)


def parse_html(text: str) -> _Addresses:
    parser = _Addresses()
    parser.feed(text)
    parser.close()
    return parser


def addresses(out: Path, base_url: str) -> Iterator[tuple[str, str, str]]:
    """(where, as written, as resolved) for every address in the site's
    pages, in its feeds' articles and in its calendars."""
    for file in sorted(out.rglob("*.html")):
        where = file.relative_to(out).as_posix()
        for url in parse_html(file.read_text(encoding="utf-8")).urls:
            yield where, url, urljoin(page_url(out, file, base_url), url)
    for feed in sorted(out.rglob("feed.xml")):
        for entry in feedparser.parse(feed.read_bytes()).entries:
            where = f"{feed.relative_to(out).as_posix()} ({entry.link})"
            for content in entry.content:
                for url in parse_html(content.value).urls:
                    yield where, url, urljoin(content.base, url)
    for calendar in sorted(out.rglob("*.ics")):
        text = calendar.read_text(encoding="utf-8").replace("\r\n ", "").replace("\n ", "")
        for url in re.findall(r"^URL[^:]*:(.*?)\r?$", text, re.MULTILINE):
            yield calendar.relative_to(out).as_posix(), url, url


@pytest.mark.parametrize("site", PUBLISHED)
def test_every_internal_link_and_anchor_resolves(built: Callable[[str], Path], site: str) -> None:
    out, base_url = built(site), PUBLISHED[site][1]
    ids: dict[Path, set[str]] = {}
    broken, checked = [], 0
    for where, written, url in addresses(out, base_url):
        if not url.startswith(base_url):
            continue  # another site, or outside the sub-path (the next test)
        checked += 1
        parts = urlsplit(url)
        target = out / unquote(parts.path.removeprefix(urlsplit(base_url).path))
        if target.is_dir():
            target = target / "index.html"  # a host serves a folder's index.html
        if not target.is_file():
            broken.append(f"{where}: {written} leads to no file")
        elif parts.fragment and parts.fragment.lower() != "top":
            if target not in ids:
                ids[target] = parse_html(target.read_text(encoding="utf-8")).ids
            if unquote(parts.fragment) not in ids[target]:
                broken.append(f"{where}: {written} leads to no #{parts.fragment}")
    assert checked > 1000, f"only {checked} internal addresses: is the walker blind?"
    assert broken == []


@pytest.mark.parametrize("site", PUBLISHED)
def test_every_address_stays_under_the_sub_path(built: Callable[[str], Path], site: str) -> None:
    out, base_url = built(site), PUBLISHED[site][1]
    host = urlsplit(base_url).netloc
    outside = [
        f"{where}: {written}"
        for where, written, url in addresses(out, base_url)
        if urlsplit(url).netloc == host and not url.startswith(base_url)
    ]
    # Full addresses anywhere in the feeds, sitemap, calendars and robots.txt.
    full = re.compile(r"https?://" + re.escape(host) + r"[^\s\"'<>)]*")
    for file in sorted(out.rglob("*")):
        if file.suffix in (".xml", ".ics", ".txt", ".css", ".html"):
            text = file.read_text(encoding="utf-8")
            where = file.relative_to(out).as_posix()
            outside += [
                f"{where}: {url}" for url in full.findall(text) if not url.startswith(base_url)
            ]
    assert outside == []
    # The 404 page is served at any missing address: a relative link in it
    # would lead somewhere else at each one.
    for page in out.rglob("404.html"):
        relative = [
            url
            for url in parse_html(page.read_text(encoding="utf-8")).urls
            if not url.startswith(("/", "#", "http:", "https:"))
        ]
        assert relative == [], f"{page.relative_to(out)}"

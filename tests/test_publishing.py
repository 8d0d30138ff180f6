"""What CI publishes besides pages: feeds, sitemap and robots.txt, and a
site under a sub-path whose every link stays inside that path."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest

from sitegen.build import BuildOptions, build
from tests.helpers import REPO

BASE = "https://example.org/xindu/"
SLUGS = ["april-meeting", "studio-meeting", "pujiang-visit", "excellent-teams-2020"]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    result = build(REPO, BuildOptions(out_dir=folder, strict=True, base_url=BASE))
    assert result.ok, [d.format() for d in result.diagnostics]
    return folder


@pytest.mark.parametrize(
    ("path", "prefix", "lang"), [("feed.xml", "", "zh-Hans"), ("en/feed.xml", "en/", "en")]
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


def test_feeds_and_sitemap_are_well_formed_xml(out: Path) -> None:
    xmllint = shutil.which("xmllint")
    if xmllint is None:
        if os.environ.get("CI") == "true":
            pytest.fail("xmllint is missing (Debian package libxml2-utils)")
        pytest.skip("xmllint is missing (Debian package libxml2-utils)")
    files = [out / "feed.xml", out / "en/feed.xml", out / "sitemap.xml"]
    done = subprocess.run([xmllint, "--noout", *map(str, files)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_sitemap_lists_every_page_with_its_twin(out: Path) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(out / "sitemap.xml").getroot()
    listed = {u.findtext("s:loc", namespaces=ns): u for u in root.findall("s:url", ns)}
    pages = {
        BASE + str(p.relative_to(out).parent).replace(".", "").strip("/") + "/"
        for p in out.rglob("index.html")
    }
    pages = {p.replace("xindu//", "xindu/") for p in pages}
    assert set(listed) == pages
    article = listed[BASE + "news/2020/04/pujiang-visit/"]
    links = {x.get("hreflang"): x.get("href") for x in article.findall("x:link", ns)}
    assert links == {
        "zh-Hans": BASE + "news/2020/04/pujiang-visit/",
        "en": BASE + "en/news/2020/04/pujiang-visit/",
        "x-default": BASE + "news/2020/04/pujiang-visit/",
    }
    assert (
        out / "robots.txt"
    ).read_text() == f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n"


def test_every_link_of_a_sub_path_site_stays_inside_it(out: Path) -> None:
    outside = []
    for page in out.rglob("*.html"):
        for url in re.findall(r'(?:href|src|content)="([^"]*)"', page.read_text(encoding="utf-8")):
            if url.startswith(("/", "http:", "https:")) and not url.startswith(("/xindu/", BASE)):
                outside.append(f"{page.relative_to(out)}: {url}")
    assert outside == []


def test_pages_carry_sharing_tags(out: Path) -> None:
    page = (out / "en/news/2020/04/studio-meeting/index.html").read_text(encoding="utf-8")
    assert '<meta property="og:type" content="article">' in page
    assert '<meta property="og:locale" content="en_GB">' in page
    assert '<meta property="og:locale:alternate" content="zh_CN">' in page
    # the 1200-pixel PNG copy: chat apps show neither WebP nor SVG everywhere
    assert (
        f'<meta property="og:image" content="{BASE}en/news/2020/04/studio-meeting/'
        'meeting-photo-1200w.png">'
    ) in page
    assert '<meta property="og:image:width" content="1200">' in page
    assert '<meta property="og:image:height" content="675">' in page
    assert '<meta property="og:image:alt" content="Placeholder drawing of a meeting room' in page
    assert f'<meta property="og:url" content="{BASE}en/news/2020/04/studio-meeting/">' in page

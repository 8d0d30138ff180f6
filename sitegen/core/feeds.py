"""Atom feeds (RFC 4287), one per language: ``/feed.xml`` and ``/en/feed.xml``.

Written with the standard library's ElementTree, which escapes and encodes
XML correctly; the format itself is a handful of elements. Entries are the
latest articles of the language with their full text. Ids are ``tag:`` URIs
(RFC 4151) made from the host, the article's date and its path, so they stay
the same when the site moves to another sub-path; the feed's id is its own
address. Dates are midnight in
China Standard Time; nothing depends on the time of the build.
"""

from __future__ import annotations

import datetime as dt
import itertools
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from sitegen.core.config import SiteConfig
from sitegen.core.i18n import language_tag, url_prefix
from sitegen.core.model import Article, Site
from sitegen.core.pages import article_url

ATOM = "http://www.w3.org/2005/Atom"
XML = "http://www.w3.org/XML/1998/namespace"
FEED_ENTRIES = 20
CHINA = dt.timezone(dt.timedelta(hours=8))


def feed_path(lang: str, config: SiteConfig) -> str:
    return f"{url_prefix(lang, config)}/feed.xml"


def _stamp(day: dt.date) -> str:
    return dt.datetime.combine(day, dt.time(), CHINA).isoformat()


def _tag_id(config: SiteConfig, day: dt.date, path: str) -> str:
    host = urlsplit(config.base_url).hostname or "localhost"
    return f"tag:{host},{day.isoformat()}:{path}"


def atom_feed(site: Site, config: SiteConfig, lang: str) -> bytes:
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, name: str, text: str = "", **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{name}", attrs)
        if text:
            element.text = text
        return element

    # not an article whose expiry date is past: it is off every list
    listed = (a for a in site.articles if a.lang == lang and not a.expired(site.today))
    articles: list[Article] = list(itertools.islice(listed, FEED_ENTRIES))
    title = config.title.get(lang, config.default_language)
    home = config.base_url + url_prefix(lang, config).lstrip("/")
    home = home if home.endswith("/") else home + "/"
    feed = ET.Element(f"{{{ATOM}}}feed", {f"{{{XML}}}lang": language_tag(lang)})
    sub(feed, "id", config.base_url + feed_path(lang, config).lstrip("/"))
    sub(feed, "title", title)
    description = config.description.get(lang, config.default_language)
    if description:
        sub(feed, "subtitle", description)
    newest = max((a.last_changed for a in articles), default=dt.date(2000, 1, 1))
    sub(feed, "updated", _stamp(newest))
    sub(
        feed,
        "link",
        rel="self",
        type="application/atom+xml",
        href=config.base_url + feed_path(lang, config).lstrip("/"),
    )
    sub(feed, "link", rel="alternate", type="text/html", href=home)
    author = sub(feed, "author")
    sub(author, "name", title)
    sub(feed, "generator", "sitegen")
    for article in articles:
        path = article_url(article, lang, config)
        url = config.base_url + path.lstrip("/")
        entry = sub(feed, "entry")
        sub(entry, "id", _tag_id(config, article.date, path))
        sub(entry, "title", article.title)
        sub(entry, "link", rel="alternate", type="text/html", href=url)
        sub(entry, "published", _stamp(article.date))
        sub(entry, "updated", _stamp(article.last_changed))
        if article.source:
            source_author = sub(entry, "author")
            sub(source_author, "name", article.source)
        for tag in article.tags:
            name = (
                site.tags[tag].name.get(lang, config.default_language) if tag in site.tags else tag
            )
            sub(entry, "category", term=tag, label=name)
        if article.summary:
            sub(entry, "summary", article.summary)
        content = sub(entry, "content", article.body_html, type="html")
        content.set(f"{{{XML}}}base", url)  # the article's relative picture paths resolve here
    ET.indent(feed)
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True)) + b"\n"


def feed_files(site: Site, config: SiteConfig) -> dict[str, bytes]:
    return {
        feed_path(lang, config).lstrip("/"): atom_feed(site, config, lang)
        for lang in config.languages
    }

"""The timeline as a calendar file (RFC 5545) per language: ``/events.ics``
and ``/en/events.ics``, written with the ``icalendar`` package.

Days and ranges of days are all-day events; an event known only to the
month spans that month (the text says which month, never an invented day);
one known only to the year is left out, since a year-long entry helps no
one's calendar. UIDs come from the events' stable ids, and DTSTAMP from the
event's own date, so the same input gives the same file.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from sitegen.config import SiteConfig
from sitegen.i18n import Strings, format_when, url_prefix
from sitegen.model import Event, Site
from sitegen.pages import article_url


def event_title(event: Event, lang: str, config: SiteConfig, strings: Strings) -> str:
    if event.title.values:
        return event.title.get(lang, config.default_language)
    key, values = event.label
    text = strings.get(lang, key) or key
    return text.format(**dict(values))


def calendar_files(site: Site, config: SiteConfig, strings: Strings) -> dict[str, bytes]:
    """Output path → bytes of the calendar in each language."""
    host = urlsplit(config.base_url).hostname or "localhost"
    files: dict[str, bytes] = {}
    for lang in config.languages:
        prefix = url_prefix(lang, config)
        calendar = Calendar()
        calendar.add("prodid", f"-//sitegen//{config.title.get(lang)}//{lang.upper()}")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        name = strings.get(lang, "timeline") or "Timeline"
        calendar.add("x-wr-calname", f"{config.title.get(lang)} · {name}")
        for event in site.events:
            if event.when.precision == "year":
                continue
            entry = CalendarEvent()
            entry.add("uid", f"{event.id}@{host}")
            entry.add("dtstamp", dt.datetime.combine(event.when.start, dt.time(), dt.UTC))
            entry.add("dtstart", event.when.start)
            entry.add("dtend", event.when.last_day + dt.timedelta(days=1))
            entry.add("summary", event_title(event, lang, config, strings))
            kind = strings.get(lang, f"event_kind_{event.kind}") or event.kind
            entry.add("categories", [kind])
            details = [format_when(event.when, lang), kind]
            for record in event.records:
                group, _, record_id = record.partition("/")
                known = site.teams if group == "teams" else site.studios
                if record_id in known:
                    details.append(known[record_id].name.get(lang, config.default_language))
            town = site.towns.get(event.town)
            if town is not None:
                entry.add("location", town.name.get(lang, config.default_language))
            entry.add("description", " · ".join(details))
            url = _event_url(event, site, config, lang, prefix)
            if url:
                entry.add("url", config.base_url + url.lstrip("/"))
            entry.add("transp", "TRANSPARENT")
            calendar.add_component(entry)
        files[f"{prefix.lstrip('/')}/events.ics".lstrip("/")] = calendar.to_ical()
    return files


def _event_url(event: Event, site: Site, config: SiteConfig, lang: str, prefix: str) -> str:
    versions = site.translations.get(event.article, {})
    if versions:
        article = versions.get(lang) or next(
            versions[other] for other in config.languages if other in versions
        )
        return article_url(article, article.lang, config)
    if event.records:
        return f"{prefix}/{event.records[0]}/"
    return ""

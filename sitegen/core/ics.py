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
from dataclasses import dataclass
from urllib.parse import urlsplit

from icalendar import Calendar

from sitegen.core.config import SiteConfig
from sitegen.core.i18n import Strings, format_when, url_prefix
from sitegen.core.model import Event, Site
from sitegen.core.pages import article_url


def event_title(event: Event, lang: str, config: SiteConfig, strings: Strings) -> str:
    if event.title.values:
        return event.title.get(lang, config.default_language)
    key, values = event.label
    text = strings.get(lang, key) or key
    return text.format(**dict(values))


@dataclass(frozen=True, slots=True)
class Entry:
    """What one calendar entry says, worked out before icalendar writes it."""

    uid: str
    start: dt.date
    end: dt.date  # the day after the last
    summary: str
    kind: str
    description: str
    location: str
    url: str


@dataclass(frozen=True, slots=True)
class CalendarFile:
    """One language's calendar, before it is written: its output path, its
    name lines and its entries."""

    path: str
    head: tuple[str, str]  # PRODID, X-WR-CALNAME
    entries: tuple[Entry, ...]


def calendars(site: Site, config: SiteConfig, strings: Strings) -> list[CalendarFile]:
    """The calendar of each language, in the languages' order."""
    host = urlsplit(config.base_url).hostname or "localhost"
    found = []
    for lang in config.languages:
        prefix = url_prefix(lang, config)
        name = strings.get(lang, "timeline") or "Timeline"
        head = (
            f"-//sitegen//{config.title.get(lang)}//{lang.upper()}",
            f"{config.title.get(lang)} · {name}",
        )
        entries = tuple(
            _entry(event, site, config, strings, lang, prefix, host)
            for event in site.events
            if event.when.precision != "year"
        )
        found.append(CalendarFile(f"{prefix.lstrip('/')}/events.ics".lstrip("/"), head, entries))
    return found


def calendar_files(site: Site, config: SiteConfig, strings: Strings) -> dict[str, bytes]:
    """Output path → bytes of the calendar in each language."""
    return {
        calendar.path: calendar_bytes(calendar.head, [event_lines(e) for e in calendar.entries])
        for calendar in calendars(site, config, strings)
    }


def _entry(
    event: Event,
    site: Site,
    config: SiteConfig,
    strings: Strings,
    lang: str,
    prefix: str,
    host: str,
) -> Entry:
    kind = strings.get(lang, f"event_kind_{event.kind}") or event.kind
    details = [format_when(event.when, lang), kind]
    for record in event.records:
        group, _, record_id = record.partition("/")
        known = site.teams if group == "teams" else site.studios
        if record_id in known:
            details.append(known[record_id].name.get(lang, config.default_language))
    town = site.towns.get(event.town)
    url = _event_url(event, site, config, lang, prefix)
    return Entry(
        uid=f"{event.id}@{host}",
        start=event.when.start,
        end=event.when.last_day + dt.timedelta(days=1),
        summary=event_title(event, lang, config, strings),
        kind=kind,
        description=" · ".join(details),
        location=town.name.get(lang, config.default_language) if town is not None else "",
        url=config.base_url + url.lstrip("/") if url else "",
    )


def calendar_bytes(head: tuple[str, str], entries: list[bytes]) -> bytes:
    """The calendar of ``entries``, each written by :func:`event_lines`.
    icalendar writes a calendar as its own lines, then each entry's, then
    its end; the entries are written apart and put in their places."""
    calendar = Calendar()
    calendar.add("prodid", head[0])
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", head[1])
    shell: bytes = calendar.to_ical()
    end = b"END:VCALENDAR\r\n"
    assert shell.endswith(end), "icalendar ends a calendar with its END line"
    return shell[: -len(end)] + b"".join(entries) + end


def event_lines(item: Entry) -> bytes:
    """An entry's lines, as icalendar writes them: its canonical order
    (summary, start, end, stamp, uid, then by name), TEXT escaped, lines
    folded at 75 octets. Written directly: icalendar's object model per
    property made it a seventh of a cold build; tests/test_calendar.py
    checks the bytes against icalendar's own for many entries."""
    lines = [
        "BEGIN:VEVENT",
        "SUMMARY:" + _text(item.summary),
        f"DTSTART;VALUE=DATE:{item.start:%Y%m%d}",
        f"DTEND;VALUE=DATE:{item.end:%Y%m%d}",
        f"DTSTAMP:{item.start:%Y%m%d}T000000Z",
        "UID:" + _text(item.uid),
        "CATEGORIES:" + _text(item.kind),
        "DESCRIPTION:" + _text(item.description),
    ]
    if item.location:
        lines.append("LOCATION:" + _text(item.location))
    lines.append("TRANSP:TRANSPARENT")
    if item.url:
        lines.append("URL:" + item.url)
    lines.append("END:VEVENT")
    return "".join(_fold(line) + "\r\n" for line in lines).encode("utf-8")


def _text(value: str) -> str:
    """A TEXT value escaped (RFC 5545, 3.3.11), replaced in icalendar's order."""
    return (
        value.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def _fold(line: str, limit: int = 75) -> str:
    """``line`` folded into pieces shorter than ``limit`` octets (RFC 5545,
    3.1), never splitting a character, and, as icalendar does, never
    ending a piece with the backslash of an escape. Worked out on the
    UTF-8 bytes, where a character's first byte is never 10xxxxxx."""
    if len(line) * 4 < limit:
        return line
    data = line.encode("utf-8")
    if len(data) < limit:
        return line
    pieces: list[bytes] = []
    start = 0
    while len(data) - start >= limit:
        cut = start + limit - 1
        while data[cut] & 0xC0 == 0x80:  # inside a character: cut before it
            cut -= 1
        if data[cut - 1] in b"\\^" and cut - 1 > start:  # carry it to the next piece
            cut -= 1
        pieces.append(data[start:cut])
        start = cut
    pieces.append(data[start:])
    return b"\r\n ".join(pieces).decode("utf-8")


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

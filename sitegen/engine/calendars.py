"""The calendars (``sitegen.core.ics``) made fast: a calendar whose entries
are all as in an earlier build is taken from the build cache, and the
entries of the others are written by worker processes, all at once.

Writing an archive's calendars with icalendar took seconds, which is
why the entries are written directly (:func:`sitegen.core.ics.event_lines`)
and, for a large site, by the workers: both languages' entries by one
pool of two at 5,000 articles took 0.3 s, where a process forked for
each few entries had taken 0.5 s.
"""

from __future__ import annotations

import itertools
from typing import Any, Protocol

from sitegen.core.config import SiteConfig
from sitegen.core.i18n import Strings
from sitegen.core.ics import CalendarFile, calendar_bytes, calendars, event_lines
from sitegen.core.model import Site
from sitegen.engine.cache import key_of
from sitegen.engine.runners import SERIAL, Mapper


class CalendarStore(Protocol):
    def get(self, kind: str, key: str) -> Any | None: ...
    def put(self, kind: str, key: str, value: Any) -> None: ...


def calendar_key(calendar: CalendarFile) -> str:
    """The build cache's name for ``calendar``: every field of its head
    and of each entry, each field's length before it."""
    parts = [*calendar.head]
    for entry in calendar.entries:
        parts += [entry.uid, entry.start.isoformat(), entry.end.isoformat(), entry.summary]
        parts += [entry.kind, entry.description, entry.location, entry.url]
    return key_of("ics", calendar.path, *parts)


def calendar_files(
    site: Site,
    config: SiteConfig,
    strings: Strings,
    store: CalendarStore | None = None,
    each: Mapper = SERIAL.map,
) -> dict[str, bytes]:
    """Output path → bytes of the calendar in each language, as
    :func:`sitegen.core.ics.calendar_files` makes them; the entries not
    in ``store`` are written by ``each`` (a runner's ``map``)."""
    files: dict[str, bytes] = {}
    todo: list[tuple[CalendarFile, str]] = []
    every = calendars(site, config, strings)
    for calendar in every:
        key = calendar_key(calendar) if store is not None else ""
        data = store.get("ics", key) if store is not None else None
        if isinstance(data, bytes):
            files[calendar.path] = data
        else:
            todo.append((calendar, key))
    # every calendar's entries at once, by workers that each write many
    # (forking one for each few entries would cost more than writing them)
    entries = [entry for calendar, _ in todo for entry in calendar.entries]
    lines = iter(each(event_lines, entries))
    for calendar, key in todo:
        data = calendar_bytes(calendar.head, list(itertools.islice(lines, len(calendar.entries))))
        files[calendar.path] = data
        if store is not None:
            store.put("ics", key, data)
    return {calendar.path: files[calendar.path] for calendar in every}  # in the languages' order

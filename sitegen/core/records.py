"""Team, studio and town records: their validation.

A record is one YAML file whose stem is its id. Its schema (``schema.py``)
lists every key it knows; anything else is a warning. Checks that need other
files (a town id, an article stem) are made in ``resolve``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath
from typing import TypeVar

from sitegen.core.config import SiteConfig
from sitegen.core.diagnostics import Diagnostics
from sitegen.core.fields import FieldReader, choice
from sitegen.core.load import Source
from sitegen.core.model import (
    ACTIVITY_KINDS,
    ASSESSMENT_AREAS,
    Activity,
    Assessment,
    Honour,
    Series,
    Studio,
    StudioReport,
    Team,
    Text,
    Town,
)
from sitegen.core.schema import ACTIVITY, ASSESSMENT, HONOUR, REPORT, STUDIO, TEAM
from sitegen.core.text import is_slug, slugify
from sitegen.core.yamldoc import YamlDoc, parse_yaml

TEAM_KEYS = TEAM.keys()
HONOUR_KEYS = HONOUR.keys()
ACTIVITY_KEYS = ACTIVITY.keys()
ASSESSMENT_KEYS = ASSESSMENT.keys()
STUDIO_KEYS = STUDIO.keys()
REPORT_KEYS = REPORT.keys()
REPORT_KINDS = REPORT.field("kind").choices
TOWN_KEYS = ("zh", "en", "kind")
TOWN_KINDS = ("town", "subdistrict")

R = TypeVar("R")


def record_id(source: Source, diagnostics: Diagnostics) -> str | None:
    """The record's id, from its file name; ``None`` if it cannot be one."""
    stem = PurePosixPath(source.path).stem
    if is_slug(stem):
        return stem
    suggestion = slugify(stem)
    diagnostics.error(
        source.path,
        1,
        "bad-id",
        f"the file name '{stem}' cannot be a record id: use a-z, 0-9 and '-'",
        f"rename the file to {suggestion}.yaml" if suggestion else "rename the file",
    )
    return None


def _mapping(source: Source, diagnostics: Diagnostics, what: str) -> YamlDoc | None:
    parsed = parse_yaml(source.text)
    if not isinstance(parsed, YamlDoc):
        diagnostics.error(
            source.path, parsed.line, "yaml", parsed.message, parsed.hint, parsed.column
        )
        return None
    if not isinstance(parsed.data, dict):
        diagnostics.error(
            source.path,
            1,
            "wrong-type",
            f"a {what} record must be 'key: value' lines",
            "start with a line such as  name: {zh: …, en: …}",
        )
        return None
    return parsed


def _lines(doc: YamlDoc) -> dict[str, int]:
    return {
        ".".join(str(part) for part in key): line
        for key, (line, _column) in doc.positions.items()
        if key and len(key) <= 2
    }


def _items(reader: FieldReader, key: str, parse: Callable[[FieldReader], R | None]) -> list[R]:
    return [item for sub in reader.mapping_list(key) if (item := parse(sub)) is not None]


def parse_team(source: Source, config: SiteConfig, diagnostics: Diagnostics) -> Team | None:
    team_id = record_id(source, diagnostics)
    doc = _mapping(source, diagnostics, "team")
    if team_id is None or doc is None:
        return None
    langs = config.languages
    r = FieldReader(doc, source.path, diagnostics, what="team record")
    extra = r.unknown_keys(TEAM_KEYS)
    name = r.text("name", langs, required=True)

    def honour(h: FieldReader) -> Honour | None:
        h.unknown_keys(HONOUR_KEYS)
        year = h.year("year", required=True)
        title = h.text("title", langs, required=True)
        if year is None or not title.values:
            return None
        article = h.string("article")
        line = h.line("article") if article else h.line()
        return Honour(year, title, h.text("by", langs), h.date("date"), article, line)

    def activity(a: FieldReader) -> Activity | None:
        a.unknown_keys(ACTIVITY_KEYS)
        date = a.date("date", required=True)
        title = a.text("title", langs, required=True)
        kind = choice(a, "kind", ACTIVITY_KINDS, "other")
        if date is None or not title.values:
            return None
        article = a.string("article")
        return Activity(date, kind, title, article, a.line("article") if article else a.line())

    def assessment(a: FieldReader) -> Assessment | None:
        a.unknown_keys(ASSESSMENT_KEYS)
        year = a.year("year", required=True)
        areas = tuple((area, a.text(area, langs)) for area in ASSESSMENT_AREAS)
        if year is None:
            return None
        return Assessment(year, tuple((k, v) for k, v in areas if v.values), a.line())

    members = r.integer("members", -1, minimum=0) if r.has("members") else -1
    team = Team(
        id=team_id,
        path=source.path,
        name=name,
        town=r.string("town"),
        category=r.string("category"),
        founded=r.year("founded"),
        leader=r.text("leader", langs),
        members=members if members >= 0 else None,
        description=r.text("description", langs),
        contact=r.text("contact", langs),
        honours=tuple(sorted(_items(r, "honours", honour), key=lambda h: (-h.year, h.line))),
        activities=tuple(sorted(_items(r, "activities", activity), key=lambda a: (a.date, a.line))),
        assessments=tuple(sorted(_items(r, "assessments", assessment), key=lambda a: -a.year)),
        lines=_lines(doc),
        extra=extra,
    )
    return team if name.values else None


def parse_studio(source: Source, config: SiteConfig, diagnostics: Diagnostics) -> Studio | None:
    studio_id = record_id(source, diagnostics)
    doc = _mapping(source, diagnostics, "studio")
    if studio_id is None or doc is None:
        return None
    langs = config.languages
    r = FieldReader(doc, source.path, diagnostics, what="studio record")
    extra = r.unknown_keys(STUDIO_KEYS)
    name = r.text("name", langs, required=True)

    def report(p: FieldReader) -> StudioReport | None:
        p.unknown_keys(REPORT_KEYS)
        year = p.year("year", required=True)
        kind = choice(p, "kind", REPORT_KINDS, "report")
        if year is None:
            return None
        article = p.string("article")
        line = p.line("article") if article else p.line()
        return StudioReport(year, kind, p.text("summary", langs), p.date("date"), article, line)

    studio = Studio(
        id=studio_id,
        path=source.path,
        name=name,
        leader=r.text("leader", langs),
        members=tuple(r.text_list("members", langs)),
        focus=r.text("focus", langs),
        established=r.year("established"),
        reports=tuple(
            sorted(_items(r, "reports", report), key=lambda p: (-p.year, p.kind != "plan"))
        ),
        lines=_lines(doc),
        extra=extra,
    )
    return studio if name.values else None


def parse_towns(source: Source, config: SiteConfig, diagnostics: Diagnostics) -> dict[str, Town]:
    """``content/towns.yaml``: ``<id>: {zh: 新繁街道, en: Xinfan Subdistrict, kind: …}``."""
    towns: dict[str, Town] = {}
    for town_id, entry in _entries(
        source,
        diagnostics,
        "town",
        "xinfan: {zh: 新繁街道, en: Xinfan Subdistrict, kind: subdistrict}",
    ):
        entry.unknown_keys(TOWN_KEYS)
        names = {lang: entry.string(lang) for lang in config.languages}
        if not any(names.values()):
            entry.error((), "missing-field", f"town '{town_id}' has no name")
            continue
        kind = choice(entry, "kind", TOWN_KINDS, "town")
        towns[town_id] = Town(town_id, Text.of({k: v for k, v in names.items() if v}), kind)
    return towns


def parse_series(source: Source, config: SiteConfig, diagnostics: Diagnostics) -> dict[str, Series]:
    """``content/series.yaml``: ``<id>: {zh: …, en: …, summary: {zh: …, en: …}}``."""
    found: dict[str, Series] = {}
    example = "teams-2020: {zh: 2020年优秀团队评选, en: Excellent teams 2020}"
    for series_id, entry in _entries(source, diagnostics, "series", example):
        entry.unknown_keys((*config.languages, "summary"))
        names = {lang: entry.string(lang) for lang in config.languages}
        if not any(names.values()):
            entry.error(
                (), "missing-field", f"series '{series_id}' has no name", f"write e.g. {example}"
            )
            continue
        name = Text.of({k: v for k, v in names.items() if v})
        found[series_id] = Series(series_id, name, entry.text("summary", config.languages))
    return found


def _entries(
    source: Source, diagnostics: Diagnostics, what: str, example: str
) -> list[tuple[str, FieldReader]]:
    """The entries of a file that maps ids to ``{zh: …, en: …}``, each
    id checked, with a reader of its fields; what is wrong is reported."""
    doc = parse_yaml(source.text)
    if not isinstance(doc, YamlDoc):
        diagnostics.error(source.path, doc.line, "yaml", doc.message, doc.hint, doc.column)
        return []
    if doc.data is None:
        return []
    if not isinstance(doc.data, dict):
        diagnostics.error(
            source.path,
            1,
            "wrong-type",
            f"{PurePosixPath(source.path).name} maps each {what} id to its names",
            f"write e.g.  {example}",
        )
        return []
    entries: list[tuple[str, FieldReader]] = []
    top = FieldReader(doc, source.path, diagnostics, what=PurePosixPath(source.path).name)
    for key, value in doc.data.items():
        entry_id = str(key)
        if not is_slug(entry_id):
            top.error(
                (key,),
                "bad-id",
                f"{what} id '{entry_id}' may use only a-z, 0-9 and '-'",
                f"write it as {slugify(entry_id) or example.split(':')[0]}",
            )
            continue
        if not isinstance(value, dict):
            top.error((key,), "wrong-type", f"{what} '{entry_id}' needs {{zh: …, en: …}}")
            continue
        reader = FieldReader(doc, source.path, diagnostics, prefix=(key,), what=f"{what} '{key}'")
        entries.append((entry_id, reader))
    return entries

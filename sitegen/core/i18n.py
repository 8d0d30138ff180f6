"""Languages, the theme's UI strings, and dates written the local way."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sitegen.core.config import SiteConfig
from sitegen.core.diagnostics import Diagnostic, Diagnostics
from sitegen.core.model import When
from sitegen.core.textfile import decode_source, unreadable
from sitegen.core.theme import Theme
from sitegen.core.yamldoc import YamlDoc, parse_yaml

ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
LANGUAGE_TAGS = {"zh": "zh-Hans", "en": "en"}  # for lang="" and hreflang
OG_LOCALES = {"zh": "zh_CN", "en": "en_GB"}


def format_date(date: dt.date, lang: str) -> str:
    """``2020年4月27日`` in Chinese, ``27 April 2020`` in English."""
    if lang == "zh":
        return f"{date.year}年{date.month}月{date.day}日"
    return f"{date.day} {ENGLISH_MONTHS[date.month - 1]} {date.year}"


def format_month(year: int, month: int, lang: str) -> str:
    if lang == "zh":
        return f"{year}年{month}月"
    return f"{ENGLISH_MONTHS[month - 1]} {year}"


def month_name(month: int, lang: str) -> str:
    """A month without its year, where the year is plain from the page:
    ``4月`` / ``April``."""
    return f"{month}月" if lang == "zh" else ENGLISH_MONTHS[month - 1]


def format_when(when: When, lang: str) -> str:
    """A date at its own precision, never with an invented day.

    ``2020年3月`` / ``March 2020``; ``2020年`` / ``2020``; a range as
    ``2020年4月27日至29日`` / ``27–29 April 2020``.
    """
    if when.precision == "year":
        return f"{when.start.year}年" if lang == "zh" else str(when.start.year)
    if when.precision == "month":
        return format_month(when.start.year, when.start.month, lang)
    if when.end is None:
        return format_date(when.start, lang)
    start, end = when.start, when.end
    if lang == "zh":
        if start.year != end.year:
            return f"{format_date(start, lang)}至{format_date(end, lang)}"
        if start.month != end.month:
            return f"{format_date(start, lang)}至{end.month}月{end.day}日"
        return f"{format_date(start, lang)}至{end.day}日"
    if start.year != end.year:
        return f"{format_date(start, lang)} – {format_date(end, lang)}"
    if start.month != end.month:
        return f"{start.day} {ENGLISH_MONTHS[start.month - 1]} – {format_date(end, lang)}"
    return f"{start.day}–{format_date(end, lang)}"


def when_attribute(when: When) -> str:
    """The ``datetime`` of a ``<time>``: ``2020-04-27``, ``2020-03`` or ``2020``."""
    if when.precision == "year":
        return f"{when.start.year:04d}"
    if when.precision == "month":
        return f"{when.start.year:04d}-{when.start.month:02d}"
    return when.start.isoformat()


def language_tag(lang: str) -> str:
    return LANGUAGE_TAGS.get(lang, lang)


def url_prefix(lang: str, config: SiteConfig) -> str:
    """ "" for the default language (at the root), "/en" for the others."""
    return "" if lang == config.default_language else f"/{lang}"


@dataclass(frozen=True, slots=True)
class Strings:
    """UI strings per language, with the file and line each came from."""

    table: dict[str, dict[str, str]]

    def get(self, lang: str, key: str) -> str | None:
        return self.table.get(lang, {}).get(key)


def load_strings(
    theme: Theme, site_dir: Path, config: SiteConfig, diagnostics: Diagnostics
) -> Strings:
    """Merge ``i18n/<lang>.yaml`` of the theme folders, the site's winning."""
    table: dict[str, dict[str, str]] = {}
    for lang in config.languages:
        merged: dict[str, str] = {}
        for folder in reversed(theme.dirs):
            path = folder / "i18n" / f"{lang}.yaml"
            if path.is_file():
                merged.update(_read_strings(path, site_dir, diagnostics))
        table[lang] = merged
    keys = set().union(*(set(v) for v in table.values())) if table else set()
    for lang, strings in table.items():
        # "<key>_one" is an optional singular form; languages without one skip it.
        for key in sorted(k for k in keys - set(strings) if not k.endswith("_one")):
            diagnostics.warning(
                f"themes/{theme.name}/i18n/{lang}.yaml",
                0,
                "missing-string",
                f"UI string '{key}' has no '{lang}' text; the key is shown instead",
                f"add a line '{key}: …'",
            )
    return Strings(table)


def _display_path(path: Path, site_dir: Path) -> str:
    try:
        return path.resolve().relative_to(site_dir.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _read_strings(path: Path, site_dir: Path, diagnostics: Diagnostics) -> dict[str, str]:
    shown = _display_path(path, site_dir)
    try:
        data = path.read_bytes()
    except OSError as exc:
        diagnostics.add(unreadable(shown, exc))
        return {}
    text = decode_source(data, shown)
    if isinstance(text, Diagnostic):
        diagnostics.add(text)
        return {}
    parsed = parse_yaml(text)
    if not isinstance(parsed, YamlDoc):
        diagnostics.error(shown, parsed.line, "yaml", parsed.message, parsed.hint, parsed.column)
        return {}
    if not isinstance(parsed.data, dict):
        diagnostics.error(shown, 1, "wrong-type", "a strings file maps keys to text")
        return {}
    strings: dict[str, str] = {}
    for key, value in parsed.data.items():
        if isinstance(value, (dict, list)) or value is None:
            diagnostics.error(shown, parsed.line(key), "wrong-type", f"string '{key}' must be text")
            continue
        strings[str(key)] = str(value)
    return strings

"""Reading typed fields out of a parsed YAML mapping, with messages.

:class:`FieldReader` is the one place that turns an editor's YAML mapping
into typed values. Each accessor reports a problem as a diagnostic at the
key's line and returns a usable default, so one build reports every
mistake in a file, not only the first.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Hashable, Iterable
from typing import Any

from sitegen.core.diagnostics import Diagnostics, did_you_mean
from sitegen.core.model import Text, When
from sitegen.core.yamldoc import YamlDoc

DATE_FORMAT_HINT = "write dates as YYYY-MM-DD, e.g. date: 2020-04-27"

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_LOOSE_DATE = re.compile(r"^(\d{4})\s*[/.年]\s*(\d{1,2})\s*[/.月]\s*(\d{1,2})\s*日?$")
_CHINESE_NO_YEAR = re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")
_ENGLISH_DATE = re.compile(
    r"^(?:(?P<m1>[A-Za-z]{3,9})\.?\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?"
    r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>[A-Za-z]{3,9})\.?)"
    r",?(?:\s+(?P<year>\d{4}))?$"
)
_MONTHS: tuple[str, ...] = ("january", "february", "march", "april", "may", "june", "july")
_MONTHS += ("august", "september", "october", "november", "december")


def _real(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _written_out(text: str) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) of ``April 27, 2020``, ``27 April``,
    ``4月27日`` and the like; ``None`` for anything else."""
    chinese = _CHINESE_NO_YEAR.match(text)
    if chinese:
        return None, int(chinese.group(1)), int(chinese.group(2))
    english = _ENGLISH_DATE.match(text)
    if english is None:
        return None
    name = (english.group("m1") or english.group("m2")).lower()
    months = [n for n, full in enumerate(_MONTHS, 1) if full.startswith(name)]
    if len(months) != 1:
        return None
    year = english.group("year")
    day = int(english.group("d1") or english.group("d2"))
    return (int(year) if year else None), months[0], day


def parse_date(value: object) -> tuple[dt.date | None, str]:
    """Parse an ISO date; on failure return ``None`` and the reason."""
    if isinstance(value, dt.datetime):
        return value.date(), ""
    if isinstance(value, dt.date):
        return value, ""
    text = str(value).strip() if value is not None else ""
    if not text:
        return None, "the date is empty"
    match = _ISO_DATE.match(text)
    if match is None:
        loose = _LOOSE_DATE.match(text)
        written = _written_out(text)
        if loose:
            year, month, day = (int(g) for g in loose.groups())
            written = year, month, day
        if written is not None and _real(2000 if written[0] is None else written[0], *written[1:]):
            year_or_none, month, day = written
            if year_or_none is None:
                return None, (
                    f"'{text}' has no year; write the year first: YYYY-{month:02d}-{day:02d}"
                )
            return None, (
                f"'{text}' is not in the form YYYY-MM-DD; "
                f"write {year_or_none:04d}-{month:02d}-{day:02d}"
            )
        return None, f"'{text}' is not a date in the form YYYY-MM-DD"
    year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day), ""
    except ValueError as exc:
        return None, f"'{text}' is not a real date ({exc})"


# full-width marks an editor may separate the items of a list with
_WIDE_SEPARATORS = ("，", "、", "；")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_LOOSE_MONTH = re.compile(r"^(\d{4})\s*(?:[/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月)$")
WHEN_HINT = (
    "write a day 2020-04-27, a month 2020-03, a year 2020, or a range of days 2020-04-27/2020-04-29"
)


def parse_when(value: object) -> tuple[When | None, str]:
    """A day, a month (``2020-03``), a year (``2020``) or a range of days
    (``2020-04-27/2020-04-29``); on failure ``None`` and the reason."""
    if isinstance(value, bool):
        return None, f"'{value}' is not a date"
    if isinstance(value, int):
        if 1900 <= value <= 2100:
            return When(dt.date(value, 1, 1), "year"), ""
        return None, f"{value} is not a plausible year"
    text = str(value).strip() if value is not None else ""
    loose_month = _LOOSE_MONTH.match(text)  # 2027/01, 2027.1, 2027年1月
    if loose_month:
        year = int(loose_month.group(1))
        number = int(loose_month.group(2) or loose_month.group(3))
        if 1 <= number <= 12:
            return None, f"'{text}' is not in the form YYYY-MM; write {year:04d}-{number:02d}"
    if "/" in text and not _LOOSE_DATE.match(text):
        first, _, last = (part.strip() for part in text.partition("/"))
        start, why = parse_date(first)
        end, why_end = parse_date(last) if start is not None else (None, why)
        if start is None or end is None:
            reason = why if start is None else why_end
            if "; write" in reason:  # the part's own fix
                return None, reason
            return None, f"'{text}' is not a range of days in the form YYYY-MM-DD/YYYY-MM-DD"
        if end < start:
            return None, f"the range ends ({end}) before it starts ({start})"
        return When(start, "day", end if end != start else None), ""
    month = _MONTH.match(text)
    if month:
        year, number = int(month.group(1)), int(month.group(2))
        if not 1 <= number <= 12:
            return None, f"'{text}' has no month {number}"
        return When(dt.date(year, number, 1), "month"), ""
    if re.fullmatch(r"\d{4}", text):
        return parse_when(int(text))
    day, why = parse_date(text)
    return (When(day, "day"), "") if day else (None, why)


class FieldReader:
    """Typed access to one YAML mapping in one file.

    ``line_offset`` is the number of file lines before the YAML text (1 for
    front matter after its opening ``---``).
    """

    def __init__(
        self,
        doc: YamlDoc,
        path: str,
        diagnostics: Diagnostics,
        line_offset: int = 0,
        prefix: tuple[Hashable, ...] = (),
        what: str = "front matter",
    ) -> None:
        self.doc = doc
        self.path = path
        self.diagnostics = diagnostics
        self.line_offset = line_offset
        self.prefix = prefix
        self.what = what
        data: Any = doc.data
        for key in prefix:
            data = data[key]
        self.data: dict[Hashable, Any] = data if isinstance(data, dict) else {}

    def line(self, *key: Hashable) -> int:
        return self.doc.line(*self.prefix, *key) + self.line_offset

    def error(self, key: tuple[Hashable, ...], code: str, message: str, hint: str = "") -> None:
        self.diagnostics.error(self.path, self.line(*key), code, message, hint)

    def warning(self, key: tuple[Hashable, ...], code: str, message: str, hint: str = "") -> None:
        self.diagnostics.warning(self.path, self.line(*key), code, message, hint)

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def _missing(self, key: str, example: str) -> None:
        self.diagnostics.error(
            self.path,
            self.line(),
            "missing-field",
            f"{self.what} has no '{key}'",
            f"add a line '{key}: {example}'",
        )

    def string(self, key: str, required: bool = False, example: str = "…") -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                self._missing(key, example)
            return ""
        if isinstance(value, (bool, list, dict)):
            self.error(
                (key,),
                "wrong-type",
                f"'{key}' must be text, not {_kind(value)}",
                f'write it as {key}: "…"',
            )
            return ""
        text = str(value).strip()
        if required and not text:
            self._missing(key, example)
        return text

    def text(self, key: Hashable, languages: Iterable[str], required: bool = False) -> Text:
        """Reader-facing text: a plain string or ``{zh: …, en: …}``."""
        value = self.data.get(key)
        if value is None:
            if required:
                self._missing(str(key), "…")
            return Text(())
        if isinstance(value, dict):
            known = list(languages)
            result: dict[str, str] = {}
            for lang, item in value.items():
                if item is None and lang not in known and not isinstance(lang, bool):
                    # {zh: …, en: 88 Hubin Road, Nanhu District}: the comma ended the text
                    self.error(
                        (key, lang),
                        "split-text",
                        f"'{key}' has a part '{lang}' in no language: "
                        "a comma in text that is not in quotes ends the text there",
                        f'put the text in quotes: {key}: {{zh: …, en: "…, …"}}',
                    )
                    continue
                if item is None:
                    continue  # "en:" left empty: not translated yet
                if lang not in known:
                    self.error(
                        (key, lang),
                        "unknown-language",
                        f"'{key}' has text in '{lang}', which is not a language of this site",
                        did_you_mean(str(lang), known) or f"use one of: {', '.join(known)}",
                    )
                elif not isinstance(item, (str, int, float)) or isinstance(item, bool):
                    self.error((key, lang), "wrong-type", f"'{key}.{lang}' must be text")
                else:
                    result[str(lang)] = str(item).strip()
            return Text.of(result)
        if isinstance(value, (list, bool)):
            self.error(
                (key,),
                "wrong-type",
                f"'{key}' must be text or {{zh: …, en: …}}, not {_kind(value)}",
            )
            return Text(())
        return Text.plain(str(value).strip())

    def date(self, key: str, required: bool = False) -> dt.date | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self._missing(key, "2020-04-27")
            return None
        parsed, reason = parse_date(value)
        if parsed is None:
            self.error((key,), "bad-date", f"'{key}': {reason}", DATE_FORMAT_HINT)
        return parsed

    def when(self, key: str, required: bool = False) -> When | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self._missing(key, "2020-04-27")
            return None
        parsed, reason = parse_when(value)
        if parsed is None:
            self.error((key,), "bad-date", f"'{key}': {reason}", WHEN_HINT)
        return parsed

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(
                (key,),
                "wrong-type",
                f"'{key}' must be true or false, not '{value}'",
                f"write {key}: true or {key}: false",
            )
            return default
        return value

    def integer(self, key: str, default: int, minimum: int | None = None) -> int:
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.error((key,), "wrong-type", f"'{key}' must be a whole number, not '{value}'")
            return default
        if minimum is not None and value < minimum:
            self.error((key,), "out-of-range", f"'{key}' must be at least {minimum}, not {value}")
            return default
        return value

    def year(self, key: str, required: bool = False) -> int | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self._missing(key, "2020")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            digits = "".join(ch for ch in str(value) if ch.isdigit())[:4] or "2020"
            self.error(
                (key,),
                "wrong-type",
                f"'{key}' must be a year written as a number, not '{value}'",
                f"write {key}: {digits}",
            )
            return None
        if not 1900 <= value <= 2100:
            self.error((key,), "out-of-range", f"'{key}' {value} is not a plausible year")
            return None
        return value

    def text_list(self, key: str, languages: Iterable[str]) -> list[Text]:
        """A list whose items are plain strings or ``{zh: …, en: …}``."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error((key,), "wrong-type", f"'{key}' must be a list", f"write {key}: [a, b]")
            return []
        items: list[Text] = []
        for index in range(len(value)):
            holder = FieldReader(
                self.doc,
                self.path,
                self.diagnostics,
                self.line_offset,
                (*self.prefix, key),
                f"item {index + 1} of '{key}'",
            )
            holder.data = {index: value[index]}
            text = holder.text(index, languages)
            if text.values:
                items.append(text)
        return items

    def string_list(self, key: str) -> list[str]:
        value = self.data.get(key)
        if value is None:
            return []
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            value = [value]
        if not isinstance(value, list):
            self.error(
                (key,),
                "wrong-type",
                f"'{key}' must be a list, not {_kind(value)}",
                f"write {key}: [first, second]",
            )
            return []
        result: list[str] = []
        for index, item in enumerate(value):
            if isinstance(item, (dict, list, bool)) or item is None:
                self.error((key, index), "wrong-type", f"item {index + 1} of '{key}' must be text")
                continue
            text = str(item).strip()
            wide = next((mark for mark in _WIDE_SEPARATORS if mark in text), "")
            if wide:  # [团队培育，名师工作室]: two items, written as one
                parts = [part.strip() for part in re.split("[，、；]", text) if part.strip()]
                self.warning(
                    (key, index),
                    "wide-separator",
                    f"'{text}' in '{key}' is separated by a full-width '{wide}': "
                    f"read as {len(parts)} items",
                    f"separate the items with ',' (an English comma): {key}: [{', '.join(parts)}]",
                )
                result.extend(parts)
                continue
            result.append(text)
        return result

    def mapping_list(self, key: str) -> list[FieldReader]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(
                (key,),
                "wrong-type",
                f"'{key}' must be a list of mappings",
                f"write {key}: [{{…}}] or one '- …' line per item",
            )
            return []
        readers: list[FieldReader] = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                self.error(
                    (key, index), "wrong-type", f"item {index + 1} of '{key}' must be a mapping"
                )
                continue
            readers.append(
                FieldReader(
                    self.doc,
                    self.path,
                    self.diagnostics,
                    self.line_offset,
                    (*self.prefix, key, index),
                    f"item {index + 1} of '{key}'",
                )
            )
        return readers

    def mapping(self, key: str) -> FieldReader | None:
        """The mapping under ``key``, read with the same messages; ``None``
        when there is none (or it is not a mapping, which is reported)."""
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.error((key,), "wrong-type", f"'{key}' must be 'key: value' lines, indented")
            return None
        return FieldReader(
            self.doc, self.path, self.diagnostics, self.line_offset, (*self.prefix, key), f"'{key}'"
        )

    def unknown_keys(self, known: Iterable[str]) -> dict[str, Any]:
        """Warn about every key not in ``known``; return them as ``extra``."""
        known_set = set(known)
        extra: dict[str, Any] = {}
        for key, value in self.data.items():
            if key in known_set:
                continue
            name = str(key)
            extra[name] = value
            hint = did_you_mean(name, known_set) or f"known keys: {', '.join(sorted(known_set))}"
            self.warning((key,), "unknown-field", f"unknown key '{name}' in {self.what}", hint)
        return extra


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "a number" if isinstance(value, (int, float)) else "text"


def choice(reader: FieldReader, key: str, allowed: tuple[str, ...], default: str) -> str:
    """A value that must be one of ``allowed``; ``default`` when absent or wrong."""
    value = reader.string(key)
    if not value:
        return default
    if value not in allowed:
        reader.error(
            (key,),
            "unknown-kind",
            f"'{value}' is not a known {key}",
            did_you_mean(value, allowed) or f"use one of: {', '.join(allowed)}",
        )
        return default
    return value

"""The message catalog: every diagnostic's text in English and in Chinese.

Diagnostics are made in English, the catalog's reference language. To show
one in another language, :func:`translate` finds the catalog entry of the
diagnostic's code whose English template matches the text in full, and fills
that entry's template in the other language with the matched values, which
are translated in turn where the catalog knows them (a date's reason, the
kind of a value). Text the catalog does not know is shown in English.

Templates name their values in braces: ``'{key}' must be text, not {kind}``.
The catalog itself is ``messages.json`` beside this module: one
``[English, Chinese]`` pair per line, under each diagnostic's code, for a
translator to read and change without reading Python.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

LANGUAGES = ("en", "zh")


def _catalog() -> tuple[
    dict[str, tuple[tuple[str, str], ...]], dict[str, tuple[str, str]], dict[str, str]
]:
    data = json.loads(resources.files(__package__).joinpath("messages.json").read_text("utf-8"))
    catalog = {code: tuple((en, zh) for en, zh in pairs) for code, pairs in data["catalog"].items()}
    summaries = {key: (en, zh) for key, (en, zh) in data["summary"].items()}
    return catalog, summaries, dict(data["help"])


# CATALOG: code -> ((English, Chinese), ...), the messages and hints of that
# code; the code "*" holds fragments that appear inside other messages.
# SUMMARY: the lines the command line prints at the end, by key.
# PHRASES: English -> Chinese of the rest an editor reads: the command
# line's help and the translation report.
CATALOG, SUMMARY, PHRASES = _catalog()


@cache
def _pattern(template: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """A regular expression that matches text made from ``template``."""
    parts = re.split(r"(\{\{|\}\}|\{[a-z_]+\})", template)
    regex, names = "", []
    for part in parts:
        if part == "{{":
            regex += re.escape("{")
        elif part == "}}":
            regex += re.escape("}")
        elif part.startswith("{") and part.endswith("}") and len(part) > 2:
            name = part[1:-1]
            if name in names:
                regex += f"(?P={name})"
            else:
                names.append(name)
                regex += f"(?P<{name}>.+?)"
        else:
            regex += re.escape(part)
    return re.compile(regex, re.DOTALL), tuple(names)


def translate(code: str, text: str, lang: str) -> str:
    """``text`` (English, made by a diagnostic of ``code``) in ``lang``."""
    if lang == "en" or not text:
        return text
    for entries in (CATALOG.get(code, ()), CATALOG["*"]):
        for english, other in entries:
            pattern, _names = _pattern(english)
            match = pattern.fullmatch(text)
            if match is None:
                continue
            values = {
                name: translate(code, value, lang) for name, value in match.groupdict().items()
            }
            return other.format(**values)
    return text


def phrase(english: str, lang: str, /, **values: object) -> str:
    """``english`` (a template, with ``values``) in ``lang``; English where
    the catalog has no translation of it."""
    text = PHRASES.get(english, english) if lang == "zh" else english
    return text.format(**values) if values else text


def summary(key: str, lang: str, **values: object) -> str:
    english, chinese = SUMMARY[key]
    return (chinese if lang == "zh" else english).format(**values)

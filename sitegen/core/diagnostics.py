"""Problems found in a build, collected rather than raised.

Every stage appends :class:`Diagnostic` values to a :class:`Diagnostics`
collector; the build reports them all at the end, sorted by file and line.
Line and column numbers are 1-based everywhere; the 0-based positions of
PyYAML marks and markdown-it-py token maps are converted where they are read
(``yamldoc`` and ``parse``), together with the offset of the text in its
file.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from sitegen.core.messages import translate

_SEVERITY = {"zh": {"error": "错误", "warning": "警告", "note": "说明"}}


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"  # not a mistake: what the build did that an editor should know


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem: where it is, what it is, and how to fix it.

    ``path`` is relative to the site folder and uses ``/``; ``line`` 0 means
    the problem concerns the whole file.
    """

    path: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str
    hint: str = ""

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)

    def location(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{max(self.column, 1)}"

    def format(self, lang: str = "en") -> str:
        """``path:line:column: severity: message [code]`` and the hint below,
        in ``lang`` where the message catalog has the text."""
        severity = _SEVERITY.get(lang, {}).get(self.severity.value, self.severity.value)
        message = translate(self.code, self.message, lang)
        text = f"{self.location()}: {severity}: {message} [{self.code}]"
        if self.hint:
            label = "提示" if lang == "zh" else "hint"
            hint = translate(self.code, self.hint, lang)
            text += f"\n    {label}: " + hint.replace("\n", "\n          ")
        return text


class Diagnostics:
    """An ordered collection of diagnostics gathered during one build."""

    def __init__(self) -> None:
        self._items: list[Diagnostic] = []

    def add(self, diagnostic: Diagnostic) -> None:
        self._items.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self._items.extend(diagnostics)

    def error(
        self, path: str, line: int, code: str, message: str, hint: str = "", column: int = 1
    ) -> None:
        self.add(Diagnostic(path, line, column, Severity.ERROR, code, message, hint))

    def warning(
        self, path: str, line: int, code: str, message: str, hint: str = "", column: int = 1
    ) -> None:
        self.add(Diagnostic(path, line, column, Severity.WARNING, code, message, hint))

    def note(
        self, path: str, line: int, code: str, message: str, hint: str = "", column: int = 1
    ) -> None:
        self.add(Diagnostic(path, line, column, Severity.NOTE, code, message, hint))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self._items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self._items if d.severity is Severity.WARNING]

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self._items), key=Diagnostic.sort_key)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A hint naming the closest candidate, or the empty string."""
    close = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""

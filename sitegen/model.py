"""The values the pipeline hands from stage to stage.

All are frozen dataclasses; relations between them are by key (an
article's stem, a tag's id), never by object, so each stage can be tested
on values built by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any


@dataclass(frozen=True)
class Text:
    """Reader-facing text in one or more languages."""

    values: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, mapping: dict[str, str]) -> Text:
        return cls(tuple(sorted(mapping.items())))

    @classmethod
    def plain(cls, text: str) -> Text:
        return cls((("", text),))

    def get(self, lang: str, fallback: str = "") -> str:
        """The text in ``lang``, else in ``fallback``, else any text there is."""
        values = dict(self.values)
        for key in (lang, "", fallback):
            if values.get(key):
                return values[key]
        return next((v for _, v in self.values if v), "")

    def has(self, lang: str) -> bool:
        values = dict(self.values)
        return bool(values.get(lang) or values.get(""))


@dataclass(frozen=True)
class Image:
    src: str
    alt: str
    caption: str = ""


@dataclass(frozen=True)
class Article:
    """One language version of a news article, parsed and validated."""

    path: str  # source file, relative to the site folder
    stem: str  # pairs translations: the file name without language and suffix
    lang: str
    slug: str
    title: str
    date: dt.date
    summary: str
    source: str
    tags: tuple[str, ...]
    images: tuple[Image, ...]
    draft: bool
    body_html: str
    text_length: int  # characters (Chinese) or words (other languages)
    assets: tuple[str, ...] = ()  # bundle files to copy beside the page
    key: str = ""  # shared by translations, set by resolve: "2020/04/pujiang-visit"
    lines: dict[str, int] = field(default_factory=dict, compare=False)  # "tags.0" -> line
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def bundle_dir(self) -> str | None:
        parent = PurePosixPath(self.path).parent
        return str(parent) if PurePosixPath(self.path).name.startswith("index.") else None


@dataclass(frozen=True)
class Tag:
    id: str
    name: Text


@dataclass(frozen=True)
class Site:
    """Everything known about the site after ``resolve``, ready to plan."""

    articles: tuple[Article, ...]  # newest first
    tags: dict[str, Tag]
    translations: dict[str, dict[str, Article]]  # article key -> language -> article

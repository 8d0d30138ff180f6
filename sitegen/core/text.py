"""Language-aware text rules: slugs, lengths, summaries.

Chinese is measured in characters, other languages in words; a summary is
cut at a sentence end where one falls inside the limit.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin import lazy_pinyin

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SUMMARY_LIMIT = {"zh": 120, "en": 45}  # characters for Chinese, words otherwise
READING_SPEED = {"zh": 400, "en": 200}  # characters or words per minute

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SENTENCE_END = {"zh": "。！？!?", "en": ".!?"}
_CLOSERS = "”’\"')）」』】》"


@lru_cache(maxsize=8192)
def slugify(text: str) -> str:
    """An ASCII slug: Chinese by pinyin syllables, other letters folded."""
    if text.isascii():  # most file names: the same slug, without pypinyin's work
        return "-".join(re.findall(r"[a-z0-9]+", text.lower()))
    words: list[str] = []
    for part in lazy_pinyin(text):
        folded = unicodedata.normalize("NFKD", part).encode("ascii", "ignore").decode()
        words.extend(re.findall(r"[a-z0-9]+", folded.lower()))
    return "-".join(words)


def is_slug(text: str) -> bool:
    return bool(SLUG_PATTERN.match(text))


def measures_characters(lang: str) -> bool:
    return lang == "zh"


def text_length(text: str, lang: str) -> int:
    """Characters (without spaces) for Chinese, words otherwise."""
    if measures_characters(lang):
        return len(re.sub(r"\s+", "", text))
    return len(text.split())


def reading_minutes(length: int, lang: str) -> int:
    speed = READING_SPEED.get(lang, READING_SPEED["en"])
    return max(1, round(length / speed))


def cut_summary(text: str, lang: str, limit: int | None = None) -> str:
    """Shorten ``text`` to about ``limit`` units, at a sentence end if possible.

    Returns the text unchanged when it fits; otherwise the longest run of
    whole sentences that fits (if it keeps at least half the limit), else a
    hard cut followed by an ellipsis.
    """
    text = " ".join(text.split())
    limit = limit or SUMMARY_LIMIT.get(lang, SUMMARY_LIMIT["en"])
    if text_length(text, lang) <= limit:
        return text
    cut = text[:limit] if measures_characters(lang) else " ".join(text.split()[:limit])
    ends = _SENTENCE_END.get(lang, _SENTENCE_END["en"])
    best = -1
    spaced = not measures_characters(lang)
    for index, char in enumerate(cut):
        following = text[index + 1] if index + 1 < len(text) else " "
        if char in ends and (not spaced or following in " " + _CLOSERS):
            end = index + 1
            while end < len(cut) and cut[end] in _CLOSERS:
                end += 1
            best = end
    if best > 0 and text_length(cut[:best], lang) >= limit // 2:
        return cut[:best].strip()
    cut = cut.rstrip(" ,，、;；:：")
    return cut + "…"

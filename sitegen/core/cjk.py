"""East-Asian text in Markdown: which characters count as Chinese,
Japanese or Korean for line breaks and for emphasis.

- A line break inside a paragraph is written as nothing between two wide
  characters (:func:`joins_lines`), as CSS Text's segment-break rules say
  a browser should show it and as Hugo's East-Asian line-break option
  does; anywhere else it stays a line break, which a browser shows as a
  space ("中文\\nEnglish" → "中文 English").
- Emphasis follows the CJK-friendly amendment to CommonMark
  (:func:`scan_delimiters`): ``**「重要」**的`` and ``**务必注意。**谢谢`` are
  bold, where CommonMark alone reads the ``**`` as text because the
  character inside is punctuation and the one outside is not. Text
  without East-Asian characters reads exactly as CommonMark says.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import NamedTuple

_WIDE = frozenset({"W", "F", "H"})
# CommonMark's Unicode white space, as markdown-it-py reads it
_WHITE = frozenset(" \t\n\x0b\x0c\r\u00a0\u1680\u202f\u205f\u3000") | frozenset(
    map(chr, range(0x2000, 0x200B))
)
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


@cache
def is_wide(char: str) -> bool:
    """Whether ``char`` is East-Asian wide (ideographs, kana, full-width
    punctuation), Hangul excepted: CSS removes a line break between two."""
    if unicodedata.east_asian_width(char) not in _WIDE:
        return False
    return not _hangul(char)


@cache
def is_cjk(char: str) -> bool:
    """A CJK character of the amendment: East-Asian wide, full-width or
    half-width and not an emoji, or Hangul."""
    if _hangul(char):
        return True
    return unicodedata.east_asian_width(char) in _WIDE and not _emoji(char)


def _hangul(char: str) -> bool:
    code = ord(char)
    return (
        0x1100 <= code <= 0x11FF
        or 0x3130 <= code <= 0x318F
        or 0xA960 <= code <= 0xA97F
        or 0xAC00 <= code <= 0xD7FF
        or 0xFFA0 <= code <= 0xFFDC
    )


# Wide characters shown as emoji by default (Unicode's Emoji_Presentation),
# which the amendment does not count as CJK: those outside the supplementary
# planes' pictographs, which are all taken as emoji.
_EMOJI_RANGES = (
    (0x231A, 0x231B), (0x23E9, 0x23EC), (0x23F0, 0x23F0), (0x23F3, 0x23F3),
    (0x25FD, 0x25FE), (0x2614, 0x2615), (0x2648, 0x2653), (0x267F, 0x267F),
    (0x2693, 0x2693), (0x26A1, 0x26A1), (0x26AA, 0x26AB), (0x26BD, 0x26BE),
    (0x26C4, 0x26C5), (0x26CE, 0x26CE), (0x26D4, 0x26D4), (0x26EA, 0x26EA),
    (0x26F2, 0x26F3), (0x26F5, 0x26F5), (0x26FA, 0x26FA), (0x26FD, 0x26FD),
    (0x2705, 0x2705), (0x270A, 0x270B), (0x2728, 0x2728), (0x274C, 0x274C),
    (0x274E, 0x274E), (0x2753, 0x2755), (0x2757, 0x2757), (0x2795, 0x2797),
    (0x27B0, 0x27B0), (0x27BF, 0x27BF), (0x2B1B, 0x2B1C), (0x2B50, 0x2B50),
    (0x2B55, 0x2B55),
)  # fmt: skip


def _emoji(char: str) -> bool:
    code = ord(char)
    if 0x1F000 <= code <= 0x1FAFF:
        return not 0x1F200 <= code <= 0x1F2FF or code in _EMOJI_IDEOGRAPHS
    return any(low <= code <= high for low, high in _EMOJI_RANGES)


# the enclosed ideographs shown as emoji (🈚, 🈯, 🉐 …)
_EMOJI_IDEOGRAPHS = frozenset(
    {0x1F201, 0x1F202, 0x1F21A, 0x1F22F, *range(0x1F232, 0x1F23B), 0x1F250, 0x1F251}
)


def joins_lines(before: str, after: str) -> bool:
    """Whether a line break between the characters ``before`` and ``after``
    is written as nothing: both are wide (see :func:`is_wide`)."""
    return bool(before) and bool(after) and is_wide(before) and is_wide(after)


@cache
def is_punctuation(char: str) -> bool:
    """CommonMark's Unicode punctuation (as markdown-it-py reads it)."""
    return char in _ASCII_PUNCTUATION or unicodedata.category(char).startswith(("P", "S"))


def _ideographic_selector(char: str) -> bool:
    return 0xE0100 <= ord(char) <= 0xE01EF


def _general_selector(char: str) -> bool:
    return 0xFE00 <= ord(char) <= 0xFE0E


class Scanned(NamedTuple):
    can_open: bool
    can_close: bool
    length: int


def scan_delimiters(src: str, start: int, end: int, can_split_word: bool) -> Scanned:
    """A run of ``*``, ``_`` or ``~`` at ``start`` in ``src`` (read up to
    ``end``): whether it can open and close emphasis, by CommonMark's rules
    with the CJK-friendly amendment; markdown-it-py's ``scanDelims`` with
    East-Asian characters read as the amendment says."""
    marker = src[start]
    pos = start
    while pos < end and src[pos] == marker:
        pos += 1
    last = src[start - 1] if start > 0 else " "
    if _general_selector(last) and start > 1:  # read as the character it follows
        last = src[start - 2]
    after = src[pos] if pos < end else " "
    last_white, next_white = last in _WHITE, after in _WHITE
    last_punct, next_punct = is_punctuation(last), is_punctuation(after)
    last_cjk, next_cjk = is_cjk(last), is_cjk(after)
    last_other_punct = last_punct and not last_cjk  # punctuation, not CJK
    next_other_punct = next_punct and not next_cjk
    left = not next_white and (
        not next_other_punct
        or last_white
        or last_other_punct
        or last_cjk
        or _ideographic_selector(last)
    )
    right = not last_white and (not last_other_punct or next_white or next_other_punct or next_cjk)
    can_open = left and (can_split_word or not right or last_punct)
    can_close = right and (can_split_word or not left or next_punct)
    return Scanned(can_open, can_close, pos - start)


def reads_otherwise(last: str, after: str) -> bool:
    """Whether a delimiter run between ``last`` and ``after`` may be read
    otherwise by the amendment than by CommonMark: only where a neighbour
    is CJK punctuation, or one is CJK and the other punctuation, or one is
    a variation selector."""
    last_cjk, after_cjk = is_cjk(last), is_cjk(after)
    if not (last_cjk or after_cjk):
        return _selector(last) or _selector(after)
    if (last_cjk and is_punctuation(last)) or (after_cjk and is_punctuation(after)):
        return True
    return is_punctuation(after if last_cjk else last) or _selector(last) or _selector(after)


def _selector(char: str) -> bool:
    return _general_selector(char) or _ideographic_selector(char)

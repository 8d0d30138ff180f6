"""Charts of the site's own numbers, drawn as SVG when a page is rendered.

Drawn here rather than by a charting library. pygal, leather, matplotlib
and vl-convert were each made to draw these charts (Chinese labels at
390 px wide, the same bytes twice, the page's colours). pygal and leather
clipped Chinese labels until tuned, pygal and matplotlib gave other bytes
on every run, matplotlib and vl-convert weigh 176 and 88 MB, and only
plain attributes let the theme's colour schemes recolour a chart. Three
plain shapes cover every chart of the site at about 1 KB gzipped and a
tenth of a millisecond a chart:

- ``bars``: a horizontal bar for each label, the label above it and its
  number at its end, so that names of any length fit a phone;
- ``columns``: a group of columns for each label (a year), one column for
  each series, told apart by fill pattern and named in a legend;
- ``strips``: for each series, under its name, a row of thin bars, one for
  each label (a month), with ``marks`` (the years) underneath.

Text is ``<text>`` in the page's own font and colour; shapes carry the
theme's classes (``s0``, ``s1``, …), so that the colour schemes, forced
colours and print recolour them. A :class:`Chart` is data, made by the
planners in the page's language; :func:`draw` runs in the template, so a
page taken from the build cache is not drawn again.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 360  # of the viewBox; the drawing scales to its box
FONT = 16  # labels, at about the size of the text on a phone; numbers at SMALL
SMALL = 14


@dataclass(frozen=True, slots=True)
class Series:
    """One row of numbers, one for each of the chart's labels."""

    values: tuple[int, ...]
    name: str = ""  # a name from the content, in the page's language
    key: str = ""  # or the key of a UI string that names it


@dataclass(frozen=True, slots=True)
class Chart:
    """What a chart shows. ``key`` names its strings (``chart_<key>``, the
    title; ``chart_<key>_about``, a sentence filled with ``facts``) and
    its ids, so it is unique on a page."""

    key: str
    shape: str  # "bars", "columns" or "strips"
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    label_heading: str  # the UI string key of the labels' column in the table
    facts: tuple[tuple[str, str | int], ...] = ()
    marks: tuple[tuple[int, str], ...] = ()  # strips: (label index, text) below

    def rows(self) -> list[tuple[str, tuple[int, ...]]]:
        """The data table: each label with its value in every series."""
        return [
            (label, tuple(s.values[i] for s in self.series)) for i, label in enumerate(self.labels)
        ]


def text_width(text: str, size: float) -> float:
    """About how wide ``text`` is drawn: a Chinese character is square,
    a Latin letter or digit a little over half as wide."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else size * 0.58 for c in text)


def draw(chart: Chart, names: Sequence[str]) -> str:
    """The chart as an ``<svg>`` element; ``names`` are its series' names."""
    height, body = _SHAPES[chart.shape](chart, list(names))
    return (
        f'<svg class="chart-svg chart-{chart.shape}" viewBox="0 0 {WIDTH} {_n(height)}"'
        f' font-size="{FONT}" aria-hidden="true" focusable="false">{"".join(body)}</svg>'
    )


def _n(x: float) -> str:
    """A coordinate, short and the same every time."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, text: str, cls: str = "", anchor: str = "") -> str:
    attrs = f' class="{cls}"' if cls else ""
    attrs += f' text-anchor="{anchor}"' if anchor else ""
    return f'<text x="{_n(x)}" y="{_n(y)}"{attrs}>{escape(text)}</text>'


def _rect(x: float, y: float, w: float, h: float, series: int, key: str) -> str:
    fill = f' fill="url(#{key}-p{series})"' if series else ""
    return (
        f'<rect class="s{series}" x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}"{fill}/>'
    )


def _patterns(key: str, count: int) -> str:
    """Fills for the second and third series: stripes and dots."""
    found = []
    if count > 1:
        found.append(
            f'<pattern id="{key}-p1" width="6" height="6" patternUnits="userSpaceOnUse"'
            ' patternTransform="rotate(45)"><rect class="ground" width="6" height="6"/>'
            '<line class="stripe" x1="1.5" y1="0" x2="1.5" y2="6"/></pattern>'
        )
    if count > 2:
        found.append(
            f'<pattern id="{key}-p2" width="5" height="5" patternUnits="userSpaceOnUse">'
            '<rect class="ground" width="5" height="5"/>'
            '<circle class="dot" cx="2.5" cy="2.5" r="1.4"/></pattern>'
        )
    return f"<defs>{''.join(found)}</defs>" if found else ""


def _bars(chart: Chart, names: list[str]) -> tuple[float, list[str]]:
    values = chart.series[0].values
    top = max(values, default=0) or 1
    span = WIDTH - text_width(str(top), SMALL) - 6
    row = 46  # a label's line, then its bar: room for the fonts' full height
    body = []
    for index, (label, value) in enumerate(zip(chart.labels, values, strict=True)):
        y = index * row
        width = span * value / top
        body.append(_text(0, y + 16, label))
        if value:
            body.append(_rect(0, y + 25, max(width, 2), 14, 0, chart.key))
        body.append(_text(max(width, 0) + 5, y + 37.5, str(value), "n"))
    return len(values) * row, body


def _legend(chart: Chart, names: list[str]) -> tuple[float, list[str]]:
    """The series' names, each after a swatch of its fill, wrapped to the width."""
    if len(names) < 2:
        return 0, []
    body = [_patterns(chart.key, len(names))]
    x = y = 0.0
    for index, name in enumerate(names):
        width = 22 + text_width(name, FONT) + 16
        if x and x + width > WIDTH:
            x, y = 0, y + 24
        body.append(_rect(x, y + 2, 16, 16, index, chart.key))
        body.append(_text(x + 22, y + 16, name))
        x += width
    return y + 32, body


def _columns(chart: Chart, names: list[str]) -> tuple[float, list[str]]:
    top_y, body = _legend(chart, names)
    count, series = len(chart.labels), len(chart.series)
    top = max((v for s in chart.series for v in s.values), default=0) or 1
    plot = 120
    base = top_y + SMALL + 6 + plot
    band = WIDTH / count
    gap = band * 0.25
    column = (band - gap) / series
    # label every column, or every other one (or fewer) where they would touch
    every = math.ceil((max(text_width(x, SMALL) for x in chart.labels) + 4) / band)
    for i, label in enumerate(chart.labels):
        for j, s in enumerate(chart.series):
            value = s.values[i]
            x = i * band + gap / 2 + j * column
            height = plot * value / top
            if value:
                body.append(_rect(x, base - height, column, height, j, chart.key))
            if text_width(str(value), SMALL) <= column + 4:
                body.append(_text(x + column / 2, base - height - 4, str(value), "n", "middle"))
        if i % every == 0 or i == count - 1:
            body.append(_text(i * band + band / 2, base + SMALL + 6, label, "n", "middle"))
    body.append(f'<line class="axis" x1="0" y1="{_n(base)}" x2="{WIDTH}" y2="{_n(base)}"/>')
    return base + SMALL + 10, body


def _strips(chart: Chart, names: list[str]) -> tuple[float, list[str]]:
    count = len(chart.labels)
    top = max((v for s in chart.series for v in s.values), default=0) or 1
    band = WIDTH / count
    strip, row = 28, 56
    body = []
    for j, (s, name) in enumerate(zip(chart.series, names, strict=True)):
        y = j * row
        base = y + 22 + strip
        body.append(_text(0, y + 16, f"{name} {sum(s.values)}"))
        path = []  # one path of bars a row: a month's bar is ~25 bytes, not ~70
        for i, value in enumerate(s.values):
            if value:
                height = max(strip * value / top, 2)
                left, wide = _n(i * band + 0.5), _n(band - 1)
                path.append(f"M{left} {_n(base - height)}h{wide}v{_n(height)}h-{wide}z")
        if path:
            body.append(f'<path class="s0" d="{"".join(path)}"/>')
        body.append(f'<line class="axis" x1="0" y1="{_n(base)}" x2="{WIDTH}" y2="{_n(base)}"/>')
    bottom = len(chart.series) * row
    for index, text in chart.marks:
        x = index * band
        body.append(f'<line class="tick" x1="{_n(x)}" y1="0" x2="{_n(x)}" y2="{_n(bottom)}"/>')
        body.append(_text(x + 2, bottom + SMALL + 2, text, "n"))
    return bottom + SMALL + 8, body


_SHAPES = {"bars": _bars, "columns": _columns, "strips": _strips}

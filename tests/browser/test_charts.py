"""The charts as a reader sees them on the demonstration site: on a phone
and a computer no label overlaps another or runs off the drawing, the
numbers open as a table by keyboard, the bars stand out from the page in
every colour scheme, and they print."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from sitepages import DESKTOP, PHONE
from test_comfort import contrast

if TYPE_CHECKING:
    from conftest import Sites

pytestmark = pytest.mark.browser

# Every text of every chart on the page: its box on the screen, and the
# box of its drawing.
BOXES = """() => [...document.querySelectorAll('svg.chart-svg')].map(svg => {
  const s = svg.getBoundingClientRect();
  return { svg: [s.left, s.top, s.right, s.bottom],
           texts: [...svg.querySelectorAll('text')].map(t => {
             const b = t.getBoundingClientRect();
             return [t.textContent, b.left, b.top, b.right, b.bottom]; }) };
})"""


def overlapping(texts: list[list[Any]]) -> list[tuple[str, str]]:
    found = []
    for i, (a, al, at, ar, ab) in enumerate(texts):
        for b, bl, bt, br, bb in texts[i + 1 :]:
            if al < br - 0.5 and bl < ar - 0.5 and at < bb - 0.5 and bt < ab - 0.5:
                found.append((a, b))
    return found


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
@pytest.mark.parametrize("lang", ["", "/en"], ids=["zh", "en"])
def test_no_label_overlaps_another_or_runs_off_the_chart(
    new_page: Any, sites: Sites, lang: str, viewport: dict[str, int]
) -> None:
    page = new_page(viewport)
    page.goto(sites.url("district") + lang + "/stats/")
    charts = page.evaluate(BOXES)
    assert len(charts) == 6
    width = page.evaluate("() => document.documentElement.clientWidth")
    for chart in charts:
        left, _, right, _ = chart["svg"]
        assert right <= width, "no sideways scrolling"
        assert not overlapping(chart["texts"]), overlapping(chart["texts"])
        for text, tl, _, tr, _ in chart["texts"]:
            # (a glyph such as J may overhang its start by a pixel or two)
            assert left - 3 <= tl and tr <= right + 3, f"{text!r} runs off the chart"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


def test_the_numbers_open_as_a_table_by_keyboard(new_page: Any, sites: Sites) -> None:
    page = new_page(PHONE)
    page.goto(sites.url("district") + "/teams/")
    table = page.locator("figure.chart table").first
    assert table.is_hidden()
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('figure.chart summary')"):
            break
    else:
        raise AssertionError("Tab never reaches a chart's table")
    page.keyboard.press("Enter")
    assert table.is_visible()
    first = table.locator("tbody tr").first.locator("th, td").all_inner_texts()
    assert first[0] and first[1].isdigit()


@pytest.mark.parametrize("scheme", ["", "light", "dark", "forced"])
def test_the_bars_stand_out_in_every_colour_scheme(
    new_page: Any, sites: Sites, scheme: str
) -> None:
    options = {"forced_colors": "active", "color_scheme": "dark"} if scheme == "forced" else {}
    page = new_page(PHONE, **options)
    if scheme in ("light", "dark"):
        page.goto(sites.url("district") + "/")
        page.evaluate(
            "s => localStorage.setItem('sitegen-care', JSON.stringify({contrast: s}))", scheme
        )
    page.goto(sites.url("district") + "/stats/")
    colours = page.evaluate(
        """() => ({ bar: getComputedStyle(document.querySelector('.chart-svg .s0')).fill,
                   text: getComputedStyle(document.querySelector('.chart-svg text')).fill,
                   paper: getComputedStyle(document.body).backgroundColor })"""
    )
    assert contrast(colours["bar"], colours["paper"]) >= 3, colours
    assert contrast(colours["text"], colours["paper"]) >= 4.5, colours


def test_charts_print_without_their_tables(new_page: Any, sites: Sites) -> None:
    page = new_page(DESKTOP)
    page.goto(sites.url("district") + "/stats/")
    page.emulate_media(media="print")
    assert page.locator("svg.chart-svg").first.is_visible()
    assert page.locator("details.chart-data").first.is_hidden()

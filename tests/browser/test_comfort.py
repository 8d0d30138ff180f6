"""What the eye meets, measured as the reader sees it: spacing that meets
the MIIT ageing-friendly numbers at every text size, a keyboard focus that
stands out in every colour scheme, and the reader's system settings for
contrast, forced colours and motion honoured."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from sitepages import DESKTOP, PHONE

if TYPE_CHECKING:
    from conftest import Sites

pytestmark = pytest.mark.browser

ARTICLE = "/news/2020/04/studio-meeting/"
SIZES = ["normal", "large", "larger", "largest"]

# For the paragraphs of an article: the font size, the line pitch (one
# line's top to the next), the white space between two lines of a
# paragraph, and the white space between two paragraphs, all in px, from
# the boxes of the lines as drawn.
SPACING = """() => {
  const lines = p => { const r = document.createRange(); r.selectNodeContents(p);
    return [...r.getClientRects()].filter(b => b.width > 0)
      .reduce((rows, b) => { const last = rows.at(-1);
        if (last && Math.abs(last.top - b.top) < 2) last.bottom = Math.max(last.bottom, b.bottom);
        else rows.push({ top: b.top, bottom: b.bottom }); return rows; }, []); };
  const ps = [...document.querySelectorAll('.prose p')].filter(p => lines(p).length > 1);
  const [a, b] = ps;
  const la = lines(a), lb = lines(b);
  return { font: parseFloat(getComputedStyle(a).fontSize), pitch: la[1].top - la[0].top,
           lineGap: la[1].top - la[0].bottom, paragraphGap: lb[0].top - la.at(-1).bottom,
           paragraphs: ps.length };
}"""


def settle(page: Any, sites: Sites, path: str, care: dict[str, str], size: str = "normal") -> None:
    page.goto(sites.url("example") + "/")
    page.evaluate(
        """([care, size]) => { localStorage.setItem('sitegen-care', JSON.stringify(care));
                              localStorage.setItem('sitegen-text-size', size); }""",
        [care, size],
    )
    page.goto(sites.url("example") + path)


@pytest.mark.parametrize("spacing", ["", "wide"], ids=["standard", "wide"])
@pytest.mark.parametrize("lang", ["", "/en"], ids=["zh", "en"])
def test_line_and_paragraph_spacing_meet_the_miit_numbers_at_every_size(
    new_page: Any, sites: Sites, lang: str, spacing: str
) -> None:
    """行距 at least 1.3 times the text, and the space between paragraphs at
    least 1.3 times the space between lines (《互联网网站适老化通用设计规范》)."""
    page = new_page(PHONE)
    fonts = []
    for size in SIZES:
        settle(page, sites, lang + ARTICLE, {"spacing": spacing} if spacing else {}, size)
        m = page.evaluate(SPACING)
        assert m["paragraphs"] >= 2, "the article has two paragraphs of several lines"
        assert m["pitch"] >= 1.3 * m["font"], (size, m)
        assert m["paragraphGap"] >= 1.3 * m["lineGap"], (size, m)
        if spacing:  # 加大: even counted from the line boxes, a 1.3-line gap
            assert m["pitch"] >= 2 * m["font"] - 0.5, (size, m)
            assert m["paragraphGap"] >= 1.3 * m["pitch"] - m["lineGap"], (size, m)
        fonts.append(m["font"])
    assert fonts == sorted(fonts) and fonts[-1] >= 1.5 * fonts[0], fonts


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two computed ``rgb(…)`` colours."""

    def luminance(colour: str) -> float:
        parts = [float(x) for x in colour[colour.index("(") + 1 : -1].split(",")[:3]]
        linear = [c / 255 / 12.92 if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in parts]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("scheme", ["", "light", "dark"], ids=["standard", "light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_the_keyboard_focus_stands_out_in_every_colour_scheme(
    new_page: Any, sites: Sites, scheme: str, viewport: dict[str, int]
) -> None:
    page = new_page(viewport)
    settle(page, sites, ARTICLE, {"contrast": scheme} if scheme else {})
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('main')"):
            break
    else:
        raise AssertionError("Tab never reaches the article")
    ring = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return { style: s.outlineStyle, width: parseFloat(s.outlineWidth),
                            colour: s.outlineColor,
                            paper: getComputedStyle(document.body).backgroundColor }; }"""
    )
    assert ring["style"] != "none" and ring["width"] >= 2, ring
    assert contrast(ring["colour"], ring["paper"]) >= 3, ring


def test_forced_colours_keep_the_current_page_and_choices_visible(
    new_page: Any, sites: Sites
) -> None:
    """Windows' high contrast drops background colours: the current menu
    item and a pressed button must still stand out by a line."""
    page = new_page(DESKTOP, forced_colors="active", color_scheme="dark")
    page.goto(sites.url("example") + "/news/")
    current = page.locator(".site-nav a[aria-current]")
    other = page.locator(".site-nav a:not([aria-current])").first
    line = "e => [getComputedStyle(e).borderBottomColor, getComputedStyle(e).borderBottomWidth]"
    paper = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert other.evaluate(line)[0] == paper, "only the current item has a line under it"
    colour, width = current.evaluate(line)
    assert contrast(colour, paper) >= 3 and float(width.removesuffix("px")) >= 3
    pressed = page.locator('.text-size button[aria-pressed="true"]')
    plain = page.locator('.text-size button[aria-pressed="false"]').first
    border = "e => parseFloat(getComputedStyle(e).borderTopWidth)"
    assert pressed.evaluate(border) > plain.evaluate(border)


def test_asking_for_more_contrast_darkens_the_text_and_underlines_links(
    new_page: Any, sites: Sites
) -> None:
    underlined = "e => getComputedStyle(e).textDecorationLine"
    page = new_page(PHONE)
    page.goto(sites.url("example") + ARTICLE)
    assert page.locator(".article-records a").first.evaluate(underlined) == "none"
    page = new_page(PHONE, contrast="more")
    page.goto(sites.url("example") + ARTICLE)
    colour = page.evaluate("() => getComputedStyle(document.querySelector('.article-meta')).color")
    assert colour == "rgb(26, 26, 26)"
    link = page.locator(".article-records a").first  # chips: no underline by default
    assert "underline" in link.evaluate(underlined)


def test_nothing_moves_for_a_reader_who_asks_for_less_motion(new_page: Any, sites: Sites) -> None:
    page = new_page(DESKTOP, reduced_motion="reduce")
    page.goto(sites.url("example") + ARTICLE)
    page.click(".care-toggle")
    page.click('[data-care="guide"]')
    page.mouse.move(300, 400)
    moving = page.evaluate(
        """() => ({ animations: document.getAnimations().length,
                   transitions: [...document.querySelectorAll('*')].filter(e => getComputedStyle(e)
                     .transitionDuration.split(',').some(d => parseFloat(d) > 0)).length,
                   smooth: getComputedStyle(document.documentElement).scrollBehavior })"""
    )
    assert moving == {"animations": 0, "transitions": 0, "smooth": "auto"}

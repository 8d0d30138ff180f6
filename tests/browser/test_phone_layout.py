"""On a phone (390x844) no page scrolls sideways and the text is large; at
any width the header, the menu and the content line up."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from sitepages import DESKTOP, PAGES, PHONE

if TYPE_CHECKING:
    from conftest import Sites

pytestmark = pytest.mark.browser

MIN_TEXT_PX = 18

# The running text of a page: paragraphs and list items in <main>, less the
# small print (dates, reading time, article counts) that is meant smaller.
TEXT_SIZES = """min => {
  const px = el => parseFloat(getComputedStyle(el).fontSize);
  const text = [...document.querySelectorAll(
    'main p:not(.card-meta):not(.article-meta), main .prose li, main .notice li')]
    .filter(el => el.innerText.trim());
  return {
    body: px(document.body),
    small: text.filter(el => px(el) < min)
               .map(el => `${px(el)}px: ${el.innerText.trim().slice(0, 40)}`),
  };
}"""


@pytest.mark.parametrize(("site", "lang", "kind", "path"), PAGES)
def test_fits_a_phone_without_sideways_scrolling_and_reads_large(
    new_tab: Any,
    sites: Sites,
    site: str,
    lang: str,
    kind: str,
    path: str,
) -> None:
    page = new_tab(PHONE)
    page.goto(sites.url(site) + path)
    width = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    # A phone zooms out to show content that overflows, which widens
    # innerWidth too: so compare with the phone's own width as well.
    assert width["inner"] == PHONE["width"], f"{path}: the page zoomed out to {width}"
    assert width["scroll"] <= width["inner"], f"{path} scrolls sideways: {width}"
    wide = page.evaluate(
        """w => [...document.querySelectorAll('body *')]
              .filter(el => el.getBoundingClientRect().right > w + 0.5)
              // a wide table scrolls in its own box, which fits
              .filter(el => { const box = el.closest('.table-wrap');
                              return !(box && box.getBoundingClientRect().right <= w + 0.5); })
              .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''))""",
        PHONE["width"],
    )
    assert not wide, f"{path}: elements reach past the right edge: {wide}"

    sizes = page.evaluate(TEXT_SIZES, MIN_TEXT_PX)
    assert sizes["body"] >= MIN_TEXT_PX, f"{path}: body text is {sizes['body']}px"
    assert not sizes["small"], f"{path}: running text under {MIN_TEXT_PX}px: {sizes['small']}"


EDGES = """() => {
  const box = sel => document.querySelector(sel).getBoundingClientRect();
  return {
    title: box('.site-title').left,
    menu: box('.site-nav li:first-child a').left,
    content: box('main .notice, main h1').left,
    header_bottom: box('.site-header').bottom,
    content_top: box('main .notice, main h1').top,
  };
}"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
@pytest.mark.parametrize(("site", "lang", "kind", "path"), PAGES)
def test_header_menu_and_content_line_up(
    new_tab: Any,
    sites: Sites,
    site: str,
    lang: str,
    kind: str,
    path: str,
    viewport: dict[str, int],
) -> None:
    page = new_tab(viewport)
    page.goto(sites.url(site) + path)
    edges = page.evaluate(EDGES)
    assert edges["title"] >= 8, f"{path}: the site title touches the window's edge: {edges}"
    assert abs(edges["menu"] - edges["title"]) <= 1, f"{path}: the menu is out of line: {edges}"
    assert abs(edges["content"] - edges["title"]) <= 1, f"{path}: content out of line: {edges}"
    gap = edges["content_top"] - edges["header_bottom"]
    assert gap >= 16, f"{path}: the content sticks to the header ({gap:.0f}px): {edges}"

"""An article printed: its title, date, source, text, pictures with their
captions, its address and who published it on paper; no menus, controls or other pages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from sitepages import DESKTOP

if TYPE_CHECKING:
    from conftest import Sites

pytestmark = pytest.mark.browser

SHOWN = """sel => [...document.querySelectorAll(sel)].filter(
  el => getComputedStyle(el).display !== 'none' && el.getClientRects().length > 0).length"""


@pytest.mark.parametrize("lang", ["", "/en"])
def test_a_printed_article_is_the_article_and_its_address(
    new_tab: Any, sites: Sites, lang: str
) -> None:
    page = new_tab(DESKTOP)
    page.goto(sites.url("example") + f"{lang}/news/2020/04/studio-meeting/")
    page.emulate_media(media="print")
    kept_parts = ("h1", ".article-meta", ".prose p", "figure img", "figcaption", ".print-address")
    for kept in (*kept_parts, ".site-footer p:first-child"):
        assert page.evaluate(SHOWN, kept), f"{kept} is not printed"
    for dropped in (
        ".site-nav",
        ".lang-switch",
        ".text-size",
        ".prev-next",
        ".article-tags",
        ".footer-links",
    ):
        assert not page.evaluate(SHOWN, dropped), f"{dropped} is printed"
    address = page.locator(".print-address").inner_text()
    assert address.endswith(f"https://example.org/xindu{lang}/news/2020/04/studio-meeting/")
    page.emulate_media(media="screen")
    assert not page.evaluate(SHOWN, ".print-address"), "the address is for paper only"

"""微信扫一扫: on a wide screen and on paper an article and the home page
show a QR code that a phone reads as the page's published address, in
every colour scheme; a phone shows none and never downloads the encoder;
without JavaScript nothing half-drawn is left on the page."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

import pytest
from sitepages import DESKTOP, PHONE

if TYPE_CHECKING:
    from conftest import Sites

pytestmark = pytest.mark.browser

zxingcpp = pytest.importorskip("zxingcpp", reason="the QR reader zxing-cpp is not installed")
Image = pytest.importorskip("PIL.Image")

PAGES = [
    ("/news/2020/04/studio-meeting/", "微信扫一扫，分享本文"),
    ("/en/news/2020/04/studio-meeting/", "Scan to share this article"),
    ("/", "微信扫一扫，分享本站"),
    ("/en/", "Scan to share this site"),
]


def scanned(page: Any) -> list[str]:
    """What a phone's camera reads from the QR code as it is drawn."""
    shot = page.locator(".share-qr svg").screenshot()
    return [code.text for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))]


def published_address(page: Any) -> str:
    address = page.get_attribute('link[rel="canonical"]', "href")
    assert address and address.startswith("https://example.org/"), address
    return address


@pytest.mark.parametrize(("path", "caption"), PAGES, ids=lambda p: p.strip("/") or "home")
def test_a_wide_screen_shows_a_code_that_reads_as_the_page_address(
    new_page: Any, sites: Sites, path: str, caption: str
) -> None:
    page = new_page(DESKTOP)
    page.goto(sites.url("example") + path)
    figure = page.locator(".share-qr")
    figure.wait_for(state="visible")
    assert figure.locator("figcaption").inner_text() == caption
    assert scanned(page) == [published_address(page)]
    outside = [url for url in page.traffic.requests if not url.startswith(sites.url("example"))]
    assert not outside and not page.traffic.errors, (outside, page.traffic.errors)


@pytest.mark.parametrize("scheme", ["light", "dark", "forced"])
def test_the_code_stays_readable_in_every_colour_scheme(
    new_page: Any, sites: Sites, scheme: str
) -> None:
    options = {"forced_colors": "active", "color_scheme": "dark"} if scheme == "forced" else {}
    page = new_page(DESKTOP, **options)
    if scheme != "forced":
        page.goto(sites.url("example") + "/")
        page.evaluate(
            "s => localStorage.setItem('sitegen-care', JSON.stringify({contrast: s}))", scheme
        )
    page.goto(sites.url("example") + PAGES[0][0])
    page.locator(".share-qr").wait_for(state="visible")
    assert scanned(page) == [published_address(page)]


def test_the_printed_article_carries_the_code_and_the_address(new_page: Any, sites: Sites) -> None:
    page = new_page(DESKTOP)
    page.goto(sites.url("example") + PAGES[0][0])
    page.locator(".share-qr").wait_for(state="visible")
    page.emulate_media(media="print")
    assert page.locator(".share-qr").is_visible()
    address = published_address(page)
    assert scanned(page) == [address]
    assert address in page.locator(".print-address").inner_text()


def test_a_phone_shows_no_code_and_never_loads_the_encoder(new_page: Any, sites: Sites) -> None:
    page = new_page(PHONE)
    page.goto(sites.url("example") + PAGES[0][0])
    page.wait_for_load_state("networkidle")
    assert page.locator(".share-qr").is_hidden()
    assert not [url for url in page.traffic.requests if "/vendor/" in url]


def test_without_javascript_no_empty_box_is_shown(new_page: Any, sites: Sites) -> None:
    page = new_page(DESKTOP, java_script_enabled=False)
    page.goto(sites.url("example") + PAGES[0][0])
    assert page.locator(".share-qr").count() == 1
    assert page.locator(".share-qr").is_hidden()
    assert page.locator(".print-address").count() == 1  # the address is printed as text


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_an_article_with_its_code_stays_under_60_kb_without_pictures(
    new_page: Any, sites: Sites, viewport: dict[str, int]
) -> None:
    page = new_page(viewport)
    page.goto(sites.url("example") + PAGES[0][0])
    page.wait_for_load_state("networkidle")
    loaded = page.evaluate(
        """() => [...performance.getEntriesByType('navigation'),
                  ...performance.getEntriesByType('resource')]
                 .filter(e => !/\\.(webp|jpe?g|png|avif|ico)$/.test(e.name))
                 .map(e => [e.name, e.decodedBodySize])"""
    )
    assert any("/vendor/" in name for name, _ in loaded) == (viewport is DESKTOP)
    assert sum(size for _, size in loaded) < 60 * 1024, loaded

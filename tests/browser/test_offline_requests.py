"""Every page loads whole from the site itself: no failed request, no error
response, nothing asked of any other host (no fonts, analytics or CDNs),
and nothing asked outside the site's own path on its host (the example
site is served under /xindu/)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from sitepages import CHECKED_SITES, DESKTOP, PAGES, PHONE

if TYPE_CHECKING:
    from conftest import Sites

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
@pytest.mark.parametrize(("site", "lang", "kind", "path"), PAGES)
def test_page_loads_only_from_the_site_itself(
    new_page: Any,
    sites: Sites,
    site: str,
    lang: str,
    kind: str,
    path: str,
    viewport: dict[str, int],
) -> None:
    site_url = sites.url(site)
    page = new_page(viewport)
    response = page.goto(site_url + path, wait_until="networkidle")
    expected_status = 404 if kind == "404" else 200
    assert response.status == expected_status, f"{path}: HTTP {response.status}"

    traffic = page.traffic
    own = urlsplit(site_url).netloc
    elsewhere = [url for url in traffic.requests if urlsplit(url).netloc != own]
    assert not elsewhere, f"{path} asked other hosts for: {elsewhere}"
    outside = [url for url in traffic.requests if not url.startswith(site_url + "/")]
    assert not outside, f"{path} asked for addresses outside {site_url}/: {outside}"
    assert not traffic.failed, f"{path}: failed requests: {traffic.failed}"
    deliberate = {response.url} if kind == "404" else set()
    bad = [(status, url) for status, url in traffic.bad_responses if url not in deliberate]
    assert not bad, f"{path}: error responses: {bad}"
    assert not traffic.errors, f"{path}: script errors: {traffic.errors}"
    assert len(traffic.requests) >= 2, f"{path}: the stylesheet was not loaded: {traffic.requests}"


@pytest.mark.parametrize("site", CHECKED_SITES)
def test_favicon_is_served_from_the_site_path(new_page: Any, sites: Sites, site: str) -> None:
    """Browsers other than headless Chromium ask for an icon by themselves:
    the one the page names, else /favicon.ico at the host's root, which a
    site under a sub-path does not own."""
    site_url = sites.url(site)
    page = new_page(DESKTOP)
    page.goto(site_url + "/")
    hrefs = page.locator("link[rel~=icon]").evaluate_all("els => els.map(e => e.href)")
    assert hrefs, "the page names no icon"
    for icon in hrefs:
        assert icon.startswith(site_url + "/"), f"the icon {icon} is outside the site"
        response = page.request.get(icon)
        assert response.status == 200 and response.body(), f"no icon at {icon}"

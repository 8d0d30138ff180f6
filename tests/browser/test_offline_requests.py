"""Every page loads whole from the site itself: no failed request, no error
response, and nothing asked of any other host (no fonts, analytics or CDNs)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from sitepages import DESKTOP, PAGES, PHONE

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
@pytest.mark.parametrize(("lang", "kind", "path"), PAGES)
def test_page_loads_only_from_the_site_itself(
    new_page: Any, site_url: str, lang: str, kind: str, path: str, viewport: dict[str, int]
) -> None:
    page = new_page(viewport)
    response = page.goto(site_url + path, wait_until="networkidle")
    expected_status = 404 if kind == "404" else 200
    assert response.status == expected_status, f"{path}: HTTP {response.status}"

    traffic = page.traffic
    own = urlsplit(site_url).netloc
    elsewhere = [url for url in traffic.requests if urlsplit(url).netloc != own]
    assert not elsewhere, f"{path} asked other hosts for: {elsewhere}"
    assert not traffic.failed, f"{path}: failed requests: {traffic.failed}"
    deliberate = {response.url} if kind == "404" else set()
    bad = [(status, url) for status, url in traffic.bad_responses if url not in deliberate]
    assert not bad, f"{path}: error responses: {bad}"
    assert not traffic.errors, f"{path}: script errors: {traffic.errors}"
    assert len(traffic.requests) >= 2, f"{path}: the stylesheet was not loaded: {traffic.requests}"


def test_favicon_is_served(new_page: Any, site_url: str) -> None:
    """Browsers other than headless Chromium ask for /favicon.ico by themselves."""
    page = new_page(DESKTOP)
    response = page.request.get(site_url + "/favicon.ico")
    assert response.status == 200 and response.body(), "no /favicon.ico"

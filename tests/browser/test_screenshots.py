"""Full-page screenshots to look at, taken with SCREENSHOTS=1:
test-results/screenshots/{lang}-{page}-{width}.png. Without it the test
still opens each page and checks that it rendered."""

from __future__ import annotations

import os
from typing import Any

import pytest
from sitepages import DESKTOP, LANGS, PHONE, REPO_ROOT

pytestmark = pytest.mark.browser

SHOTS = REPO_ROOT / "test-results" / "screenshots"
PAGES = {"home": "", "article": "news/2020/04/studio-meeting/", "news": "news/"}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("lang", LANGS)
def test_page_renders_and_is_photographed(
    new_tab: Any, site_url: str, lang: str, name: str, viewport: dict[str, int]
) -> None:
    page = new_tab(viewport, device_scale_factor=2 if viewport == PHONE else 1)
    page.goto(site_url + LANGS[lang] + PAGES[name])
    heading = page.locator("h1")
    assert heading.is_visible(), f"{page.url}: no visible h1"
    assert heading.bounding_box()["height"] > 0
    if os.environ.get("SCREENSHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{lang}-{name}-{viewport['width']}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 0

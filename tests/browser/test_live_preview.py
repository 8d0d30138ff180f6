"""An editor previews with ``sitegen serve``: a save shows in the open page
without pressing reload, and a broken save shows the problem on top of the
last good page until the next good save."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sitepages import DESKTOP, example_copy

from sitegen.serve import Server

pytestmark = pytest.mark.browser

ARTICLE = "content/news/2020-04-27-pujiang-visit.zh.md"

# A function, not a bare expression: the pages' policy forbids eval. The page
# may be mid-reload when it is polled, with no <h1> yet: that is "not yet".
HEADING_STARTS = "start => document.querySelector('h1')?.textContent.startsWith(start) === true"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    site = example_copy(tmp_path / "site")
    running = Server(site, port=0)
    running.start()
    yield running
    running.stop()


def test_saves_show_in_the_open_page_and_mistakes_show_on_top(browser: Any, server: Server) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(server.url + "news/2020/04/pujiang-visit/")
    assert page.locator("h1").inner_text().startswith("蒲江社教同仁")

    article = server.site_dir / ARTICLE
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("title: 蒲江", "title: 修改后的蒲江", 1), encoding="utf-8")
    page.wait_for_function(HEADING_STARTS, arg="修改后的蒲江")

    article.write_text(text.replace("date: 2020-04-27", "date: [2020-04-27", 1), encoding="utf-8")
    overlay = page.locator("#sitegen-problems")
    overlay.wait_for(state="visible")
    assert f"{ARTICLE}:3:7: error: invalid YAML" in overlay.inner_text()
    assert page.locator("h1").inner_text().startswith("修改后的蒲江")  # the last good page

    article.write_text(text, encoding="utf-8")
    page.wait_for_function(HEADING_STARTS, arg="蒲江社教同仁")
    assert page.locator("#sitegen-problems").count() == 0
    context.close()

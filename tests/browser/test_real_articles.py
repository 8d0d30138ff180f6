"""Articles written as real editors write them, as a resident reads them on
a phone: no gap where the author broke a Chinese line, bold that is bold,
addresses that are links, and pages the Nu Html Checker finds valid."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from sitepages import PHONE, vnu_messages

if TYPE_CHECKING:
    from conftest import Sites

pytestmark = pytest.mark.browser

ARTICLE = "/news/2024/03/calligraphy-class/"


def test_a_chinese_article_reads_without_gaps_on_a_phone(new_page: Any, sites: Sites) -> None:
    page = new_page(PHONE)
    page.goto(sites.url("real") + ARTICLE)
    first = page.locator(".prose p").first.inner_text()
    # three source lines, read as one paragraph: no space where they were joined
    assert "正式开课。来自6个街道" in first and "讲起，手把手" in first
    assert " " not in first
    assert page.locator(".prose strong").all_inner_texts() == ["「免费报名」", "务必提前预约。"]
    signup = page.locator(".prose a[href='https://example.org/signup']")
    assert signup.inner_text() == "https://example.org/signup"
    headings = page.eval_on_selector_all(
        "main h1, main h2, main h3, main h4", "els => els.map(e => e.tagName)"
    )
    assert headings == ["H1", "H2", "H3", "H2"], "one outline, no level skipped"
    caption = page.locator(".prose p.align-center")
    assert caption.evaluate("e => getComputedStyle(e).textAlign") == "center"
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 390, "nothing is wider than the phone"
    assert page.traffic.bad_responses == [] and page.traffic.failed == []


def test_the_real_articles_site_is_valid_html(sites: Sites, vnu: list[str]) -> None:
    messages, _ = vnu_messages(vnu, sites.built("real").out)
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    assert errors == [], "\n".join(f"{m.get('url')}: {m.get('message')}" for m in errors)

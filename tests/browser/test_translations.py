"""A report without a translation: the language switch still leads to a page
that says so and links the original, in a site published under a sub-path."""

from __future__ import annotations

from typing import Any

import pytest
from sitepages import PHONE

pytestmark = pytest.mark.browser


def test_switching_to_a_missing_translation_explains_and_links_back(
    new_page: Any, basic_site_url: str
) -> None:
    page = new_page(PHONE)
    page.goto(basic_site_url + "/news/2021/06/summer-fair/")
    switch = page.locator("nav.lang-switch li")
    assert "English" in switch.inner_text() and "not translated yet" in switch.inner_text()

    switch.locator("a").click()

    page.wait_for_url(basic_site_url + "/en/news/2021/06/summer-fair/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "This article is not yet available in English"
    assert page.locator("meta[name=robots]").get_attribute("content") == "noindex"
    original = page.locator("main a[hreflang='zh-Hans']")
    assert original.inner_text() == "夏季游园会"
    original.click()
    page.wait_for_url(basic_site_url + "/news/2021/06/summer-fair/")
    assert page.locator("h1").inner_text() == "夏季游园会"
    assert page.traffic.bad_responses == [] and page.traffic.failed == []


def test_english_only_report_has_a_chinese_stub_and_every_link_stays_under_the_sub_path(
    new_page: Any, basic_site_url: str
) -> None:
    page = new_page(PHONE)
    page.goto(basic_site_url + "/news/2022/01/new-year/")
    assert page.locator("h1").inner_text() == "本文暂无中文版"
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(a => a.getAttribute('href'))")
    local = [h for h in hrefs if not h.startswith(("#", "http"))]
    assert local and all(h.startswith("/riverside/") for h in local), local
    page.locator("main a[hreflang='en']").click()
    page.wait_for_url(basic_site_url + "/en/news/2022/01/new-year/")
    assert page.locator("h1").inner_text() == "A New Year concert for neighbours"

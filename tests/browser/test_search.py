"""A resident searches the site in the language of the page, on a phone."""

from __future__ import annotations

from typing import Any

import pytest
from sitepages import PHONE

pytestmark = pytest.mark.browser


def search(page: Any, words: str) -> tuple[str, list[str]]:
    box = page.locator(".pagefind-ui__search-input")
    box.fill(words)
    message = page.locator(".pagefind-ui__message")
    # The interface shows early results first: wait for its final count.
    page.wait_for_function(
        "w => { const m = document.querySelector('.pagefind-ui__message');"
        " return m && m.textContent.includes(w); }",
        arg=words,
    )
    page.wait_for_timeout(300)
    return message.inner_text(), page.locator(".pagefind-ui__result-link").all_inner_texts()


@pytest.mark.parametrize(
    ("path", "words", "expected"),
    [
        ("/search/", "团队", "新都区开展2020年优秀市民自主学习团队建设评选活动"),
        ("/search/", "书画", "新繁书画院"),
        (
            "/en/search/",
            "team",
            "Xindu District Holds Its 2020 Selection of Outstanding Citizens' Self-Learning Teams",
        ),
    ],
)
def test_a_word_finds_the_right_pages_and_opens_one(
    new_page: Any, site_url: str, path: str, words: str, expected: str
) -> None:
    page = new_page(PHONE)
    page.goto(site_url + path)
    message, titles = search(page, words)
    assert expected in titles, (message, titles)
    page.get_by_role("link", name=expected, exact=True).first.click()
    page.wait_for_url(f"{site_url}{path.removesuffix('search/')}**")
    assert page.locator("h1").inner_text() == expected
    assert page.traffic.failed == [] and page.traffic.errors == []


def test_nothing_found_says_so(new_page: Any, site_url: str) -> None:
    page = new_page(PHONE)
    page.goto(site_url + "/search/")
    message, titles = search(page, "彩虹")
    assert titles == [] and message == "未找到 彩虹 的相关结果"
    page.goto(site_url + "/en/search/")
    message, titles = search(page, "rainbow")
    assert titles == [] and message == "No results for rainbow"


def test_without_javascript_the_page_says_how_else_to_find_things(
    new_page: Any, site_url: str
) -> None:
    page = new_page(PHONE, java_script_enabled=False)
    page.goto(site_url + "/search/")
    notice = page.locator("main p.notice")
    assert notice.is_visible()
    assert notice.inner_text().startswith("搜索需要浏览器开启 JavaScript")
    page.get_by_role("link", name="学习团队").last.click()
    page.wait_for_url("**/teams/")

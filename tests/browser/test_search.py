"""A resident searches the site in the language of the page, on a phone:
on the example site (under /xindu/) and on the larger fictional site."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest
from sitepages import PHONE

if TYPE_CHECKING:
    from conftest import Sites

pytestmark = pytest.mark.browser

EXAMPLE_ZH_REPORTS = {
    "蒲江社教同仁到新都学习市民自主学习团队培育活动",
    "新都区开展2020年优秀市民自主学习团队建设评选活动",
    "新都社区教育学院召开2020年名师工作室推进会",
    "新都社区教育学院召开2020年社区教育工作4月例会",
}
EXAMPLE_EN_REPORTS = {
    "Community Education Colleagues from Pujiang Visit Xindu to Learn About Cultivating"
    " Citizens' Self-Learning Teams",
    "Xindu District Holds Its 2020 Selection of Outstanding Citizens' Self-Learning Teams",
    "Xindu Community Education College Holds 2020 Master-Teacher Studio Progress Meeting",
    "Xindu Community Education College Holds Its April 2020 Community Education Work Meeting",
}

# (site, search page, words, every page that holds them, the one to open)
SEARCHES = [
    pytest.param(
        "example",
        "/search/",
        "团队",
        {*EXAMPLE_ZH_REPORTS, "新繁书画院", "2020年大事记"},
        "新都区开展2020年优秀市民自主学习团队建设评选活动",
        id="example-zh-tuandui",
    ),
    pytest.param(
        "example",
        "/search/",
        "书画",
        {"新繁书画院", "2020年大事记", "新都区开展2020年优秀市民自主学习团队建设评选活动"},
        "新繁书画院",
        id="example-zh-shuhua",
    ),
    pytest.param(
        "example",
        "/en/search/",
        "team",
        {*EXAMPLE_EN_REPORTS, "Xinfan Calligraphy and Painting Academy", "Timeline of 2020"},
        "Xindu District Holds Its 2020 Selection of Outstanding Citizens' Self-Learning Teams",
        id="example-en-team",
    ),
    pytest.param(
        "records",
        "/search/",
        "河畔",
        {"河畔音乐会", "和平合唱队", "南湖合唱队", "2021年大事记"},
        "河畔音乐会",
        id="records-zh-hepan",
    ),
    pytest.param(
        "records",
        "/en/search/",
        "studios",
        {
            "The studios report on their year",
            "Chen Hua Studio",
            "Li Ming Studio",
            "Wang Fang Studio",
            "Timeline of 2021",
        },
        "Li Ming Studio",
        id="records-en-studios",
    ),
]


# The link of each page found; the sections found within it are nested below.
PAGE_LINKS = ".pagefind-ui__result-inner > .pagefind-ui__result-title > a"


def search(page: Any, words: str) -> tuple[str, list[str]]:
    """The final status line and the title of every page found (not the
    sections within them), after loading every further result."""
    page.locator(".pagefind-ui__search-input").fill(words)
    message = page.locator(".pagefind-ui__message")
    # The interface says "Searching for …..." first: wait for its final count.
    page.wait_for_function(
        "w => { const m = document.querySelector('.pagefind-ui__message');"
        " return m && m.textContent.includes(w) && !m.textContent.trim().endsWith('...'); }",
        arg=words,
    )
    counted = re.findall(r"\d+", message.inner_text())
    total = int(counted[0]) if counted else 0
    shown = page.locator(PAGE_LINKS)
    # Five pages show at first, each once its details have loaded; a
    # button loads five more.
    more_than = "([sel, n]) => document.querySelectorAll(sel).length >= n"
    page.wait_for_function(more_than, arg=[PAGE_LINKS, min(total, 5)])
    while shown.count() < total:
        before = shown.count()
        page.locator(".pagefind-ui__button").click()
        page.wait_for_function(more_than, arg=[PAGE_LINKS, min(total, before + 5)])
    return message.inner_text(), shown.all_inner_texts()


@pytest.mark.parametrize(("site", "path", "words", "found", "opened"), SEARCHES)
def test_a_word_finds_the_right_pages_and_opens_one(
    new_page: Any, sites: Sites, site: str, path: str, words: str, found: set[str], opened: str
) -> None:
    site_url = sites.url(site)
    page = new_page(PHONE)
    page.goto(site_url + path)
    message, titles = search(page, words)
    assert sorted(titles) == sorted(found), message
    assert re.findall(r"\d+", message) == [str(len(found))], message
    hrefs = page.locator(PAGE_LINKS).evaluate_all("links => links.map(a => a.href)")
    outside = [href for href in hrefs if not href.startswith(site_url + "/")]
    assert not outside, f"results lead outside the site's path: {outside}"
    page.locator(PAGE_LINKS).get_by_text(opened, exact=True).click()
    page.wait_for_url(f"{site_url}{path.removesuffix('search/')}**")
    assert page.locator("h1").inner_text() == opened
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
    page.wait_for_url(site_url + "/teams/")


def test_each_result_says_what_it_is_and_when(new_page: Any, site_url: str) -> None:
    page = new_page(PHONE)
    page.goto(site_url + "/search/")
    search(page, "书画")
    said = dict(
        page.eval_on_selector_all(
            ".pagefind-ui__result",
            """results => results.map(r => [
              r.querySelector('.pagefind-ui__result-title > a').textContent.trim(),
              (r.querySelector('.result-meta') || {}).textContent])""",
        )
    )
    assert said["新都区开展2020年优秀市民自主学习团队建设评选活动"] == "新闻动态 · 2020年4月22日"
    assert said["新繁书画院"] == "学习团队"
    # said once: not again as an English "Kind: …" tag under the excerpt
    assert page.locator(".pagefind-ui__result-tag").count() == 0
    # the words to type and the clear button read at full size and contrast
    styles = page.evaluate(
        """() => {
          const input = document.querySelector('.pagefind-ui__search-input');
          const clear = document.querySelector('.pagefind-ui__search-clear');
          const hint = getComputedStyle(input, '::placeholder');
          return { hint: hint.color, opacity: hint.opacity,
                   clear: parseFloat(getComputedStyle(clear).fontSize) };
        }"""
    )
    assert styles["opacity"] == "1" and styles["hint"] == "rgb(74, 79, 87)"
    assert styles["clear"] >= 18


@pytest.mark.parametrize(
    ("path", "words", "title"),
    [
        ("/search/", "书画", "新都区开展2020年优秀市民自主学习团队建设评选活动"),
        (
            "/en/search/",
            "incubate",
            "Xindu Community Education College Holds 2020 Master-Teacher Studio Progress Meeting",
        ),
    ],
    ids=["zh", "en"],
)
def test_an_excerpt_is_a_whole_sentence_of_the_report(
    new_page: Any, site_url: str, path: str, words: str, title: str
) -> None:
    page = new_page(PHONE)
    page.goto(site_url + path)
    search(page, words)
    result = page.locator(".pagefind-ui__result").filter(
        has=page.locator(PAGE_LINKS, has_text=title)
    )
    excerpt = result.locator(".pagefind-ui__result-inner > .pagefind-ui__result-excerpt").first
    said = excerpt.evaluate(
        """e => {
          const c = e.cloneNode(true);
          c.querySelectorAll('.result-meta').forEach(m => m.remove());
          const marked = [...c.querySelectorAll('mark')].map(m => m.textContent);
          return { text: c.textContent.trim(), marked };
        }"""
    )
    assert said["marked"] and all(words.lower() in m.lower() for m in said["marked"]), said
    page.locator(PAGE_LINKS, has_text=title).click()
    page.wait_for_url("**/news/**")
    text = page.locator(".prose").inner_text()
    assert said["text"] in text, said["text"]
    before = text[: text.index(said["text"])].rstrip()
    assert not before or before[-1] in "。！？.!?", (
        f"begins mid-sentence: …{before[-20:]}|{said['text']}"
    )
    assert said["text"][-1] in "。！？.!?", f"ends mid-sentence: {said['text']}"

"""长辈模式 (easy reading): a reader opens the panel by keyboard alone,
switches each aid on and finds it kept on the next page, puts everything
back in one step; every colour scheme passes axe-core; reading aloud uses
the browser's own voice in the page's language, in reading order; and no
aid asks another host for anything."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sitepages import DESKTOP, PHONE
from test_axe import AXE_TAGS, describe

if TYPE_CHECKING:
    from conftest import Sites

pytestmark = pytest.mark.browser

ARTICLE = "/news/2020/04/studio-meeting/"

# speechSynthesis as a recorder: each utterance's text and language, ended
# at once so that the next is spoken (or, with window.__hold, never ended);
# cancel counted, pause and resume kept.
SPEECH = """
(() => {
  const log = { spoken: [], cancelled: 0 };
  window.__speech = log;
  window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = ""; };
  const voices = window.__voices || [{ lang: "zh-CN", name: "zh" }, { lang: "en-GB", name: "en" }];
  Object.defineProperty(window, "speechSynthesis", { value: {
    speaking: false, paused: false,
    getVoices: () => voices,
    speak(u) {
      log.spoken.push({ text: u.text, lang: u.lang });
      this.speaking = true;
      if (window.__hold) return;  // a long paragraph: still being read
      setTimeout(() => { this.speaking = false; u.onend && u.onend(); }, 0);
    },
    cancel() { log.cancelled += 1; this.speaking = false; },
    pause() { this.paused = true; }, resume() { this.paused = false; },
  }});
})();
"""


def tab_to(page: Any, selector: str, most: int = 40) -> None:
    """Press Tab until the element ``selector`` has the focus."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reached by Tab")


def care(page: Any) -> dict[str, str]:
    return page.evaluate(
        """() => Object.fromEntries([...document.documentElement.attributes]
          .filter(a => a.name.startsWith('data-care-') || a.name === 'data-text-size')
          .map(a => [a.name, a.value]))"""
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
@pytest.mark.parametrize("lang", ["", "/en"], ids=["zh", "en"])
def test_every_aid_is_reached_by_keyboard_kept_on_the_next_page_and_reset(
    new_page: Any, sites: Sites, lang: str, viewport: dict[str, int]
) -> None:
    site = sites.url("example") + lang
    page = new_page(viewport)
    page.goto(site + ARTICLE)
    assert page.locator("#care-panel").is_hidden()
    tab_to(page, '[data-size="largest"]')  # the text size, beside the panel's button
    page.keyboard.press("Enter")
    tab_to(page, ".care-toggle")
    page.keyboard.press("Enter")
    assert page.locator("#care-panel").is_visible()
    assert page.get_attribute(".care-toggle", "aria-expanded") == "true"

    chosen = [
        ('[data-care="contrast"][data-value="dark"]', "data-care-contrast", "dark"),
        ('[data-care="spacing"][data-value="wide"]', "data-care-spacing", "wide"),
        ('[data-care="reading"]', "data-care-reading", "on"),
    ]
    if viewport is DESKTOP:  # a pointer and a reading line are for a mouse
        chosen += [
            ('[data-care="pointer"]', "data-care-pointer", "large"),
            ('[data-care="guide"]', "data-care-guide", "on"),
        ]
    for selector, attribute, value in chosen:
        tab_to(page, selector)
        page.keyboard.press("Enter")
        assert care(page).get(attribute) == value, selector
        assert page.get_attribute(selector, "aria-pressed") == "true"
    if viewport is DESKTOP:
        page.mouse.move(200, 300)
        assert page.locator(".care-line").is_visible()
    wanted = {"data-text-size": "largest"} | {attribute: value for _, attribute, value in chosen}
    assert care(page) == wanted
    # reading mode: the article alone
    assert page.locator(".site-nav").is_hidden() and page.locator(".related").is_hidden()

    page.goto(site + "/news/")
    assert care(page) == wanted, "kept on the next page, before it is drawn"
    assert page.get_attribute('[data-care="contrast"][data-value="dark"]', "aria-pressed") == "true"
    tab_to(page, "[data-care-reset]")
    page.keyboard.press("Enter")
    assert care(page) == {}
    page.goto(site + ARTICLE)
    assert care(page) == {}, "the reset is kept too"
    outside = [url for url in page.traffic.requests if not url.startswith(sites.url("example"))]
    assert not outside and not page.traffic.errors, (outside, page.traffic.errors)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "path", ["/", ARTICLE, "/en/news/", "/teams/", "/en/timeline/"], ids=lambda p: p.strip("/")
)
def test_each_colour_scheme_passes_axe(
    new_page: Any, sites: Sites, axe_js: Path, scheme: str, path: str, viewport: dict[str, int]
) -> None:
    page = new_page(viewport, bypass_csp=True)
    page.goto(sites.url("example") + "/")
    page.evaluate(
        "s => { localStorage.setItem('sitegen-care', JSON.stringify({contrast: s}));"
        " sessionStorage.setItem('sitegen-care-open', '1'); }",
        scheme,
    )
    page.goto(sites.url("example") + path)
    assert care(page)["data-care-contrast"] == scheme
    page.add_script_tag(path=str(axe_js))
    results = page.evaluate(
        "o => axe.run(document, o)",
        {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    assert not results["violations"], describe(results["violations"])


@pytest.mark.parametrize(("lang", "voice"), [("", "zh-CN"), ("/en", "en-GB")])
def test_reading_aloud_reads_the_article_in_order_in_its_language(
    new_page: Any, sites: Sites, lang: str, voice: str
) -> None:
    page = new_page(DESKTOP)
    page.add_init_script(SPEECH)
    page.goto(sites.url("example") + lang + ARTICLE)
    page.click(".care-toggle")
    page.click('[data-speak="all"]')
    page.wait_for_function("() => window.__speech.spoken.length > 5")
    page.wait_for_timeout(300)
    spoken = page.evaluate("() => window.__speech.spoken")
    texts = [s["text"] for s in spoken]
    assert {s["lang"] for s in spoken} == {voice}
    title = page.inner_text("main h1")
    paragraphs = page.eval_on_selector_all(".prose p", "ps => ps.map(p => p.innerText.trim())")
    caption = page.inner_text("main figcaption").strip()
    assert texts[0] == title
    assert texts[1].startswith(("2020年4月28日", "28 April 2020"))
    body = [t for t in texts if t in paragraphs]
    assert body == paragraphs, "every paragraph, in order"
    assert texts.index(caption) > texts.index(paragraphs[-1])

    # 指读: with it on, the paragraph clicked is read, and only it
    page.click('[data-care="point"]')
    page.evaluate("() => { window.__speech.spoken = []; }")
    page.click(".prose p >> nth=1")
    page.wait_for_function("() => window.__speech.spoken.length > 0")
    assert [s["text"] for s in page.evaluate("() => window.__speech.spoken")] == [paragraphs[1]]
    before = page.evaluate("() => window.__speech.cancelled")
    page.click('[data-speak="stop"]')
    assert page.evaluate("() => window.__speech.cancelled") > before
    assert not page.traffic.errors


def test_a_browser_without_a_chinese_voice_says_so(new_page: Any, sites: Sites) -> None:
    page = new_page(DESKTOP)
    page.add_init_script("window.__voices = [{ lang: 'en-US', name: 'en' }];" + SPEECH)
    page.goto(sites.url("example") + ARTICLE)
    page.click(".care-toggle")
    page.click('[data-speak="all"]')
    assert page.inner_text(".care-status") == "本浏览器没有中文语音，不能朗读。"
    assert page.evaluate("() => window.__speech.spoken") == []


def test_without_javascript_the_panel_says_it_needs_it(new_page: Any, sites: Sites) -> None:
    page = new_page(PHONE, java_script_enabled=False)
    page.goto(sites.url("example") + "/")
    assert page.locator(".care-noscript").is_visible()
    assert page.locator("#care-panel").is_hidden() and page.locator(".text-size").is_hidden()


def test_reading_pauses_resumes_stops_and_follows_the_keyboard(new_page: Any, sites: Sites) -> None:
    page = new_page(DESKTOP)
    page.add_init_script("window.__hold = true;" + SPEECH)
    page.goto(sites.url("example") + ARTICLE)
    page.click(".care-toggle")
    page.click('[data-speak="all"]')
    page.wait_for_function("() => window.__speech.spoken.length === 1")
    assert page.locator(".care-speaking").inner_text() == page.inner_text("main h1")
    pause = page.locator('[data-speak="pause"]')
    pause.click()
    assert page.evaluate("() => speechSynthesis.paused") and pause.inner_text() == "继续"
    pause.click()
    assert not page.evaluate("() => speechSynthesis.paused") and pause.inner_text() == "暂停"
    pause.click()
    page.click('[data-speak="stop"]')
    assert page.locator(".care-speaking").count() == 0 and pause.inner_text() == "暂停"

    # 指读 by keyboard: each link reached with Tab is read as it is reached
    page.click('[data-care="point"]')
    page.evaluate("() => { window.__speech.spoken = []; }")
    tab_to(page, "main .prose a, main .article-records a", most=80)
    reached = page.evaluate("() => document.activeElement.innerText.trim()")
    assert page.evaluate("() => window.__speech.spoken.at(-1).text") == reached
    assert not page.traffic.errors


def test_a_browser_that_cannot_speak_says_so(new_page: Any, sites: Sites) -> None:
    page = new_page(PHONE)
    page.add_init_script(
        "Object.defineProperty(window, 'speechSynthesis', { value: undefined });"
        "window.SpeechSynthesisUtterance = undefined;"
    )
    page.goto(sites.url("example") + "/en" + ARTICLE)
    page.click(".care-toggle")
    page.click('[data-speak="all"]')
    assert page.inner_text(".care-status") == "This browser cannot read aloud."
    assert not page.traffic.errors

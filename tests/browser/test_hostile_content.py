"""Hostile Markdown, opened in Chromium, runs nothing: not on a site that
shows raw HTML as text, not on one that allows raw HTML (the sanitiser
removes what could run), and the Content-Security-Policy of every page
blocks nothing the site itself needs."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sitepages import DESKTOP

pytestmark = pytest.mark.browser

HOSTILE = """\
<script>window.__pwned = "script"; alert("script")</script>

<img src="missing.png" onerror="window.__pwned = 'onerror'; alert('onerror')">

<svg onload="window.__pwned = 'svg'"><circle r="4"/></svg>

<iframe src="javascript:parent.__pwned = 'iframe'"></iframe>

<iframe srcdoc="<script>parent.__pwned = 'srcdoc'</script>"></iframe>

A <b onmouseover="window.__pwned = 'hover'">bold</b> word and
<a id="raw-link" href="javascript:window.__pwned = 'raw link'">a raw link</a>.

<details open ontoggle="window.__pwned = 'toggle'"><summary>more</summary>text</details>

<form action="javascript:window.__pwned = 'form'"><button id="send">send</button></form>

[markdown link](javascript:window.__pwned='markdown') [entity](&#106;avascript:alert(1))
[data](data:text/html,<script>alert(1)</script>) <javascript:alert(1)>

<style>body { display: none }</style>
<meta http-equiv="refresh" content="0; url=javascript:window.__pwned = 'refresh'">
"""
# Records, before anything on the page runs, what would betray a script:
# a violation of the Content-Security-Policy.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", e => {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def write_site(root: Path, allow_html: bool) -> Path:
    settings = "title: {zh: 测试学院, en: Test College}\nbase_url: http://127.0.0.1/\n"
    if allow_html:
        settings += "allow_html: true\n"
    (root / "content" / "news").mkdir(parents=True)
    (root / "site.yaml").write_text(settings, encoding="utf-8")
    article = "---\ntitle: 参观学习\ndate: 2020-04-27\n---\n\n正文。\n\n" + HOSTILE
    (root / "content/news/2020-04-27-visit.zh.md").write_text(article, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def hostile_urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[bool, str]]:
    """The article's address on a site that escapes raw HTML (False) and on
    one that allows it (True)."""
    from conftest import serve

    from sitegen.build import BuildOptions, build

    urls: dict[bool, str] = {}
    with contextlib.ExitStack() as stack:
        for allow in (False, True):
            root = tmp_path_factory.mktemp(f"hostile-{allow}")
            result = build(
                write_site(root / "site", allow),
                BuildOptions(out_dir=root / "out", search=False, cache=False),
            )
            assert result.ok, [d.format() for d in result.diagnostics]
            host = stack.enter_context(serve(root / "out"))
            urls[allow] = host + "/news/2020/04/visit/"
        yield urls


def open_watched(browser: Any, url: str) -> tuple[Any, list[str], list[str]]:
    context = browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(10_000)
    page = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []

    def dismiss(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" and "Security" in m.text else None,
    )
    page.add_init_script(WATCH)
    response = page.goto(url, wait_until="load")
    assert response.status == 200
    return page, dialogs, errors


@pytest.mark.parametrize("allow_html", [False, True], ids=["escaped", "allow_html"])
def test_hostile_markdown_runs_nothing_in_the_browser(
    browser: Any, hostile_urls: dict[bool, str], allow_html: bool
) -> None:
    page, dialogs, errors = open_watched(browser, hostile_urls[allow_html])
    main = page.locator("main")
    assert "正文。" in main.inner_text()
    for link in main.locator("a").all():
        href = link.get_attribute("href") or ""
        assert not re.match(r"\s*(javascript|data|vbscript):", href, re.I), href
    if allow_html:
        main.locator("b").first.hover()
        assert page.locator("#raw-link").count() == 1  # kept, without its address
        page.locator("#raw-link").click()
        assert page.locator("main iframe, main script, main svg, main form").count() == 0
    else:
        assert "<script>" in main.inner_text()  # shown to the reader as text
        assert page.locator("main a").count() == 0
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None, "a script from the article ran"
    assert dialogs == [], f"the article opened dialogs: {dialogs}"
    assert page.evaluate("window.__csp") == [], "the page tried something the policy forbids"
    assert errors == []
    assert page.locator("body").is_visible(), "a style from the article hid the page"
    page.context.close()


def test_the_policy_blocks_nothing_the_site_needs(browser: Any, sites: Any) -> None:
    """The example site under its policy: the text-size control, a figure,
    the timeline filters and Pagefind's search (WebAssembly) all work, and no
    request or script is refused."""
    site_url = sites.url("example")
    for path in ("/", "/news/2020/04/studio-meeting/", "/timeline/", "/teams/", "/en/"):
        page, dialogs, errors = open_watched(browser, site_url + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__csp") == [], f"{path}: {page.evaluate('window.__csp')}"
        assert errors == [] and dialogs == [], path
        assert page.locator(".text-size").is_visible(), f"{path}: the text-size script did not run"
        page.context.close()
    page, dialogs, errors = open_watched(browser, site_url + "/search/")
    page.locator(".pagefind-ui__search-input").fill("名师")
    page.locator(".pagefind-ui__result").first.wait_for()
    assert page.evaluate("window.__csp") == [], page.evaluate("window.__csp")
    assert errors == [] and dialogs == []
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    page.context.close()

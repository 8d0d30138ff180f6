"""An editor copies a report for the college's WeChat account (公众号) in
the preview: the 复制到公众号 control on the article's page puts the same
copy on the clipboard that ``sitegen export wechat`` writes, says so, and
says what WeChat would not take; the copy's own preview shows it at a
phone's width with its pictures."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sitepages import PHONE, REPO_ROOT, example_copy

from sitegen.cli import main
from sitegen.serve import Server

pytestmark = pytest.mark.browser

SHOTS = REPO_ROOT / "test-results" / "screenshots"
PLAN = "content/news/2020-04-29-classroom-plan"
PLAN_TEXT = """\
---
title: 学院新教室启用
date: 2020-04-29
source: 新都社区教育学院
summary: 学院二楼的新教室启用。
---
学院二楼的新教室本周启用，可容纳四十名学员。

![新教室平面图](plan.svg)
"""

# What the page reads back from the clipboard: a function, which the pages'
# policy allows (it forbids evaluating a string).
READ_CLIPBOARD = """async () => {
  const found = {};
  for (const item of await navigator.clipboard.read()) {
    for (const type of item.types) found[type] = await (await item.getType(type)).text();
  }
  return found;
}"""


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    site = example_copy(tmp_path / "site")
    (site / PLAN).mkdir()
    (site / PLAN / "index.zh.md").write_text(PLAN_TEXT, encoding="utf-8")
    (site / PLAN / "plan.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">'
        '<rect width="400" height="300" fill="#ddd"/></svg>',
        encoding="utf-8",
    )
    running = Server(site, port=0, lang="zh")
    running.start()
    yield running
    running.stop()


def exported(site: Path, article: str, target: Path) -> str:
    """The copy ``sitegen export wechat`` writes of ``article``: the HTML in its page's body."""
    assert main(["export", "wechat", os.fspath(site / article), "--out", os.fspath(target)]) == 0
    written = target.read_text(encoding="utf-8")
    start = written.index("<section")
    return written[start : written.rindex("</section>") + len("</section>\n")]


def test_the_control_copies_the_wechat_copy(browser: Any, server: Server, tmp_path: Path) -> None:
    context = browser.new_context(viewport=PHONE, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(server.url + "news/2020/04/studio-meeting/")
    control = page.get_by_role("button", name="复制到公众号")
    control.focus()
    page.keyboard.press("Enter")  # by keyboard, as by a tap
    status = page.get_by_role("status")
    status.get_by_text("已复制").wait_for()
    assert "打开公众号编辑器，在正文处粘贴" in status.inner_text()
    copied = page.evaluate(READ_CLIPBOARD)
    html = exported(server.site_dir, "content/news/2020-04-28-studio-meeting", tmp_path / "a.html")
    assert copied["text/html"] == html
    title = "新都社区教育学院召开2020年名师工作室推进会"
    assert copied["text/plain"].startswith(f"{title}\n2020年4月28日")
    assert "https://example.org/media/" in copied["text/html"]  # the published pictures
    if os.environ.get("SCREENSHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "zh-wechat-control-390.png"))

    # the copy as WeChat shows it, with this preview's pictures
    page.get_by_role("link", name="预览公众号排版").click()
    page.locator("h1").wait_for()
    assert page.locator("h1").inner_text() == "新都社区教育学院召开2020年名师工作室推进会"
    picture = page.locator("img")
    picture.scroll_into_view_if_needed()
    page.wait_for_load_state("load")
    assert picture.evaluate("img => img.complete && img.naturalWidth") == 1200
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    if os.environ.get("SCREENSHOTS") == "1":
        page.screenshot(path=str(SHOTS / "zh-wechat-copy-390.png"), full_page=True)
    context.close()


def test_the_control_says_what_wechat_would_not_take(browser: Any, server: Server) -> None:
    context = browser.new_context(viewport=PHONE, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(server.url + "news/2020/04/classroom-plan/")
    page.get_by_role("button", name="复制到公众号").click()
    status = page.get_by_role("status")
    status.get_by_text("已复制").wait_for()
    said = status.inner_text()
    assert "请注意：" in said
    svg = "警告: 图片“plan.svg”是 SVG 矢量图，公众号编辑器不接受这种图片"
    assert f"{PLAN}/index.zh.md:9:1: {svg}" in said
    context.close()


def test_only_article_pages_have_the_control(browser: Any, server: Server) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(20_000)
    for address in ("", "news/", "teams/", "timeline/"):
        page.goto(server.url + address)
        page.locator("h1").first.wait_for()
        assert page.get_by_role("button", name="复制到公众号").count() == 0, address
    page.goto(server.url + "en/news/2020/04/pujiang-visit/")
    page.get_by_role("button", name="复制到公众号").wait_for()  # the English report's copy
    # its words are Chinese on the English page too, and say so to a screen reader
    assert page.locator(".sitegen-wechat").get_attribute("lang") == "zh-CN"
    context.close()

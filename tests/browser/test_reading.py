"""A resident reads the news: opens the home page, follows a report, switches
language, and lands on a missing page."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
import yaml
from sitepages import CHECKED_SITES, DESKTOP, LANGS, PHONE, REPO_ROOT, SLUGS

if TYPE_CHECKING:
    from conftest import Sites

pytestmark = pytest.mark.browser

CJK = re.compile(r"[\u3400-\u9fff]")


def front_matter_title(slug: str, lang: str) -> str:
    """The title an article's source gives, for either layout of content/news."""
    news = REPO_ROOT / "content" / "news"
    [source] = [
        *news.glob(f"*-{slug}.{lang}.md"),
        *news.glob(f"*-{slug}/index.{lang}.md"),
    ]
    header = source.read_text(encoding="utf-8").split("---")[1]
    return str(yaml.safe_load(header)["title"])


def html_lang(page: Any) -> str:
    return str(page.locator("html").get_attribute("lang"))


def h1(page: Any) -> str:
    heading = page.locator("h1")
    assert heading.count() == 1, f"{page.url} has {heading.count()} h1 elements"
    assert heading.is_visible(), f"the h1 of {page.url} is not visible"
    return str(heading.inner_text()).strip()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_home_page_in_chinese_leads_to_the_four_reports(
    new_page: Any, site_url: str, viewport: dict[str, int]
) -> None:
    page = new_page(viewport)
    response = page.goto(site_url + "/")
    assert response.status == 200
    assert html_lang(page).startswith("zh"), f"<html lang={html_lang(page)!r}> on the home page"
    site_title = page.locator(".site-title")
    assert site_title.is_visible()
    assert site_title.inner_text().strip() == "新都社区教育学院"
    assert h1(page) == "新都社区教育学院"

    for slug in SLUGS:
        link = page.locator(f'main a[href$="/news/2020/04/{slug}/"]')
        assert link.count() >= 1, f"the home page does not link to the report {slug}"
        assert link.first.is_visible(), f"the link to {slug} is hidden"
        assert link.first.inner_text().strip() == front_matter_title(slug, "zh")

    page.locator('main a[href$="/news/2020/04/pujiang-visit/"]').first.click()
    page.wait_for_url(site_url + "/news/2020/04/pujiang-visit/")
    assert h1(page) == front_matter_title("pujiang-visit", "zh")
    assert html_lang(page).startswith("zh")


@pytest.mark.parametrize("slug", SLUGS)
def test_language_switch_on_an_article_goes_to_its_twin_and_back(
    new_page: Any, site_url: str, slug: str
) -> None:
    page = new_page(PHONE)
    zh_url = f"{site_url}/news/2020/04/{slug}/"
    en_url = f"{site_url}/en/news/2020/04/{slug}/"
    page.goto(zh_url)
    zh_title = h1(page)
    assert zh_title == front_matter_title(slug, "zh")

    switch = page.locator("nav.lang-switch a")
    assert switch.count() == 1 and switch.is_visible()
    assert switch.inner_text().strip() == "English"
    switch.click()
    page.wait_for_url(en_url)
    assert html_lang(page) == "en"
    en_title = h1(page)
    assert en_title == front_matter_title(slug, "en")
    assert not CJK.search(en_title), f"the English page's h1 is not English: {en_title!r}"

    switch = page.locator("nav.lang-switch a")
    assert switch.inner_text().strip() == "中文"
    switch.click()
    page.wait_for_url(zh_url)
    assert html_lang(page).startswith("zh")
    assert h1(page) == zh_title


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("site", CHECKED_SITES)
def test_missing_page_says_so_and_leads_home(
    new_page: Any, sites: Sites, site: str, lang: str
) -> None:
    """The static host answers a missing address with the nearest 404.html:
    /xindu/en/404.html for /xindu/en/…, whose home link stays in /xindu/."""
    site_url = sites.url(site)
    home = urlsplit(site_url).path + LANGS[lang]
    page = new_page(PHONE)
    response = page.goto(f"{site_url}{LANGS[lang]}news/2020/04/no-such-report/")
    assert response.status == 404
    assert html_lang(page).startswith(lang)
    assert h1(page) == {"zh": "找不到这个页面", "en": "Page not found"}[lang]
    page.locator(f'main a[href="{home}"]').click()
    page.wait_for_url(site_url + LANGS[lang])
    assert html_lang(page).startswith(lang)

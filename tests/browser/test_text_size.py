"""The text-size control: four sizes, kept on the next page, hidden without
JavaScript (the browser's own zoom works there)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from sitepages import PHONE

if TYPE_CHECKING:
    from conftest import Sites

pytestmark = pytest.mark.browser


def body_px(page: Any) -> float:
    return float(page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)"))


@pytest.mark.parametrize(
    ("site", "report", "address"),
    [
        pytest.param(
            "example",
            "蒲江社教同仁到新都学习市民自主学习团队培育活动",
            "/news/2020/04/pujiang-visit/",
            id="example",
        ),
        pytest.param("records", "河畔音乐会", "/news/2021/05/river-concert/", id="records"),
    ],
)
def test_larger_text_stays_on_the_next_page_and_fits_the_phone(
    new_page: Any, sites: Sites, site: str, report: str, address: str
) -> None:
    site_url = sites.url(site)
    page = new_page(PHONE)
    page.goto(site_url + "/")
    normal = body_px(page)
    assert normal >= 18
    page.get_by_role("button", name="特大").click()
    assert page.get_by_role("button", name="特大").get_attribute("aria-pressed") == "true"
    assert body_px(page) >= normal * 1.3

    page.get_by_role("link", name=report).first.click()
    page.wait_for_url(site_url + address)
    assert body_px(page) >= normal * 1.3
    assert page.get_by_role("button", name="特大").get_attribute("aria-pressed") == "true"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the larger text makes the page scroll sideways"
    page.get_by_role("button", name="超大").click()
    assert body_px(page) >= normal * 1.5
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the largest text makes the page scroll sideways"

    page.get_by_role("button", name="标准").click()
    page.reload()
    assert body_px(page) == normal


def test_without_javascript_the_control_is_not_shown(new_page: Any, site_url: str) -> None:
    page = new_page(PHONE, java_script_enabled=False)
    page.goto(site_url + "/")
    assert page.locator(".text-size").is_hidden()

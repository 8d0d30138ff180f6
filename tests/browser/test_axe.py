"""axe-core finds no WCAG 2.2 AA or best-practice violation on any page
type of the example site and of the larger fictional one, in either
language, on a phone and on a desktop."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sitepages import DESKTOP, PAGES, PHONE

if TYPE_CHECKING:
    from conftest import Sites

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}  {v['helpUrl']}")
        for node in v["nodes"]:
            target = " ".join(" >> ".join(t) if isinstance(t, list) else t for t in node["target"])
            lines.append(f"    {target}")
    return "\n".join(lines)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
@pytest.mark.parametrize(("site", "lang", "kind", "path"), PAGES)
def test_no_accessibility_violations(
    new_tab: Any,
    sites: Sites,
    axe_js: Path,
    site: str,
    lang: str,
    kind: str,
    path: str,
    viewport: dict[str, int],
) -> None:
    page = new_tab(viewport, bypass_csp=True)
    page.goto(sites.url(site) + path)
    page.add_script_tag(path=str(axe_js))
    results = page.evaluate(
        "o => axe.run(document, o)",
        {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    violations = results["violations"]
    report = describe(violations)
    if violations:
        print(f"axe on {site} {path} at {viewport['width']}px:\n{report}")
    assert not violations, f"axe on {site} {path} at {viewport['width']}px:\n{report}"

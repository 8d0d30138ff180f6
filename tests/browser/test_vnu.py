"""The Nu Html Checker (the W3C validator, offline) finds no error in any
built page of the example site (built for /xindu/) or of the larger
fictional site."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sitepages import CHECKED_SITES, vnu_messages

if TYPE_CHECKING:
    from conftest import Sites


@pytest.mark.parametrize("site", CHECKED_SITES)
def test_every_built_page_is_valid_html(sites: Sites, site: str, vnu: list[str]) -> None:
    built_site = sites.built(site).out
    pages = list(built_site.rglob("*.html"))
    assert len(pages) > 50, f"only {len(pages)} pages were built"
    messages, code = vnu_messages(vnu, built_site)

    def where(m: dict[str, object]) -> str:
        url = str(m.get("url", "?")).removeprefix("file:")
        name = Path(url).relative_to(built_site) if url.startswith(str(built_site)) else url
        return f"{name}:{m.get('lastLine', '?')}"

    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    warnings = [m for m in messages if m.get("type") == "info" and m.get("subType") == "warning"]
    for m in warnings:
        print(f"vnu warning {where(m)}: {m.get('message')}")
    assert not errors, "vnu found errors:\n" + "\n".join(
        f"{where(m)}: {m.get('message')}\n    {m.get('extract', '').strip()}" for m in errors
    )
    assert code == 0, f"vnu exited {code}"

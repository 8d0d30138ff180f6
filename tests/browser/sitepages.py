"""What the browser tests share besides fixtures: where things are, which
pages to visit, and how to give up when a tool is missing."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = REPO_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

SLUGS = ["pujiang-visit", "studio-meeting", "excellent-teams-2020", "april-meeting"]
LANGS = {"zh": "/", "en": "/en/"}  # language -> its home
# One page of each type, as a path below a language's home. The article is
# the one with a figure, tags and both previous and next links.
PAGE_TYPES = {
    "home": "",
    "news": "news/",
    "year": "news/2020/",
    "article": "news/2020/04/studio-meeting/",
    "tags": "tags/",
    "tag": "tags/learning-city/",
    "404": "no-such-page/",  # served with the 404 page and status 404
    "teams": "teams/",
    "team-category": "teams/category/calligraphy-painting/",
    "team": "teams/xinfan-calligraphy-painting/",
    "honours": "teams/honours/2020/",
    "studios": "studios/",
    "studio": "studios/gao-qiu/",
    "timeline": "timeline/",
    "timeline-kind": "timeline/kind/selection/",
    "search": "search/",
}
# (lang, page type, path) for every page type in both languages.
PAGES = [
    pytest.param(lang, kind, home + path, id=f"{lang}-{kind}")
    for lang, home in LANGS.items()
    for kind, path in PAGE_TYPES.items()
]


def unavailable(reason: str) -> NoReturn:
    """Skip the test for a missing tool; under CI=true fail it instead, so
    that CI never passes by skipping what it was meant to check."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: run scripts/test to install it)", pytrace=False)
    pytest.skip(f"{reason} (run scripts/test to install it)")

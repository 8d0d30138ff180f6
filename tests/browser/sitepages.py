"""What the browser tests share besides fixtures: where things are, which
pages to visit, and how to give up when a tool is missing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

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
LANGS = {"zh": "/", "en": "/en/"}  # language -> its home, below the site's base path


@dataclass(frozen=True)
class SiteUnderTest:
    """A site the browser tests build and serve at the path of its base URL."""

    source: Path  # the folder holding site.yaml
    base_url: str | None  # given to the build, as --base-url; None: site.yaml's
    # One page of each type, as a path below a language's home: in both
    # languages, or {lang: path} for a type only one language has.
    page_types: dict[str, str | dict[str, str]] = field(default_factory=dict)


SITES = {
    # The example site, published under a sub-path as the README's CI recipe
    # does. Its article is the one with a figure, tags and both previous and
    # next links.
    "example": SiteUnderTest(
        REPO_ROOT,
        "https://example.org/xindu/",
        {
            "home": "",
            "news": "news/",
            "year": "news/2020/",
            "article": "news/2020/04/studio-meeting/",
            "tags": "tags/",
            "tag": "tags/learning-city/",
            "series": "series/team-building-2020/",
            "404": "no-such-page/",  # served with the 404 page and status 404
            "teams": "teams/",
            "team-category": "teams/category/calligraphy-painting/",
            "team": "teams/xinfan-calligraphy-painting/",
            "honours": "teams/honours/2020/",
            "studios": "studios/",
            "studio": "studios/gao-qiu/",
            "timeline": "timeline/",
            "timeline-year": "timeline/2020/",
            "timeline-kind": "timeline/kind/selection/",
            "search": "search/",
            "stats": "stats/",  # two charts: studio reports and events by month
        },
    ),
    # The larger fictional site: 29 teams over five towns, three studios,
    # honours over three years, two reports that exist only in Chinese, and
    # no topics. Published at the root of its host.
    "records": SiteUnderTest(
        REPO_ROOT / "tests/sites/records/input",
        None,
        {
            "home": "",
            "news": "news/",
            "year": "news/2021/",
            "article": "news/2020/04/excellent-teams/",  # names four teams
            "untranslated": {"en": "news/2021/05/river-concert/"},  # Chinese only
            "tags": "tags/",  # no topics at all
            "404": "no-such-page/",
            "teams": "teams/",
            "team-town": "teams/town/heping/",
            "team-category": "teams/category/music/",
            "team": "teams/heping-music/",  # honours, activities, a Chinese-only report
            "team-assessed": "teams/heping-calligraphy/",  # with a year's assessment
            "honours": "teams/honours/2020/",
            "studios": "studios/",
            "studio": "studios/li-ming/",
            "timeline": "timeline/",
            "timeline-year": "timeline/2021/",
            "timeline-kind": "timeline/kind/honour/",
            "timeline-town": "timeline/town/heping/",
            "search": "search/",
            "honours-index": "teams/honours/",
            "stats": "stats/",
        },
    ),
    # A newsroom's notices: a pinned one with attachments and four bylines,
    # a series of three, reports that share a team and topics, an event
    # announced ahead of its day, an expired notice.
    "newsroom": SiteUnderTest(
        REPO_ROOT / "tests/sites/newsroom/input",
        None,
        {
            "home": "",
            "news": "news/",
            "notice": "news/2020/04/spring-enrolment/",  # attachments and bylines
            "in-series": "news/2020/04/awards/",  # series box, related reports, updated
            "announcing": "news/2020/05/showcase-notice/",  # an event it announces
            "expired": {"zh": "news/2020/04/registration/"},
            "series": "series/teams-2020/",
            "all-series": "series/",
            "tags": "tags/",
        },
    ),
    # The demonstration site (examples/district/): eighty teams in ten towns
    # (a directory large enough to list towns and offer the name finder),
    # honours over five years, six studios, every chart; under /district/.
    "district": SiteUnderTest(
        REPO_ROOT / "examples/district/site",
        None,
        {
            "home": "",
            "teams": "teams/",
            "honours-index": "teams/honours/",
            "studios": "studios/",
            "timeline": "timeline/",
            "stats": "stats/",
            "team-town": "teams/town/mulan/",
            "untranslated": {"en": "news/2019/03/volunteering-2/"},  # Chinese only
        },
    ),
    # Untranslated articles both ways, under the sub-path /riverside/ of its
    # base URL; its own tests visit it (test_translations.py).
    "basic": SiteUnderTest(REPO_ROOT / "tests/sites/basic/input", None),
    # Articles written as real editors write them: a sentence per line,
    # bold around 「」, bare addresses, ### headings, everyday HTML; its own
    # tests visit it (test_real_articles.py).
    "real": SiteUnderTest(REPO_ROOT / "tests/real-articles", None),
}


def _pages() -> list[Any]:
    """(site, lang, page type, path below the site) for every page type of
    every site, in each language that has it; ids such as records-zh-team."""
    pages = []
    for name, site in SITES.items():
        for kind, where in site.page_types.items():
            paths = where if isinstance(where, dict) else dict.fromkeys(LANGS, where)
            for lang, path in paths.items():
                param = (name, lang, kind, LANGS[lang] + path)
                pages.append(pytest.param(*param, id=f"{name}-{lang}-{kind}"))
    return pages


PAGES = _pages()
# The sites the checks of every page type run on.
CHECKED_SITES = [name for name, site in SITES.items() if site.page_types]


def example_copy(folder: Path) -> Path:
    """A copy of the example site (its site.yaml and content) in ``folder``,
    for a test that edits it or serves it with ``sitegen serve``."""
    folder.mkdir()
    shutil.copy(REPO_ROOT / "site.yaml", folder / "site.yaml")
    shutil.copytree(REPO_ROOT / "content", folder / "content")
    return folder


def unavailable(reason: str) -> NoReturn:
    """Skip the test for a missing tool; under CI=true fail it instead, so
    that CI never passes by skipping what it was meant to check."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: run scripts/test to install it)", pytrace=False)
    pytest.skip(f"{reason} (run scripts/test to install it)")


def vnu_messages(vnu: list[str], folder: Path) -> tuple[list[dict[str, Any]], int]:
    """The Nu Html Checker's messages on every page under ``folder``, and
    its exit status; a run that gives no report fails the test."""
    run = subprocess.run(
        [*vnu, "--format", "json", "--stdout", "--skip-non-html", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    try:
        messages: list[dict[str, Any]] = json.loads(run.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"vnu gave no JSON report (exit {run.returncode}):\n{run.stdout}{run.stderr}")
    return messages, run.returncode

"""A rebuild that reuses the last build's work gives exactly the bytes of a
build from scratch, after any series of edits, and redoes only what changed."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.build import BuildCache, BuildOptions, BuildResult, build
from tests.helpers import SITES

BASE = SITES / "basic" / "input"
ARTICLES = [
    "content/news/2021-03-05-spring-term.zh.md",
    "content/news/2021-06-01-summer-fair.zh.md",
    "content/news/2022-03-03-tea-art.en.md",
]


def fresh(site: Path) -> BuildResult:
    return build(site, BuildOptions(write=False))


def test_an_unchanged_site_is_neither_parsed_nor_rendered_again(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(BASE, site)
    cache = BuildCache()
    first = build(site, BuildOptions(write=False), cache=cache)
    assert cache.parses > 0 and cache.renders == first.pages
    second = build(site, BuildOptions(write=False), cache=cache)
    assert (cache.parses, cache.renders) == (0, 0)
    assert second.output == first.output


def test_a_title_edit_reparses_one_file_and_rerenders_only_pages_that_show_it(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    shutil.copytree(BASE, site)
    cache = BuildCache()
    before = build(site, BuildOptions(write=False), cache=cache)
    path = site / "content/news/2022-03-03-tea-art.zh.md"
    path.write_text(path.read_text(encoding="utf-8").replace("茶艺体验课", "茶艺课"), "utf-8")
    after = build(site, BuildOptions(write=False), cache=cache)
    assert cache.parses == 1
    assert 0 < cache.renders < before.pages / 2
    assert after.output == fresh(site).output


def test_a_template_edit_rerenders_the_pages_that_use_it(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(BASE, site)
    cache = BuildCache()
    build(site, BuildOptions(write=False), cache=cache)
    templates = site / "themes/default/templates"
    templates.mkdir(parents=True)
    (templates / "tags.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>{{ t("all_tags") }}</h1>{% endblock %}\n'
    )
    after = build(site, BuildOptions(write=False), cache=cache)
    assert cache.renders == 2  # /tags/ and /en/tags/
    assert after.output == fresh(site).output


EDITS = st.sampled_from(
    [
        ("title", 0),
        ("title", 1),
        ("title", 2),
        ("body", 0),
        ("body", 2),
        ("delete", 1),
        ("add", 0),
        ("break", 0),
        ("strings", 0),
        ("template", 0),
        ("config", 0),
        ("tags", 0),
    ]
)


def apply(site: Path, edit: tuple[str, int], step: int) -> None:
    kind, index = edit
    article = site / ARTICLES[index]
    if kind in ("title", "body", "break") and not article.exists():
        return
    if kind == "title":
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace("title: ", f"title: {step}·", 1), encoding="utf-8")
    elif kind == "body":
        with article.open("a", encoding="utf-8") as handle:
            handle.write(f"\n新的一段 {step}。\n")
    elif kind == "break":
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace("date: ", "date: [", 1), encoding="utf-8")
    elif kind == "delete":
        article.unlink(missing_ok=True)
    elif kind == "add":
        day = f"2023-01-{step % 28 + 1:02d}"
        (site / f"content/news/{day}-new-{step}.zh.md").write_text(
            f"---\ntitle: 新文章{step}\ndate: {day}\ntags: [课程]\n---\n正文。\n", encoding="utf-8"
        )
    elif kind == "strings":
        folder = site / "themes/default/i18n"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "en.yaml").write_text(f"latest_news: Latest news {step}\n", encoding="utf-8")
    elif kind == "template":
        folder = site / "themes/default/templates"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "404.html").write_text(
            f'{{% extends "base.html" %}}{{% block main %}}<h1>{step}</h1>{{% endblock %}}\n'
        )
    elif kind == "config":
        config = site / "site.yaml"
        text = config.read_text(encoding="utf-8")
        config.write_text(
            text.replace("news_per_page: 2", f"news_per_page: {step % 3 + 1}")
            .replace("news_per_page: 1", f"news_per_page: {step % 3 + 1}")
            .replace("news_per_page: 3", f"news_per_page: {step % 3 + 1}"),
            encoding="utf-8",
        )
    elif kind == "tags":
        tags = site / "content/tags.yaml"
        tags.write_text(
            tags.read_text(encoding="utf-8").replace("Courses", f"Courses {step}"), encoding="utf-8"
        )


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(EDITS, min_size=1, max_size=5))
def test_incremental_rebuilds_equal_full_builds_after_any_edits(
    edits: list[tuple[str, int]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        shutil.copytree(BASE, site)
        cache = BuildCache()
        build(site, BuildOptions(write=False), cache=cache)
        for step, edit in enumerate(edits):
            apply(site, edit, step)
            incremental = build(site, BuildOptions(write=False), cache=cache)
            full = fresh(site)
            assert incremental.ok == full.ok
            assert [d.format() for d in incremental.diagnostics] == [
                d.format() for d in full.diagnostics
            ]
            assert incremental.output == full.output

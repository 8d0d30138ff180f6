"""A build with nothing changed since the last one into the same folder
leaves the site as it is and says so; any change a build would show, in
the site's files, the options, sitegen itself or the output folder, makes
a real build that writes what a build from scratch writes."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

import sitegen.engine.cache
import sitegen.engine.uptodate
from sitegen.build import BuildOptions, BuildResult, build
from sitegen.cli import main
from sitegen.core.theme import builtin_themes
from sitegen.serve import Server
from tests.helpers import REPO, tree

DATE = dt.date(2021, 5, 1)
ARTICLE = "content/news/2020-04-27-pujiang-visit.zh.md"
PAGE = "news/2020/04/pujiang-visit/index.html"
DRAFT = """---
title: 一篇草稿
date: 2020-04-29
draft: true
---

草稿的正文。
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A copy of the example site. The example's themes/ folder is the
    built-in theme itself; a site of its own has none until it overrides."""
    copy = tmp_path / "site"
    shutil.copytree(REPO / "content", copy / "content")
    shutil.copy(REPO / "site.yaml", copy / "site.yaml")
    return copy


def attempt(site: Path, **options: object) -> BuildResult:
    """A build as ``sitegen build`` makes it, into ``site/build``."""
    settings: dict[str, object] = {
        "out_dir": site / "build",
        "today": DATE,
        "search": False,
        "weigh": False,
        "jobs": 1,
    }
    settings.update(options)
    return build(site, BuildOptions(**settings))  # type: ignore[arg-type]


def run(site: Path, **options: object) -> BuildResult:
    result = attempt(site, **options)
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    return result


def from_scratch(site: Path, folder: Path, **options: object) -> dict[str, bytes]:
    """What a build with no cache at all writes, for comparison."""
    run(site, out_dir=folder, cache=False, **options)
    return tree(folder)


def inodes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_ino for p in root.rglob("*")}


def test_a_second_build_leaves_the_site_as_it_is(site: Path) -> None:
    first = run(site)
    written, numbers = tree(site / "build"), inodes(site / "build")

    second = run(site)

    assert not first.up_to_date and first.files_written > 0
    assert second.up_to_date and second.files_written == 0
    assert second.pages == first.pages > 0
    assert tree(site / "build") == written
    assert inodes(site / "build") == numbers  # not one file written again
    assert run(site).up_to_date


def test_a_touched_file_alone_leaves_the_site_up_to_date(site: Path) -> None:
    run(site)
    (site / ARTICLE).touch()  # saved again as it was
    hour_ago = time.time_ns() - 3_600_000_000_000
    os.utime(site / "site.yaml", ns=(hour_ago, hour_ago))
    assert run(site).up_to_date
    assert run(site).up_to_date


def test_an_editors_hidden_files_leave_the_site_up_to_date(site: Path) -> None:
    """Swap files and hidden folders in content/ are never read by a build."""
    run(site)
    (site / "content/news/.2020-04-27-pujiang-visit.zh.md.swp").write_bytes(b"\0swap")
    (site / "content/.git").mkdir()
    (site / "content/.git/index").write_bytes(b"\0index")
    assert run(site).up_to_date


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def edit_article(site: Path) -> None:
    append(site / ARTICLE, "\n新增的一段：欢迎市民参加。\n")


def add_article(site: Path) -> None:
    text = (site / ARTICLE).read_text(encoding="utf-8").replace("2020-04-27", "2020-04-29")
    (site / "content/news/2020-04-29-added-report.zh.md").write_text(text, encoding="utf-8")


def delete_article(site: Path) -> None:
    # both languages: alone, the translation has no original to take its date from
    (site / ARTICLE).unlink()
    (site / ARTICLE.replace(".zh.md", ".en.md")).unlink()


def override_template(site: Path) -> None:
    builtin = builtin_themes() / "default/templates/404.html"
    override = site / "themes/default/templates/404.html"
    override.parent.mkdir(parents=True)
    override.write_text(builtin.read_text(encoding="utf-8") + "<!-- overridden -->\n")


def add_well_known(site: Path) -> None:
    """A theme's static files are published whatever their folders are called."""
    folder = site / "themes/default/static/.well-known"
    folder.mkdir(parents=True)
    (folder / "security.txt").write_text("Contact: mailto:web@example.org\n", encoding="utf-8")


def change_settings(site: Path) -> None:
    config = site / "site.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("新都社区教育学院", "新都区社区教育学院"),
        encoding="utf-8",
    )


def delete_output_file(site: Path) -> None:
    (site / "build" / PAGE).unlink()


def edit_output_file(site: Path) -> None:
    append(site / "build/index.html", "<!-- edited by hand -->\n")


def add_output_file(site: Path) -> None:
    (site / "build/notes.txt").write_text("not written by sitegen\n", encoding="utf-8")


CHANGES: dict[str, Callable[[Path], None]] = {
    "an article's text edited": edit_article,
    "an article added": add_article,
    "an article deleted": delete_article,
    "a theme override added": override_template,
    "a static file added in a hidden folder": add_well_known,
    "site.yaml changed": change_settings,
    "a page deleted from build/": delete_output_file,
    "a page edited in build/": edit_output_file,
    "a file added to build/": add_output_file,
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_change_makes_a_real_build_of_the_new_site(
    change: str, site: Path, tmp_path: Path
) -> None:
    run(site)
    CHANGES[change](site)

    again = run(site)

    assert not again.up_to_date and again.files_written > 0
    assert tree(site / "build") == from_scratch(site, tmp_path / "scratch")
    assert run(site).up_to_date  # and the build after it has nothing to do


def test_an_edit_shows_on_its_page(site: Path) -> None:
    run(site)
    edit_article(site)
    run(site)
    assert "新增的一段" in (site / "build" / PAGE).read_text(encoding="utf-8")


def test_an_edit_that_keeps_size_and_time_is_seen_when_it_was_saved_just_before(
    site: Path,
) -> None:
    """A file saved twice within one tick of a coarse clock keeps its size
    and time: a file saved moments before the last build is read again."""
    article = site / ARTICLE
    edit_article(site)
    run(site)
    before = article.stat()
    article.write_text(
        article.read_text(encoding="utf-8").replace("欢迎市民", "欢迎居民"), encoding="utf-8"
    )
    os.utime(article, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (article.stat().st_size, article.stat().st_ino) == (before.st_size, before.st_ino)

    again = run(site)

    assert not again.up_to_date
    assert "欢迎居民" in (site / "build" / PAGE).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "options",
    [
        {"base_url": "https://example.org/xindu/"},
        {"drafts": True},
        {"today": DATE + dt.timedelta(days=1)},
        {"strict": True},
    ],
    ids=["--base-url", "--drafts", "another date", "--strict"],
)
def test_other_options_make_a_real_build(
    options: dict[str, object], site: Path, tmp_path: Path
) -> None:
    (site / "content/news/2020-04-29-draft-note.zh.md").write_text(DRAFT, encoding="utf-8")
    run(site)
    assert run(site).up_to_date

    again = run(site, **options)

    assert not again.up_to_date
    assert tree(site / "build") == from_scratch(site, tmp_path / "scratch", **options)
    assert run(site, **options).up_to_date
    assert not run(site).up_to_date  # back to the first options: built again


def test_a_new_day_builds_again_unless_the_date_is_given(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Which events are coming depends on the day the site is built."""

    class NextDay(dt.date):
        @classmethod
        def today(cls) -> NextDay:
            return cls.fromordinal(dt.date.today().toordinal() + 1)

    run(site, today=None)
    assert run(site, today=None).up_to_date
    monkeypatch.setattr(sitegen.engine.uptodate, "dt", SimpleNamespace(date=NextDay))
    assert not run(site, today=None).up_to_date


def test_a_deleted_cache_makes_a_real_build(site: Path, own_build_cache: Path) -> None:
    run(site)
    written = tree(site / "build")
    shutil.rmtree(own_build_cache)

    again = run(site)

    assert not again.up_to_date and again.files_written > 0
    assert tree(site / "build") == written


def test_another_version_of_sitegen_makes_a_real_build(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(site)
    written = tree(site / "build")
    monkeypatch.setattr(sitegen.engine.cache, "code_version", lambda: "another version")

    again = run(site)

    assert not again.up_to_date and again.files_written > 0
    assert tree(site / "build") == written


def test_no_cache_always_builds(site: Path) -> None:
    run(site)
    assert not run(site, cache=False).up_to_date
    assert not run(site, cache=False).up_to_date
    # the site was written again without a record of it: the next build builds
    assert not run(site).up_to_date


def test_a_failed_build_leaves_no_record(site: Path) -> None:
    article = site / ARTICLE
    run(site)
    good = article.read_bytes()
    article.write_text("---\ntitle: [never closed\n---\n", encoding="utf-8")
    assert not attempt(site).ok
    article.write_bytes(good)  # back as it was: the site in build/ matches it again

    assert not run(site).up_to_date  # but only a build can tell
    assert run(site).up_to_date


def test_warnings_are_printed_again_when_up_to_date(site: Path) -> None:
    (site / "content/news/notes.txt").write_text("a note\n", encoding="utf-8")
    first = run(site)
    assert [d.code for d in first.diagnostics] == ["ignored-file"]

    second = run(site)

    assert second.up_to_date and second.diagnostics == first.diagnostics
    strict = attempt(site, strict=True)
    assert not strict.ok and not strict.up_to_date  # --strict still fails on them


def test_a_killed_builds_leftovers_make_a_real_build_that_removes_them(site: Path) -> None:
    run(site)
    leftover = site / ".build.tmp-killed"
    leftover.mkdir()
    (leftover / "index.html").write_text("half written", encoding="utf-8")

    assert not run(site).up_to_date
    assert not leftover.exists()
    assert run(site).up_to_date


def test_a_build_that_hands_back_its_pages_always_builds(site: Path) -> None:
    """Library callers and the preview server read the pages of the result."""
    run(site)
    result = run(site, keep=True)
    assert not result.up_to_date and result.output
    assert not run(site, keep=True).up_to_date


def test_serve_never_takes_the_site_for_up_to_date(site: Path, own_build_cache: Path) -> None:
    server = Server(site, port=0)
    server.start()
    try:
        again = server.rebuild()
    finally:
        server.stop()
    assert again.ok and not again.up_to_date and again.output
    assert not (own_build_cache / "uptodate").exists()  # nor keeps a record to compare


def test_a_search_index_counts_as_output(site: Path) -> None:
    run(site, search=True)
    index = site / "build/pagefind/pagefind-entry.json"
    assert index.is_file()
    assert run(site, search=True).up_to_date
    assert not run(site).up_to_date  # without search: another site

    run(site, search=True)
    index.unlink()
    assert not run(site, search=True).up_to_date
    assert index.is_file()


def test_the_command_says_the_site_is_up_to_date(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    command = ["build", str(site), "--date", DATE.isoformat(), "--no-search", "--lang", "en"]
    assert main(command) == 0
    built = capsys.readouterr().out
    assert built.startswith("built ")
    pages = int(built.split()[1])

    assert main(command) == 0
    out = capsys.readouterr().out
    assert out == (
        f"site is up to date: {pages} pages in {site / 'build'} "
        "(nothing changed since the last build)\n"
    )

    assert main([*command, "-q"]) == 0
    assert capsys.readouterr() == ("", "")

    assert main([*command[:-1], "zh"]) == 0
    assert "网站已是最新" in capsys.readouterr().out

    edit_article(site)
    assert main(command) == 0
    assert capsys.readouterr().out.startswith("built ")

"""What a deploy uploads and deletes, decided from digests alone."""

from __future__ import annotations

import gzip
from pathlib import Path

from sitegen.deploy.headers import cache_control, content_type, gzipped
from sitegen.deploy.plan import (
    Entry,
    Listed,
    LocalFile,
    digest,
    entry_of,
    make_plan,
    manifest_bytes,
    outcome,
    read_manifest,
)

YEAR, SHORT = "public, max-age=31536000, immutable", "public, max-age=300"


def local(path: str, data: bytes) -> LocalFile:
    return LocalFile(
        path, digest(data), len(data), content_type(path), cache_control(path), Path("/nowhere")
    )


def test_only_new_and_changed_files_are_uploaded_and_removed_ones_deleted() -> None:
    page, css, old = local("index.html", b"<p>1"), local("assets/site.css", b"a{}"), "gone.html"
    manifest = {css.path: entry_of(css, "e1"), page.path: entry_of(local("index.html", b"<p>0"))}
    manifest[old] = entry_of(local(old, b"x"))
    listing = {css.path: Listed(css.size, "e1"), page.path: Listed(4), old: Listed(1)}
    plan = make_plan([page, css], manifest, listing)
    assert [f.path for f in plan.uploads] == ["index.html"]
    assert plan.deletes == ("gone.html",)
    assert outcome(plan).unchanged == 1


def test_a_file_the_listing_lacks_or_shows_replaced_is_uploaded_again() -> None:
    css = local("assets/site.css", b"a{}")
    manifest = {css.path: entry_of(css, "e1")}
    assert make_plan([css], manifest, {}).uploads == (css,)
    assert make_plan([css], manifest, {css.path: Listed(css.size, "other")}).uploads == (css,)
    assert make_plan([css], manifest, None).uploads == ()  # SFTP: the manifest is trusted


def test_headers_changed_since_the_last_upload_are_uploaded_again() -> None:
    css = local("assets/site.css", b"a{}")
    stale = Entry(css.sha256, css.size, "text/css", css.cache_control, "e1")
    assert make_plan([css], {css.path: stale}, {css.path: Listed(css.size, "e1")}).uploads == (css,)


def test_pages_are_uploaded_after_what_they_link_to() -> None:
    files = [
        local("index.html", b"1"),
        local("assets/site.css", b"2"),
        local("media/0123456789ab/a.png", b"3"),
        local("feed.xml", b"4"),
        local("pagefind/fragment/zh_1234567.pf_fragment", b"5"),
    ]
    order = [f.path for f in make_plan(files, {}, {}).uploads]
    assert order == [
        "media/0123456789ab/a.png",
        "pagefind/fragment/zh_1234567.pf_fragment",
        "assets/site.css",
        "feed.xml",
        "index.html",
    ]


def test_the_manifest_reads_back_and_a_broken_one_means_upload_everything() -> None:
    css = local("assets/site.css", b"a{}")
    entries = {css.path: entry_of(css, "e1")}
    assert read_manifest(manifest_bytes(entries)) == entries
    assert manifest_bytes(entries) == manifest_bytes(dict(entries))
    assert read_manifest(b"{not json") == {} and read_manifest(None) == {}


def test_only_content_addressed_files_are_cached_for_a_year() -> None:
    assert cache_control("media/0f3bb18f1748/meeting-photo-480w.webp") == YEAR
    assert cache_control("pagefind/index/zh_9a9c639.pf_index") == YEAR
    assert cache_control("pagefind/pagefind.zh-hans_9a9c6399956e54a.pf_meta") == YEAR
    stable = ["index.html", "assets/site.css", "assets/pointer-large.svg", "feed.xml"]
    stable += ["pagefind/pagefind.js", "pagefind/pagefind-entry.json", "sitemap.xml"]
    for path in stable:
        assert cache_control(path) == SHORT, path


def test_text_is_declared_utf_8() -> None:
    assert content_type("news/x/index.html") == "text/html; charset=utf-8"
    assert content_type("en/feed.xml") == "application/atom+xml; charset=utf-8"
    assert content_type("events.ics") == "text/calendar; charset=utf-8"
    assert content_type("media/0f3bb18f1748/a.png") == "image/png"
    assert content_type("media/0f3bb18f1748/report.docx").startswith("application/vnd.openxml")
    assert content_type("LICENSE") == "application/octet-stream"


def test_gzip_copies_are_the_same_bytes_every_time() -> None:
    data = "新都社区教育学院".encode() * 100
    assert gzipped(data) == gzipped(data)
    assert gzip.decompress(gzipped(data)) == data

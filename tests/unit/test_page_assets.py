"""Which of the theme's style sheets and scripts a page loads: what the
build's page weights add to each page's own size."""

from __future__ import annotations

import pytest

from sitegen.engine.rendering import _assets

PAGE = (
    b'<!doctype html><html><head><link rel="stylesheet" href="/xindu/assets/site.css?v=1a2b">'
    b'<script src="/xindu/assets/text-size-early.js"></script></head><body>'
    b'<a href="/xindu/news/">\xe6\x96\xb0\xe9\x97\xbb</a>'
    b"<p>The files are kept in /assets/ and /pagefind/ on the server.</p>"
    b'<a href="/xindu/assets/guide.pdf">PDF</a>'
    b'<link rel="stylesheet" href="/xindu/pagefind/pagefind-ui.css">'
    b'<script src="/xindu/pagefind/pagefind-ui.js" defer></script>'
    b'<script src="/xindu/assets/site.css.js"></script></body></html>'
)


def test_a_page_loads_the_style_sheets_and_scripts_it_links_and_no_other_file() -> None:
    assert _assets(PAGE) == (
        "assets/site.css",
        "assets/site.css.js",
        "assets/text-size-early.js",
        "pagefind/pagefind-ui.css",
        "pagefind/pagefind-ui.js",
    )


@pytest.mark.parametrize(
    "html",
    [
        b"<p>no links at all</p>",
        b'<a href="/news/">news</a> /assets/site.css in the text',
        b'<p class="assets">see /assets/site.css</p>',
        b'<img src="/assets/logo.png" alt="">',
    ],
)
def test_a_file_named_outside_a_link_or_not_a_style_sheet_or_script_is_not_counted(
    html: bytes,
) -> None:
    assert _assets(html) == ()


def test_each_file_is_counted_once_however_often_it_is_linked() -> None:
    html = b'<link href="/assets/a.css"><link href="/assets/a.css?v=2"><script src="/assets/a.css">'
    assert _assets(html) == ("assets/a.css",)

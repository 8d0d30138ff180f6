"""Who runs the site, from site.yaml: its logo in the header, its contact
details, links and filing numbers in every page's footer, and plain
words for each slip in writing them."""

from __future__ import annotations

import shutil
from pathlib import Path

from sitegen.build import BuildOptions, build
from tests.helpers import SITES

IDENTITY = """\
organisation: {zh: 南湖区社区教育学院, en: Nanhu District Community Education College}
logo: images/校徽.png
phone: 028-8888 0000
email: office.example.org
icp_filing: 蜀ICP备号
police_filing: 川公网安备5101140200号
footer_links:
  - {title: 区政府, url: www.example.gov.cn}
"""


def test_each_slip_in_the_sites_identity_is_said_with_its_line(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITES / "newsroom" / "input", site)
    settings = site / "site.yaml"
    kept = [
        line
        for line in settings.read_text(encoding="utf-8").splitlines()
        if not line.startswith(("organisation", "logo", "phone", "email", "icp", "police"))
        and not line.startswith(("footer_links", "  - {title"))
        and not line.startswith(("address", "opening_hours"))
    ]
    settings.write_text("\n".join(kept) + "\n" + IDENTITY, encoding="utf-8")
    first = len(kept) + 1  # the line of `organisation:`
    result = build(site, BuildOptions(out_dir=tmp_path / "out", search=False))
    said = {(d.line - first, d.code, d.severity.value) for d in result.diagnostics}
    assert said == {
        (1, "bad-logo", "error"),
        (3, "bad-email", "warning"),
        (4, "bad-filing", "warning"),
        (5, "bad-filing", "warning"),
        (7, "bad-link", "error"),
    }, [d.format() for d in result.diagnostics]
    assert all(d.path == "site.yaml" for d in result.diagnostics)
    assert not (tmp_path / "out").exists()


def test_the_logo_is_published_once_under_its_own_name(tmp_path: Path) -> None:
    out = tmp_path / "out"
    options = BuildOptions(out_dir=out, search=False, cache=False)
    assert build(SITES / "newsroom" / "input", options).ok
    assert (out / "logo.svg").read_bytes() == (SITES / "newsroom/input/logo.svg").read_bytes()
    english = (out / "en/index.html").read_text(encoding="utf-8")
    assert '<img class="site-logo" src="/logo.svg" alt="">Nanhu Community College' in english
    assert "<p>Nanhu District Community Education College</p>" in english
    assert "Opening hours: Monday to Friday, 9:00–17:30" in english


def test_a_comma_that_cuts_a_text_short_is_said(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITES / "newsroom" / "input", site)
    settings = site / "site.yaml"
    text = settings.read_text(encoding="utf-8").replace(
        'en: "88 Hubin Road, Nanhu District"', "en: 88 Hubin Road, Nanhu District"
    )
    settings.write_text(text, encoding="utf-8")
    result = build(site, BuildOptions(out_dir=tmp_path / "out", search=False, cache=False))
    (problem,) = result.diagnostics
    line = text.splitlines().index(
        "address: {zh: 南湖区湖滨路88号, en: 88 Hubin Road, Nanhu District}"
    )
    assert (problem.path, problem.line, problem.code) == ("site.yaml", line + 1, "split-text")
    assert problem.format("zh").startswith(
        f"site.yaml:{line + 1}:1: 错误: “address”中有一段“Nanhu District”不属于任何语言"
    )


def test_only_a_site_that_says_where_it_is_published_offers_a_qr_code(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITES / "newsroom" / "input", site)
    article = "news/2020/05/showcase-notice/index.html"
    published = tmp_path / "published"
    assert build(site, BuildOptions(out_dir=published, search=False, cache=False)).ok
    page = (published / article).read_text(encoding="utf-8")
    assert 'data-address="https://news.example.org/news/2020/05/showcase-notice/"' in page
    assert "/assets/share-qr.js" in page

    settings = site / "site.yaml"
    lines = settings.read_text(encoding="utf-8").splitlines()
    settings.write_text("\n".join(x for x in lines if not x.startswith("base_url")) + "\n")
    unpublished = tmp_path / "unpublished"
    assert build(site, BuildOptions(out_dir=unpublished, search=False, cache=False)).ok
    for page_path in unpublished.rglob("*.html"):
        assert "share-qr" not in page_path.read_text(encoding="utf-8"), page_path

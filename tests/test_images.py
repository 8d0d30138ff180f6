"""Pictures through a whole build: an editor's phone photo becomes a set
of smaller upright copies in a media folder of its own, the pages of both
languages offer the same copies with their size set, and the next build
takes them from the cache."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

from sitegen.build import BuildOptions, BuildResult, build
from tests.helpers import media_file, tree

ARTICLE = """\
---
title: 学习大厅落成
date: 2021-03-02
images: [{{src: hall.jpg, alt: 新落成的学习大厅, caption: 学习大厅外景}}]
---

![居民在大厅里读书](reading.png "周末的读书会")

新大厅向全体居民开放。
{extra}"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    bundle = root / "content/news/2021-03-02-hall"
    bundle.mkdir(parents=True)
    (root / "site.yaml").write_text(
        "title: {zh: 测试学院, en: Test College}\nbase_url: https://example.org/town/\n",
        encoding="utf-8",
    )
    (bundle / "index.zh.md").write_text(ARTICLE.format(extra=""), encoding="utf-8")
    exif = Image.Exif()
    exif[0x0112] = 6  # taken with the phone on its side
    Image.new("RGB", (3000, 2000), (120, 140, 90)).save(
        bundle / "hall.jpg", "JPEG", exif=exif.tobytes()
    )
    Image.new("RGBA", (640, 480), (200, 30, 30, 128)).save(bundle / "reading.png")
    return root


def run(site: Path, out: Path, **options: object) -> BuildResult:
    result = build(site, BuildOptions(out_dir=out, search=False, **options))  # type: ignore[arg-type]
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    return result


def test_each_picture_is_offered_in_widths_up_to_its_own(site: Path, tmp_path: Path) -> None:
    run(site, tmp_path / "out")
    folder = media_file(tmp_path / "out", "hall-480w.jpg").parent
    sizes = {
        p.name: Image.open(p).size for p in sorted(folder.iterdir()) if p.name.startswith("hall-")
    }
    # 3000×2000 on its side: 2000 wide and 3000 high, so at most 1600 wide
    # and, as the report's picture, its middle cut square for a shared link's card
    assert sizes == {
        f"hall-{w}w.{ext}": (w, w * 3 // 2)
        for w in (480, 800, 1200, 1600)
        for ext in ("jpg", "webp")
    } | {"hall-square.jpg": (600, 600)}
    assert Image.open(folder / "hall-800w.webp").format == "WEBP"
    assert (folder / "hall.jpg").is_file()  # the original, for a link to the full photo
    # the half-transparent drawing keeps its transparency in PNG, and is never enlarged
    drawing = media_file(tmp_path / "out", "reading.png").parent
    assert {p.name for p in drawing.iterdir()} == {
        "reading.png",
        "reading-480w.png",
        "reading-480w.webp",
        "reading-640w.png",
        "reading-640w.webp",
    }
    assert Image.open(drawing / "reading-640w.png").mode == "RGBA"
    # nothing of them beside the article's page
    assert sorted(p.name for p in (tmp_path / "out/news/2021/03/hall").iterdir()) == ["index.html"]


def test_the_page_sets_sizes_captions_and_lazy_loading(site: Path, tmp_path: Path) -> None:
    run(site, tmp_path / "out")
    page = (tmp_path / "out/news/2021/03/hall/index.html").read_text(encoding="utf-8")
    body_figure = page[page.index('<figure class="figure"><picture>') :]
    assert body_figure.index('alt="居民在大厅里读书"') < body_figure.index(
        "<figcaption>周末的读书会</figcaption>"
    )
    assert 'width="640" height="480" fetchpriority="high"' in page  # at the top: at once
    folder = "/" + media_file(tmp_path / "out", "hall-480w.jpg").parent.name
    hall = page[page.index(f'srcset="/town/media{folder}/hall-480w.jpg') :]
    assert 'alt="新落成的学习大厅" width="1600" height="2400" loading="lazy"' in hall
    assert "<figcaption>学习大厅外景</figcaption>" in hall
    assert (
        f'<meta property="og:image" content="https://example.org/town/media{folder}/'
        'hall-1200w.jpg">'
    ) in page
    assert '<meta property="og:image:alt" content="新落成的学习大厅">' in page


def test_the_next_build_takes_the_copies_from_the_cache(site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = run(site, tmp_path / "one", cache_dir=cache)
    second = run(site, tmp_path / "two", cache_dir=cache)
    uncached = run(site, tmp_path / "three", cache=False)

    # 12 copies, and the report's picture cut square for a shared link's card
    assert first.images_made == uncached.images_made == 13 and second.images_made == 0
    assert tree(tmp_path / "one") == tree(tmp_path / "two") == tree(tmp_path / "three")
    assert not (tmp_path / "sitegen-cache").exists()  # cache=False keeps nothing


def test_a_replaced_photo_is_made_again(site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(site, tmp_path / "one", cache_dir=cache)
    Image.new("RGB", (1000, 500), (10, 10, 10)).save(site / "content/news/2021-03-02-hall/hall.jpg")

    again = run(site, tmp_path / "two", cache_dir=cache)

    # 480, 800 and 1000 wide, WebP and JPEG (the last also the clean original), and its
    # middle cut square (500 px) for a shared link; not the drawing
    assert again.images_made == 7
    copy = Image.open(media_file(tmp_path / "two", "hall-1000w.jpg"))
    assert copy.size == (1000, 500) and copy.getpixel((500, 250)) == (10, 10, 10)


def test_the_cache_lives_beside_the_site_unless_told_otherwise(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SITEGEN_CACHE_DIR")
    run(site, tmp_path / "out")
    assert len(list((site / ".sitegen-cache/images").glob("*.webp"))) == 6


def test_both_languages_and_two_articles_share_one_set_of_copies(
    site: Path, tmp_path: Path
) -> None:
    bundle = site / "content/news/2021-03-02-hall"
    (bundle / "index.en.md").write_text(
        "---\ntitle: The new hall\ndate: 2021-03-02\n"
        "images: [{src: hall.jpg, alt: The new learning hall}]\n---\n\n"
        "![Residents reading in the hall](reading.png)\n\n[The full photo](hall.jpg#top)\n",
        encoding="utf-8",
    )
    other = site / "content/news/2021-03-09-open-day"
    other.mkdir()
    (other / "index.zh.md").write_text(
        "---\ntitle: 开放日\ndate: 2021-03-09\n---\n\n![居民在大厅里读书](reading.png)\n",
        encoding="utf-8",
    )
    (other / "reading.png").write_bytes((bundle / "reading.png").read_bytes())
    out = tmp_path / "out"

    result = run(site, out)

    def shown(page: str) -> set[str]:
        html = (out / page).read_text(encoding="utf-8")
        return set(re.findall(r'(?:src|srcset|href)="(/town/media/[^" ]+)', html))

    zh, en = shown("news/2021/03/hall/index.html"), shown("en/news/2021/03/hall/index.html")
    assert {a for a in zh if "reading" in a} == {a for a in en if "reading" in a}
    assert {a for a in zh if "hall-" in a} == {a for a in en if "hall-" in a} != set()
    assert {a for a in zh if "reading" in a} == shown("news/2021/03/open-day/index.html")
    # every address shown is a file of the site, and each copy is written once
    files = sorted(p for p in (out / "media").rglob("*") if p.is_file())
    names = [p.name for p in files]
    # hall: 8 copies, the original and a square for the card; reading: 4 + 1, and a
    # square too, as the picture of the open day's report
    assert len(names) == len(set(names)) == 16
    for address in zh | en:
        assert (out / address.removeprefix("/town/").split("#")[0]).is_file(), address
    # a link to the full photo leads to its media folder, anchor and all
    folder = media_file(out, "hall.jpg").parent.name
    assert f'<a href="/town/media/{folder}/hall.jpg#top">' in (
        out / "en/news/2021/03/hall/index.html"
    ).read_text(encoding="utf-8")
    assert not [d for d in result.diagnostics if d.code == "broken-link"]

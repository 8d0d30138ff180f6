"""Pictures through a whole build: an editor's phone photo becomes a set
of smaller upright copies beside the article, the page offers them with
its size set, and the next build takes them from the cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from sitegen.build import BuildOptions, BuildResult, build
from tests.helpers import tree

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
    folder = tmp_path / "out/news/2021/03/hall"
    sizes = {
        p.name: Image.open(p).size for p in sorted(folder.iterdir()) if p.name.startswith("hall-")
    }
    # 3000×2000 on its side: 2000 wide and 3000 high, so at most 1600 wide
    assert sizes == {
        f"hall-{w}w.{ext}": (w, w * 3 // 2)
        for w in (480, 800, 1200, 1600)
        for ext in ("jpg", "webp")
    }
    assert Image.open(folder / "hall-800w.webp").format == "WEBP"
    # the half-transparent drawing keeps its transparency in PNG, and is never enlarged
    assert {p.name for p in folder.glob("reading-*")} == {
        "reading-480w.png",
        "reading-480w.webp",
        "reading-640w.png",
        "reading-640w.webp",
    }
    assert Image.open(folder / "reading-640w.png").mode == "RGBA"
    assert (folder / "hall.jpg").is_file()  # the original stays, for a link to the full photo


def test_the_page_sets_sizes_captions_and_lazy_loading(site: Path, tmp_path: Path) -> None:
    run(site, tmp_path / "out")
    page = (tmp_path / "out/news/2021/03/hall/index.html").read_text(encoding="utf-8")
    body_figure = page[page.index('<figure class="figure"><picture>') :]
    assert body_figure.index('alt="居民在大厅里读书"') < body_figure.index(
        "<figcaption>周末的读书会</figcaption>"
    )
    assert 'width="640" height="480" fetchpriority="high"' in page  # at the top: at once
    hall = page[page.index('srcset="hall-480w.jpg') :]
    assert 'alt="新落成的学习大厅" width="1600" height="2400" loading="lazy"' in hall
    assert "<figcaption>学习大厅外景</figcaption>" in hall
    assert (
        '<meta property="og:image" content="https://example.org/town/news/2021/03/hall/'
        'hall-1200w.jpg">'
    ) in page
    assert '<meta property="og:image:alt" content="新落成的学习大厅">' in page


def test_the_next_build_takes_the_copies_from_the_cache(site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = run(site, tmp_path / "one", cache_dir=cache)
    second = run(site, tmp_path / "two", cache_dir=cache)
    uncached = run(site, tmp_path / "three", cache=False)

    assert first.images_made == uncached.images_made == 12 and second.images_made == 0
    assert tree(tmp_path / "one") == tree(tmp_path / "two") == tree(tmp_path / "three")
    assert not (tmp_path / "sitegen-cache").exists()  # cache=False keeps nothing


def test_a_replaced_photo_is_made_again(site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(site, tmp_path / "one", cache_dir=cache)
    Image.new("RGB", (1000, 500), (10, 10, 10)).save(site / "content/news/2021-03-02-hall/hall.jpg")

    again = run(site, tmp_path / "two", cache_dir=cache)

    assert again.images_made == 6  # 480, 800 and 1000 wide, WebP and JPEG; not the drawing
    copy = Image.open(tmp_path / "two/news/2021/03/hall/hall-1000w.jpg")
    assert copy.size == (1000, 500) and copy.getpixel((500, 250)) == (10, 10, 10)


def test_the_cache_lives_beside_the_site_unless_told_otherwise(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SITEGEN_CACHE_DIR")
    run(site, tmp_path / "out")
    assert len(list((site / ".sitegen-cache/images").glob("*.webp"))) == 6

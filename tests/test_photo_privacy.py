"""Nothing private in a published picture: a phone photo's position, camera
and time stay out of every file a reader can open, the original included;
an SVG drawing that could run a script on the site is refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from sitegen.build import BuildOptions, build
from sitegen.cli import main
from tests.helpers import media_file

ARTICLE = """\
---
title: 学习大厅落成
date: 2021-03-02
images:
  - {{src: hall.jpg, alt: 新落成的学习大厅}}
{kept}---

![居民在大厅里读书](reading.png)

新大厅向全体居民开放。[下载原图](hall.jpg)
"""
GPS, MODEL, TAKEN, ORIENTATION = 0x8825, 0x0110, 0x0132, 0x0112


def phone_photo(path: Path) -> None:
    """A 4000×3000 JPEG as a phone writes it: held on its side, with where,
    when and with what it was taken."""
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[MODEL] = "Phone 12 Pro"
    exif[TAKEN] = "2021:03:02 09:41:00"
    exif[GPS] = {1: "N", 2: (30.0, 49.0, 12.0), 3: "E", 4: (104.0, 9.0, 36.0)}
    Image.new("RGB", (4000, 3000), (120, 140, 90)).save(path, "JPEG", exif=exif.tobytes())


def make_site(root: Path, kept: str = "") -> Path:
    bundle = root / "content/news/2021-03-02-hall"
    bundle.mkdir(parents=True)
    (root / "site.yaml").write_text(
        "title: {zh: 测试学院, en: Test College}\nbase_url: https://example.org/\n",
        encoding="utf-8",
    )
    (bundle / "index.zh.md").write_text(ARTICLE.format(kept=kept), encoding="utf-8")
    phone_photo(bundle / "hall.jpg")
    png = Image.new("RGBA", (640, 480), (200, 30, 30, 128))
    png.save(bundle / "reading.png", pnginfo=_png_text("Author", "王老师 13800000000"))
    return root


def _png_text(key: str, value: str) -> object:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_itxt(key, value)
    return info


def test_no_published_picture_says_where_when_or_with_what(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    out = tmp_path / "out"
    result = build(site, BuildOptions(out_dir=out, search=False))
    assert result.ok, [d.format() for d in result.diagnostics]

    published = sorted(p for p in out.rglob("*") if p.suffix in (".jpg", ".png", ".webp"))
    original = media_file(out, "hall.jpg")
    page = (out / "news/2021/03/hall/index.html").read_text(encoding="utf-8")
    assert f'<a href="/media/{original.parent.name}/hall.jpg">下载原图</a>' in page
    for path in published:
        with Image.open(path) as image:
            exif = image.getexif()
            assert not {GPS, MODEL, TAKEN} & set(exif), f"{path.name} carries {dict(exif)}"
            assert exif.get(ORIENTATION, 1) == 1, f"{path.name} is not upright"
            assert "Author" not in image.info and "exif" not in image.info
            assert "xmp" not in image.info and "XML:com.adobe.xmp" not in image.info
            width, height = image.size
            assert width <= 1600
            # (the square copy for a shared link is cut from the picture turned upright)
            if path.stem.startswith("hall") and not path.stem.endswith("-square"):
                assert height > width, f"{path.name} is not turned upright"
    with Image.open(original) as image:
        assert image.size == (1600, 2133)  # no larger than the largest copy


def test_an_editor_may_keep_an_original_as_it_is(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", kept="  - {src: hall.jpg, alt: 大厅, original: keep}\n")
    out = tmp_path / "out"
    assert build(site, BuildOptions(out_dir=out, search=False)).ok
    source = site / "content/news/2021-03-02-hall/hall.jpg"
    assert media_file(out, "hall.jpg").read_bytes() == source.read_bytes()
    with Image.open(media_file(out, "hall-800w.jpg")) as copy:
        assert GPS not in copy.getexif()  # the copies are clean all the same


UNSAFE = {
    "script": ('<svg xmlns="http://www.w3.org/2000/svg">\n<script>alert(1)</script>\n</svg>\n', 2),
    "event": ('<svg xmlns="http://www.w3.org/2000/svg">\n\n<rect onclick="x()"/>\n</svg>\n', 3),
    "html": ('<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>\n', 1),
    "elsewhere": (
        '<svg xmlns="http://www.w3.org/2000/svg">\n<image href="https://x.example/a.png"/></svg>',
        2,
    ),
}


@pytest.mark.parametrize("kind", list(UNSAFE))
def test_a_drawing_that_could_run_a_script_is_refused(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path / "site")
    text, line = UNSAFE[kind]
    (site / "content/news/2021-03-02-hall/plan.svg").write_text(text, encoding="utf-8")
    out = tmp_path / "out"

    assert main(["build", os.fspath(site), "--out", os.fspath(out), "--no-search"]) == 1

    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(
        f"content/news/2021-03-02-hall/plan.svg:{line}:1: error: this drawing holds "
    )
    assert err[0].endswith(", which would run or load on the site's pages [unsafe-svg]")
    assert not out.exists()


def test_a_plain_drawing_is_published_as_it_is(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    drawing = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="40" height="20"><defs><linearGradient id="g"/></defs>'
        '<rect width="40" height="20" style="fill:url(#g)"/><use xlink:href="#g"/>'
        '<image href="data:image/png;base64,iVBORw0KGgo="/></svg>\n'
    )
    (site / "content/news/2021-03-02-hall/plan.svg").write_text(drawing, encoding="utf-8")
    index = site / "content/news/2021-03-02-hall/index.zh.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n![平面图](plan.svg)\n")
    out = tmp_path / "out"
    assert build(site, BuildOptions(out_dir=out, search=False)).ok
    assert media_file(out, "plan.svg").read_text(encoding="utf-8") == drawing


def test_an_iphone_photo_is_published_as_jpeg_and_webp_upright_and_clean(
    tmp_path: Path,
) -> None:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    site = make_site(tmp_path / "site")
    bundle = site / "content/news/2021-03-02-hall"
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # held on its side: stored turned, to be shown upright
    exif[MODEL] = "iPhone 15"
    exif[GPS] = {1: "N", 2: (30.0, 49.0, 12.0)}
    photo = Image.new("RGB", (2400, 1800), (0, 0, 255))
    photo.paste((255, 0, 0), (0, 0, 1200, 1800))  # left half red
    photo.save(bundle / "garden.heic", exif=exif.tobytes(), quality=80)
    (bundle / "index.zh.md").write_text(
        ARTICLE.format(kept="") + "\n![居民在花园里合影](garden.heic)\n\n[原图](garden.heic)\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = build(site, BuildOptions(out_dir=out, search=False))
    assert result.ok, [d.format() for d in result.diagnostics]

    original = media_file(out, "garden.jpg")
    folder = original.parent
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["garden.jpg"]
        + [f"garden-{w}w.{e}" for w in (480, 800, 1200, 1600) for e in ("jpg", "webp")]
    )
    page = (out / "news/2021/03/hall/index.html").read_text(encoding="utf-8")
    assert f'<a href="/media/{folder.name}/garden.jpg">原图</a>' in page  # not the HEIC
    assert ".heic" not in page
    for path in folder.iterdir():
        with Image.open(path) as image:
            assert image.format in ("JPEG", "WEBP")
            assert not {GPS, MODEL} & set(image.getexif())
            assert image.height > image.width  # upright
            rgb = image.convert("RGB")
            top = rgb.getpixel((image.width // 2, image.height // 10))
            assert isinstance(top, tuple) and top[0] > 200 > top[2]  # red on top: turned right

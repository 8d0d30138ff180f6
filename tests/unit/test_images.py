"""Pictures: their sizes as read from the file, the copies planned for
them, the markup a page shows, and copies made upright and without the
photo's metadata."""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from sitegen.core.images import (
    ImageError,
    ImageInfo,
    Variant,
    picture,
    picture_html,
    probe,
    resize,
)
from sitegen.core.markdown import render_markdown
from sitegen.core.messages import translate
from sitegen.engine.pictures import Job, make_images

ORIENTATION, GPS_INFO = 0x0112, 0x8825


def photo(path: Path, size: tuple[int, int], orientation: int = 1, gps: bool = False) -> Path:
    """A JPEG whose left half is red and right half blue, as a phone saves
    it: with an EXIF orientation and, if asked, where it was taken."""
    image = Image.new("RGB", size, (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    if gps:
        exif[GPS_INFO] = {1: "N", 2: (30.0, 49.0, 0.0)}
    image.save(path, "JPEG", exif=exif.tobytes(), quality=95)
    return path


def test_probe_reads_the_size_and_turns_a_sideways_photo_upright(tmp_path: Path) -> None:
    upright = probe(photo(tmp_path / "a.jpg", (400, 300)), "a.jpg")
    sideways = probe(photo(tmp_path / "b.jpg", (400, 300), orientation=6), "b.jpg")
    digest = hashlib.sha256((tmp_path / "a.jpg").read_bytes()).hexdigest()
    assert upright == ImageInfo("a.jpg", 400, 300, "jpeg", resizable=True, digest=digest)
    assert sideways is not None and (sideways.width, sideways.height) == (300, 400)


def test_probe_reads_svg_sizes_from_attributes_or_view_box(tmp_path: Path) -> None:
    sized = tmp_path / "a.svg"
    sized.write_text('<?xml version="1.0"?>\n<svg width="320px" height="180" viewBox="0 0 1 1"/>')
    boxed = tmp_path / "b.svg"
    boxed.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 160 90"></svg>')
    bare = tmp_path / "c.svg"
    bare.write_text("<svg></svg>")
    found = {
        name: replace(info, digest="")
        for name in ("a.svg", "b.svg", "c.svg")
        if (info := probe(tmp_path / name, name)) is not None
    }
    assert found == {
        "a.svg": ImageInfo("a.svg", 320, 180, "svg", resizable=False),
        "b.svg": ImageInfo("b.svg", 160, 90, "svg", resizable=False),
        "c.svg": ImageInfo("c.svg", 0, 0, "svg", resizable=False),
    }


def test_probe_tells_a_damaged_picture_from_a_file_that_is_no_picture(tmp_path: Path) -> None:
    damaged = tmp_path / "photo.jpg"
    damaged.write_bytes(b"\xff\xd8 not really a JPEG")
    text = tmp_path / "x.svg"
    text.write_text("just text")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(ImageError, match="damaged or not a picture"):
        probe(damaged, "photo.jpg")
    with pytest.raises(ImageError, match="no <svg> element"):
        probe(text, "x.svg")
    assert probe(pdf, "report.pdf") is None


def test_a_gif_is_shown_as_it_is(tmp_path: Path) -> None:
    Image.new("P", (50, 40)).save(tmp_path / "a.gif")
    info = probe(tmp_path / "a.gif", "a.gif")
    assert info is not None and not info.resizable
    pic = picture(info, "/media/0a1b/")
    assert (pic.width, pic.height, pic.variants) == (50, 40, ())
    assert pic.href == "/media/0a1b/a.gif" and pic.clean is None  # the file as it is


@pytest.mark.parametrize(
    ("width", "widths"),
    [(4000, [480, 800, 1200, 1600]), (1000, [480, 800, 1000]), (300, [300]), (800, [480, 800])],
)
def test_copies_are_never_larger_than_the_original(width: int, widths: list[int]) -> None:
    pic = picture(ImageInfo("photos/hall.jpg", width, width // 2, "jpeg", resizable=True))
    assert [v.width for v in pic.copies("webp")] == widths
    assert [v.width for v in pic.copies("jpeg")] == widths
    # named after the picture, without the folders of the article's folder
    assert pic.copies("webp")[0].name == f"hall-{widths[0]}w.webp"
    assert (pic.width, pic.height) == (widths[-1], widths[-1] // 2)


def test_transparent_pictures_fall_back_to_png_and_photos_to_jpeg() -> None:
    drawing = picture(ImageInfo("logo.webp", 900, 300, "webp", resizable=True, alpha=True))
    snapshot = picture(ImageInfo("shot.webp", 900, 300, "webp", resizable=True))
    assert drawing.fallback_format == "png"
    assert snapshot.fallback_format == "jpeg"


def test_the_shared_copy_is_a_jpeg_or_png_of_at_most_1200_pixels() -> None:
    big = picture(ImageInfo("a.jpg", 4000, 3000, "jpeg", resizable=True))
    small = picture(ImageInfo("b.png", 600, 300, "png", resizable=True))
    drawing = picture(ImageInfo("c.svg", 800, 450, "svg", resizable=False))
    assert big.share() == Variant("a-1200w.jpg", 1200, 900, "jpeg")
    assert small.share() == Variant("b-600w.png", 600, 300, "png")
    assert drawing.share() is None


def test_markup_offers_webp_first_with_a_size_that_keeps_the_page_still() -> None:
    pic = picture(ImageInfo("hall.jpg", 2000, 1000, "jpeg", resizable=True))
    shown = picture_html(pic, 'The "new" hall <east>')
    assert shown.startswith('<picture><source type="image/webp" srcset="hall-480w.webp 480w, ')
    assert 'srcset="hall-480w.jpg 480w, hall-800w.jpg 800w, ' in shown
    assert 'src="hall-800w.jpg"' in shown  # modest, for a browser without srcset
    assert 'sizes="(min-width: 45rem) 42rem, 100vw"' in shown
    assert 'width="1600" height="800"' in shown
    assert 'alt="The &quot;new&quot; hall &lt;east&gt;"' in shown
    assert 'loading="lazy"' in shown
    assert 'loading="lazy"' not in picture_html(pic, "x", lazy=False)


def test_markup_points_at_the_media_folder_under_the_base_path() -> None:
    info = ImageInfo("photos/微信 图片.jpg", 1000, 500, "jpeg", resizable=True, digest="ab")
    shown = picture_html(picture(info, "/media/0a1b/"), "大厅", base="/town")
    # one address for every page that shows it, the name made safe for srcset
    assert 'srcset="/town/media/0a1b/%E5%BE%AE%E4%BF%A1%20%E5%9B%BE%E7%89%87-480w.webp 480w' in (
        shown
    )
    assert 'src="/town/media/0a1b/%E5%BE%AE%E4%BF%A1%20%E5%9B%BE%E7%89%87-800w.jpg"' in shown


def test_a_picture_at_the_top_loads_at_once_and_the_rest_lazily() -> None:
    pics = {
        name: picture(ImageInfo(name, 1000, 500, "jpeg", resizable=True))
        for name in ("a.jpg", "b.jpg")
    }
    top = render_markdown("![大厅](a.jpg)\n\n文字\n\n![操场](b.jpg)\n", False, "/", pics).html
    low = render_markdown("一\n\n二\n\n三\n\n![大厅](a.jpg)\n", False, "/", pics).html
    assert top.count("loading=") == 1 and top.index('fetchpriority="high"') < top.index("b-")
    assert 'loading="lazy"' in low and "fetchpriority" not in low


def test_an_image_alone_in_a_paragraph_is_a_figure_with_its_title_as_caption() -> None:
    pics = {"a.jpg": picture(ImageInfo("a.jpg", 1000, 500, "jpeg", resizable=True))}
    alone = render_markdown('![大厅](a.jpg "新落成的学习大厅")\n', False, "/", pics).html
    inline = render_markdown('见图 ![大厅](a.jpg "大厅") 所示\n', False, "/", pics).html
    assert alone.startswith('<figure class="figure"><picture>')
    assert alone.rstrip().endswith("<figcaption>新落成的学习大厅</figcaption></figure>")
    assert inline.startswith("<p>见图 <picture>") and 'title="大厅"' in inline


def test_copies_are_upright_and_carry_no_location(tmp_path: Path) -> None:
    source = photo(tmp_path / "a.jpg", (400, 200), orientation=6, gps=True)
    data = resize(source, Variant("a-100w.jpg", 100, 200, "jpeg"))
    copy = Image.open(io.BytesIO(data))
    assert copy.size == (100, 200)
    # turned a quarter clockwise: the left half (red) is now on top
    top, bottom = copy.getpixel((50, 20)), copy.getpixel((50, 180))
    assert isinstance(top, tuple) and isinstance(bottom, tuple)
    assert top[0] > 200 > top[2] and bottom[2] > 200 > bottom[0]
    assert dict(copy.getexif()) == {}


def test_a_transparent_picture_as_jpeg_lies_on_white(tmp_path: Path) -> None:
    source = tmp_path / "logo.png"
    Image.new("RGBA", (40, 20), (0, 0, 0, 0)).save(source)
    copy = Image.open(io.BytesIO(resize(source, Variant("logo-20w.jpg", 20, 10, "jpeg"))))
    assert copy.mode == "RGB" and copy.getpixel((10, 5)) == (255, 255, 255)


def test_copies_come_from_the_cache_and_a_damaged_entry_is_made_again(tmp_path: Path) -> None:
    source = photo(tmp_path / "a.jpg", (1000, 500))
    jobs = {
        f"{lang}a-480w.webp": job
        for lang in ("", "en/")
        for job in [Job(source, Variant("a-480w.webp", 480, 240, "webp"))]
    }
    cache = tmp_path / "cache"

    first = make_images(jobs, cache)
    second = make_images(jobs, cache)
    entry = first.files["a-480w.webp"]
    good = entry.read_bytes()
    entry.write_bytes(good[: len(good) // 2])  # a disk that lost half the file
    third = make_images(jobs, cache)

    assert first.made == 1  # once for both languages
    assert first.files["a-480w.webp"] == first.files["en/a-480w.webp"]
    assert second.made == 0 and second.files == first.files
    assert third.made == 1 and third.files["a-480w.webp"].read_bytes() == good
    assert Image.open(third.files["a-480w.webp"]).size == (480, 240)


def test_long_picture_work_says_how_far_it_is_in_the_editors_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sitegen.engine.pictures._EVERY", 0.0)  # a line after every picture
    jobs = {
        f"{name}-480w.webp": Job(photo(tmp_path / f"{name}.jpg", (800, 600)), variant)
        for name in ("a", "b", "c")
        for variant in [Variant(f"{name}-480w.webp", 480, 360, "webp")]
    }
    said: list[str] = []
    made = make_images(jobs, tmp_path / "cache", workers=1, progress=said.append)
    assert made.made == 3
    assert said == ["pictures 1/3", "pictures 2/3"]  # the last is said by the build's summary
    assert [translate("progress", line, "zh") for line in said] == ["图片 1/3", "图片 2/3"]

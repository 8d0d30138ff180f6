"""The WeChat copy of an article (sitegen export wechat, and the preview's
复制到公众号): what the 公众号 editor keeps of it is what the reader of the
website reads, styled inline, with every picture at its published address;
what WeChat would not take is said at its line. And the card of a shared
link: every page names a square picture of at least 300 px."""

from __future__ import annotations

import os
import random
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

import sitegen.wechat as wechat
from sitegen.build import BuildOptions, build
from sitegen.cli import main
from sitegen.core.config import load_config
from sitegen.core.diagnostics import Diagnostics
from tests.helpers import REPO

BASE = "https://example.org/"
SAMPLE = "content/news/2020-04-29-phone-class"

SAMPLE_TEXT = """\
---
title: 社区学院开办老年人智能手机培训班
date: 2020-04-29
source: 新都社区教育学院
summary: 学院开办老年人智能手机培训班，帮助老人跨越数字鸿沟。
---
为帮助老年人跨越“数字鸿沟”，学院开办智能手机培训班，[报名须知](https://example.org/signup/)见学院网站，
往期报道见[蒲江社教同仁来访](/news/2020/04/pujiang-visit/)。\
咨询邮箱 [xdsq@example.org](mailto:xdsq@example.org)。公众号上有[报名指南](https://mp.weixin.qq.com/s/xdsq-signup)。

## 课程安排

| 周次 | 内容 |
| --- | --- |
| 第一周 | 微信视频通话 |
| 第二周 | 手机支付与防诈骗 |

1. 报名后领取学员证
2. 每周六上午上课

- 带好手机
- 带好充电器

> 学员王阿姨说：“学会了视频通话，能天天看到孙子了。”

![学员在老师指导下练习视频通话](photo.jpg "学员练习视频通话")

课程表见附件[课程表](schedule.pdf)，费用由学院承担[^1]。

## 附：各镇街报名人数

| 镇街 | 2019年报名人数 | 2020年报名人数 | 增长 | 联系人 | 联系电话 |
| --- | --- | --- | --- | --- | --- |
| 新都街道 | 120 | 150 | 25% | 李老师 | 028-83961234 |

![教室平面图](plan.svg)

![课堂动图](class.gif)

[^1]: 经费来自2020年社区教育项目经费。
"""

# the lines of the sample the 公众号 editor would not take, as export says them
WARNINGS = [
    f"{SAMPLE}/index.zh.md:31:1: warning: this table is about 450 px wide at the least, "
    "with 6 columns; a WeChat article is 340 px wide on a phone, so readers of the 公众号 "
    "copy must scroll it sideways [wechat-wide-table]",
    f"{SAMPLE}/index.zh.md:35:1: warning: the picture 'plan.svg' is an SVG drawing, which "
    "the 公众号 editor does not take [wechat-svg]",
    f"{SAMPLE}/index.zh.md:37:1: warning: the animated picture 'class.gif' is {{size}} MB; "
    "the 公众号 editor takes a GIF of at most 5 MB [wechat-gif-large]",
]


def _gif(path: Path, size: int) -> None:
    """An animated GIF of noise, ``size`` bytes or a little more: noise does not compress."""
    rng = random.Random(7)
    frames = []
    while len(frames) * 250 * 250 < size:
        frame = Image.frombytes("P", (250, 250), rng.randbytes(250 * 250))
        frame.putpalette([rng.randrange(256) for _ in range(768)])
        frames.append(frame)
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert path.stat().st_size > size


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site, with a report that uses everything the copy must carry."""
    root = tmp_path_factory.mktemp("wechat") / "site"
    root.mkdir()
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    shutil.copytree(REPO / "content", root / "content")
    folder = root / SAMPLE
    folder.mkdir()
    (folder / "index.zh.md").write_text(SAMPLE_TEXT, encoding="utf-8")
    photo = Image.linear_gradient("L").resize((1600, 1000)).convert("RGB")
    photo.save(folder / "photo.jpg", quality=85)
    (folder / "plan.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">'
        '<rect width="400" height="300" fill="#eee"/></svg>',
        encoding="utf-8",
    )
    _gif(folder / "class.gif", 6 * 1024 * 1024)
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"
    (folder / "schedule.pdf").write_bytes(pdf)
    return root


@pytest.fixture(scope="module")
def out(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    built = tmp_path_factory.mktemp("wechat-out") / "out"
    assert main(["build", os.fspath(site), "--out", os.fspath(built), "--no-search", "-q"]) == 0
    return built


@pytest.fixture(scope="module")
def copies(site: Path) -> dict[str, wechat.WeChatCopy]:
    """Every article's WeChat copy, by the address of its page."""
    result = build(site, BuildOptions(write=False, keep=True, search=False))
    assert result.ok
    config = load_config(site, Diagnostics())
    assert config is not None
    pages = wechat.article_pages(result)
    assert len(pages) == 9  # the four reports in both languages, and the sample
    return {url: wechat.make(result, page, site, config) for url, page in pages.items()}


class Elements(HTMLParser):
    """Each element of a piece of HTML: its tag and attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {name: value or "" for name, value in attrs}))


def elements(fragment: str) -> list[tuple[str, dict[str, str]]]:
    parser = Elements()
    parser.feed(fragment)
    return parser.found


class Blocks(HTMLParser):
    """The text of each paragraph-like block of a piece of HTML, in order."""

    BLOCKS = ("p", "h1", "h2", "h3", "h4", "li", "figcaption", "td", "th", "blockquote")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[list[str]] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = dict(attrs).get("class") or ""
        if "footnote-backref" in classes:
            self.skip += 1
        if tag in self.BLOCKS:
            self.blocks.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if self.blocks and not self.skip:
            self.blocks[-1].append(data)


def block_texts(fragment: str) -> list[str]:
    parser = Blocks()
    parser.feed(fragment)
    texts = (" ".join("".join(block).split()) for block in parser.blocks)
    return [text for text in texts if text]


def reading(page_html: str) -> str:
    """What the reader of the website reads of the report: its text, its
    pictures and their captions, and its attachments; not the links to
    other pages that follow them."""
    start = page_html.index('<div class="prose">')
    ends = (
        '<nav class="series-box"',
        '<aside class="article-records"',
        '<footer class="article-tags"',
        '<figure class="share-qr',
        '<p class="print-only',
    )
    end = min(i for i in (page_html.find(e, start) for e in ends) if i >= 0)
    return page_html[start:end]


# An address written after a link's text, as the copy shows it.
ADDRESS = re.compile(r"（(?:https?://|[\w.]+@)[^（）]*）")


def test_the_copy_keeps_only_what_the_editor_keeps(copies: dict[str, wechat.WeChatCopy]) -> None:
    for url, made in copies.items():
        assert made.copy is not None, url
        shown = made.copy.html
        for kept in ("<style", "<script", " class=", " id=", "<div", "<picture", "<source"):
            assert kept not in shown, f"{url}: {kept}"
        # no link but to another 公众号 article, the only kind the editor keeps
        links = re.findall(r'<a href="([^"]*)"', shown)
        assert all(href.startswith("https://mp.weixin.qq.com/") for href in links), url
        assert shown.count("<a ") == len(links), url
        for tag, attrs in elements(shown):
            if tag != "br":
                assert attrs.get("style"), f"{url}: <{tag}> has no style of its own"


def test_pictures_are_at_their_published_addresses(
    copies: dict[str, wechat.WeChatCopy], out: Path
) -> None:
    pictures = 0
    for url, made in copies.items():
        assert made.copy is not None
        for tag, attrs in elements(made.copy.html):
            if tag != "img":
                continue
            pictures += 1
            src = attrs["src"]
            assert src.startswith(BASE), f"{url}: {src} is not at the published address"
            assert (out / src.removeprefix(BASE)).is_file(), f"{url}: {src} is not published"
            assert src.endswith((".jpg", ".png", ".svg", ".gif")), f"{url}: {src}"
    assert pictures >= 4  # the studio meeting's in both languages, and the sample's photo


def test_the_copy_says_all_the_report_says(copies: dict[str, wechat.WeChatCopy], out: Path) -> None:
    """Every paragraph, heading, list item, caption, table cell and
    attachment of the page is in the copy, in order, and the copy adds
    nothing to them but the addresses of the links (spaces aside)."""
    for url, made in copies.items():
        assert made.copy is not None
        page = (out / url.lstrip("/") / "index.html").read_text(encoding="utf-8")
        wanted = ["".join(text.split()) for text in block_texts(reading(page))]
        body = re.search(r"</p>\n(<section.*</section>)\n<p", made.copy.html, re.S)
        assert body, url
        got = ["".join(ADDRESS.sub("", text).split()) for text in block_texts(body.group(1))]
        assert got == wanted, url
        assert len(wanted) >= 3, url


def test_links_become_text_with_their_address(copies: dict[str, wechat.WeChatCopy]) -> None:
    made = copies["/news/2020/04/phone-class/"]
    assert made.copy is not None
    text = made.copy.text
    assert "报名须知（https://example.org/signup/）见学院网站" in text
    assert "蒲江社教同仁来访（https://example.org/news/2020/04/pujiang-visit/）" in text
    assert "咨询邮箱 xdsq@example.org。" in text  # the text is the address: said once
    assert "公众号上有报名指南。" in text  # a link the editor keeps, as a link
    assert re.search(
        r'<a href="https://mp\.weixin\.qq\.com/s/xdsq-signup" style="[^"]+">报名指南</a>',
        made.copy.html,
    )
    assert re.search(r"课程表（https://example\.org/media/\w+/schedule\.pdf）", text)
    assert "费用由学院承担[1]" in text and "经费来自2020年社区教育项目经费。" in text
    assert "↩" not in text
    assert text.rstrip().endswith(
        "本文同时发布在新都社区教育学院网站：\nhttps://example.org/news/2020/04/phone-class/"
    )
    lines = text.splitlines()
    assert lines[:2] == [
        "社区学院开办老年人智能手机培训班",
        "2020年4月29日 · 供稿：新都社区教育学院",
    ]


def test_lists_keep_their_items_whole(copies: dict[str, wechat.WeChatCopy]) -> None:
    made = copies["/news/2020/04/phone-class/"]
    assert made.copy is not None
    items = re.findall(r"<li style=[^>]*>(.*?)</li>", made.copy.html, re.S)
    # each item's text in a section of its own, or the editor breaks it into lines
    assert all(re.fullmatch(r"<section style=.*</section>\s*", item, re.S) for item in items)
    texts = [ADDRESS.sub("", " ".join(re.sub(r"<[^>]+>", "", item).split())) for item in items]
    # the two lists, the footnote, and the attachment
    assert texts == ["报名后领取学员证", "每周六上午上课", "带好手机", "带好充电器",
                     "经费来自2020年社区教育项目经费。", "schedule.pdf （PDF · 1 KB）"]  # fmt: skip


def test_the_photo_is_its_largest_copy_a_phone_needs(copies: dict[str, wechat.WeChatCopy]) -> None:
    made = copies["/news/2020/04/phone-class/"]
    assert made.copy is not None
    sources = [a["src"] for tag, a in elements(made.copy.html) if tag == "img"]
    assert re.fullmatch(r"https://example\.org/media/\w+/photo-1200w\.jpg", sources[0])
    assert "<figcaption" in made.copy.html and "学员练习视频通话</figcaption>" in made.copy.html


def test_export_writes_the_copy_and_says_what_wechat_would_not_take(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    copies: dict[str, wechat.WeChatCopy],
) -> None:  # fmt: skip
    target = tmp_path / "copy.html"
    code = main(["export", "wechat", os.fspath(site / SAMPLE), "--out", os.fspath(target),
                 "--lang", "en"])  # fmt: skip
    said = capsys.readouterr()
    assert code == 0
    warnings = [line for line in said.err.splitlines() if ": warning: " in line]
    size = (site / SAMPLE / "class.gif").stat().st_size / 1024 / 1024
    assert warnings == [line.replace("{size}", f"{size:.1f}") for line in WARNINGS]
    assert f"wrote the WeChat copy to {target}" in said.out
    written = target.read_text(encoding="utf-8")
    made = copies["/news/2020/04/phone-class/"]
    assert made.copy is not None and made.copy.html in written
    assert '<meta charset="utf-8">' in written and "<title>社区学院开办" in written


def test_export_speaks_chinese_and_picks_the_language(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.chdir(tmp_path)
    article = site / "content/news/2020-04-27-pujiang-visit.zh.md"
    assert main(["export", "wechat", os.fspath(article), "--in", "en", "--lang", "zh"]) == 0
    said = capsys.readouterr()
    assert "已把公众号稿写入 pujiang-visit.wechat.en.html" in said.out
    written = (tmp_path / "pujiang-visit.wechat.en.html").read_text(encoding="utf-8")
    assert 'lang="en"' in written and "Also published on the website of" in written
    assert main(["export", "wechat", os.fspath(site / SAMPLE), "--lang", "zh"]) == 0
    said = capsys.readouterr()
    svg = "警告: 图片“plan.svg”是 SVG 矢量图，公众号编辑器不接受这种图片"
    assert f"{SAMPLE}/index.zh.md:35:1: {svg}" in said.err
    assert "提示: 请另存一份 PNG 图片并在文中改用它" in said.err


def test_export_refuses_what_is_no_article(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "wechat", os.fspath(site / "site.yaml"), "--lang", "zh"]) == 2
    assert "不是本网站的新闻文章" in capsys.readouterr().err
    assert main(["export", "wechat", os.fspath(site / SAMPLE), "--in", "en", "--lang", "en"]) == 2
    assert f"{site / SAMPLE} has no version in 'en'" in capsys.readouterr().err


def test_export_needs_the_published_address(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bare = tmp_path / "bare"
    shutil.copytree(site, bare)
    config = bare / "site.yaml"
    config.write_text(
        re.sub(r"(?m)^base_url:.*\n", "", config.read_text(encoding="utf-8")), encoding="utf-8"
    )
    assert main(["export", "wechat", os.fspath(bare / SAMPLE), "--lang", "en",
                 "--out", os.fspath(tmp_path / "x.html")]) == 1  # fmt: skip
    err = capsys.readouterr().err
    assert "site.yaml: error: the WeChat copy names its pictures at the site's published" in err
    assert not (tmp_path / "x.html").exists()


def test_the_published_site_has_no_copy_control(out: Path) -> None:
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "wechat.js" not in text and "复制到公众号" not in text, page


# --- the card of a shared link --------------------------------------------


def test_every_page_names_a_square_picture_for_its_card(out: Path) -> None:
    for page in out.rglob("index.html"):
        if "admin" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        found = re.search(r'<meta itemprop="image" content="([^"]+)">', text)
        assert found, f"{page}: no picture for a shared link"
        picture = out / found.group(1).removeprefix(BASE)
        with Image.open(picture) as image:
            width, height = image.size
        assert width == height >= 300, f"{page}: {picture.name} is {width}×{height}"
        assert f'<meta property="og:image" content="{found.group(1)}">' in text
        assert re.search(r'<meta itemprop="name" content="[^"]+">', text)
        assert re.search(r'<meta itemprop="description" content="[^"]+">', text)


def test_an_article_card_shows_its_own_picture_cut_square(out: Path) -> None:
    text = (out / "news/2020/04/phone-class/index.html").read_text(encoding="utf-8")
    square = re.search(
        rf'itemprop="image" content="{re.escape(BASE)}(media/\w+/photo-square\.jpg)"', text
    )
    assert square, "the article's card does not show its photo"
    with Image.open(out / square.group(1)) as image:
        assert image.size == (600, 600)
        # the middle of the photo: a left-to-right gradient, cut from its centre
        assert image.convert("L").getpixel((0, 300)) > 40
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'itemprop="image" content="https://example.org/assets/share.png"' in home


def test_a_site_logo_is_the_card_of_pages_without_a_picture(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    config = (REPO / "site.yaml").read_text(encoding="utf-8")
    (site / "site.yaml").write_text(config + "logo: logo.png\n", encoding="utf-8")
    Image.new("RGB", (400, 160), "#0b3a60").save(site / "logo.png")
    out = tmp_path / "out"
    assert main(["build", os.fspath(site), "--out", os.fspath(out), "--no-search", "-q"]) == 0
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'itemprop="image" content="https://example.org/share.jpg"' in home
    with Image.open(out / "share.jpg") as image:
        assert image.size == (600, 600)
        rgb = image.convert("RGB")
        assert rgb.getpixel((300, 5)) == (255, 255, 255)  # laid on white: nothing cut off
        assert rgb.getpixel((300, 300))[2] > 80 > rgb.getpixel((300, 300))[0]


def test_export_says_when_the_pictures_are_not_published_yet(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = tmp_path / "draft"
    shutil.copytree(site, draft)
    article = draft / "content/news/2020-04-28-studio-meeting/index.zh.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("date: 2020-04-28\n", "date: 2020-04-28\ndraft: true\n"))
    target = tmp_path / "draft.html"
    assert main(["export", "wechat", os.fspath(article), "--out", os.fspath(target)]) == 0
    err = capsys.readouterr().err
    assert (
        "content/news/2020-04-28-studio-meeting/index.zh.md: note: this article is not on the "
        "website yet (a draft), so the 公众号 editor cannot fetch its pictures from there"
    ) in err
    assert target.is_file()


def test_check_reports_what_wechat_would_not_take_when_asked(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", os.fspath(site), "--lang", "en"]) == 0
    assert "wechat-" not in capsys.readouterr().out  # only for a college that posts there
    assert main(["check", os.fspath(site), "--wechat", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    size = (site / SAMPLE / "class.gif").stat().st_size / 1024 / 1024
    found = [line for line in out.splitlines() if "[wechat-" in line]
    assert found == [line.replace("{size}", f"{size:.1f}") for line in WARNINGS]
    assert out.splitlines()[-1] == "checked: 0 errors, 3 warnings"

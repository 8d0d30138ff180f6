"""An editor who does not use git writes in the browser editor at /admin/ of
``sitegen serve --admin``: a new report typed in Chinese with an input
method, with a picture, its description and the English translation, and
a new honour of a team. Each save lands in the site folder with the names
the build expects, the preview server's next build shows it, and the
editor asks nothing of any other host on the way.

Sveltia CMS edits local files only through a folder the editor picks in
the browser's own dialog, which headless Chromium cannot answer: the test
hands it a folder in the page's private storage (OPFS) holding the site's
files, and copies back to the site folder what the editor wrote there.
"""

from __future__ import annotations

import base64
import datetime
import io
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from PIL import Image
from sitepages import DESKTOP, REPO_ROOT, example_copy

from sitegen.serve import Server

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/admin-shots")

SLUG = "can-guan-xin-du-she-qu-xue-yuan"  # the title in pinyin, as the form names it
DATE = datetime.date(2021, 6, 18)
TITLE = "参观新都社区学院"
TITLE_TYPED = [("canguan", "参观"), ("xindu", "新都"), ("shequ", "社区"), ("xueyuan", "学院")]
TITLE_EN = "A visit to Xindu Community College"
BODY = "市民代表参观了新都社区学院的书画班。\n\n大家都说收获很多。"
BODY_EN = "Residents visited the calligraphy class of Xindu Community College."
PICTURE = "visit.jpg"
ALT = "市民在书画班看学员练字"
ALT_EN = "Residents watching learners practise calligraphy"

TEAM = "xinfan-calligraphy-painting"
HONOUR = "2021年度优秀市民自主学习团队"
HONOUR_EN = "Excellent Citizens' Self-Learning Team 2021"

# The native folder picker answered with a folder of the page's private
# storage, which the test fills with the site's files beforehand.
PICK_FROM_STORAGE = """
window.showDirectoryPicker = async () =>
  (await navigator.storage.getDirectory()).getDirectoryHandle("site", {create: true});
"""
FILL_STORAGE = """async (files) => {
  const root = await (await navigator.storage.getDirectory())
    .getDirectoryHandle("site", {create: true});
  for (const [path, data] of Object.entries(files)) {
    const parts = path.split("/");
    let folder = root;
    for (const part of parts.slice(0, -1)) {
      folder = await folder.getDirectoryHandle(part, {create: true});
    }
    const file = await folder.getFileHandle(parts.at(-1), {create: true});
    const writer = await file.createWritable();
    await writer.write(Uint8Array.from(atob(data), c => c.charCodeAt(0)));
    await writer.close();
  }
}"""
READ_STORAGE = """async () => {
  const files = {};
  async function walk(folder, prefix) {
    for await (const [name, handle] of folder.entries()) {
      if (handle.kind === "directory") {
        await walk(handle, prefix + name + "/");
      } else {
        const bytes = new Uint8Array(await (await handle.getFile()).arrayBuffer());
        let text = "";
        for (const b of bytes) text += String.fromCharCode(b);
        files[prefix + name] = btoa(text);
      }
    }
  }
  await walk(await (await navigator.storage.getDirectory()).getDirectoryHandle("site"), "");
  return files;
}"""


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    site = example_copy(tmp_path / "site")
    running = Server(site, port=0, admin=True)
    running.start()
    yield running
    running.stop()


def test_an_article_and_an_honour_written_in_the_form_are_published(
    new_page: Any, server: Server, tmp_path: Path
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    picture = tmp_path / PICTURE
    picture.write_bytes(small_jpeg())
    page = new_page(DESKTOP)
    page.add_init_script(PICK_FROM_STORAGE)
    page.goto(server.url + "admin/")
    use_local = page.get_by_role("button", name="使用本地仓库")
    use_local.wait_for()
    page.evaluate(FILL_STORAGE, site_files(server.site_dir))
    use_local.click()

    write_article(page, picture)
    written = copy_back(page, server.site_dir)
    folders = list((server.site_dir / "content" / "news").glob(f"*-{SLUG}"))
    assert len(folders) == 1, f"the editor wrote {written}"
    folder = folders[0]
    rel = folder.relative_to(server.site_dir).as_posix()
    assert written == sorted(f"{rel}/{name}" for name in ("index.zh.md", "index.en.md", PICTURE))
    assert (folder / PICTURE).read_bytes() == picture.read_bytes()
    meta, text = front_matter(folder / "index.zh.md")
    assert meta["title"] == TITLE
    assert meta["date"] == DATE
    assert meta["slug"] == SLUG
    assert meta["images"] == [{"src": PICTURE, "alt": ALT}]
    assert text == BODY
    meta, text = front_matter(folder / "index.en.md")
    assert meta["title"] == TITLE_EN
    assert meta["images"] == [{"src": PICTURE, "alt": ALT_EN}]
    assert text == BODY_EN

    # the address has the day of the news, whatever the folder is called
    article = f"news/{DATE:%Y}/{DATE:%m}/{SLUG}/"
    news = visit(new_page, server.url + article)
    news.get_by_role("heading", level=1, name=TITLE, exact=True).wait_for()
    news.locator(f'main img[alt="{ALT}"]').wait_for()
    news.screenshot(path=SHOTS / "news-page.png", full_page=True)
    news = visit(new_page, server.url + "en/" + article)
    news.get_by_role("heading", level=1, name=TITLE_EN, exact=True).wait_for()
    news.locator(f'main img[alt="{ALT_EN}"]').wait_for()

    add_honour(page)
    team_file = f"content/teams/{TEAM}.yaml"
    assert copy_back(page, server.site_dir) == [team_file]
    before = yaml.safe_load((REPO_ROOT / team_file).read_text(encoding="utf-8"))
    honour = {"year": 2021, "title": {"zh": HONOUR, "en": HONOUR_EN}}
    after = yaml.safe_load((server.site_dir / team_file).read_text(encoding="utf-8"))
    assert after == {**before, "honours": [*before["honours"], honour]}
    honours = visit(new_page, server.url + "teams/honours/2021/")
    group = honours.locator(".honour-group").filter(
        has=honours.get_by_role("heading", name=HONOUR, exact=True)
    )
    link = group.get_by_role("link", name="新繁书画院", exact=True)
    assert link.get_attribute("href").endswith(f"/teams/{TEAM}/")
    honours.screenshot(path=SHOTS / "honours-page.png", full_page=True)

    others = elsewhere(page.traffic.requests)
    assert not others, f"the editor asked other hosts for: {others}"
    assert not page.traffic.errors, f"script errors: {page.traffic.errors}"
    assert not page.traffic.bad_responses, f"not found or failed: {page.traffic.bad_responses}"


def write_article(page: Any, picture: Path) -> None:
    """Write the new article in the form, its title and text in Chinese
    through an input method, with ``picture``, and its translation in the
    English pane beside; save it."""
    ime = page.context.new_cdp_session(page)
    page.get_by_role("button", name="创建新条目").click()
    page.locator("#second-pane-header [role=radio][value=en]").click()
    zh, en = edit_pane(page, "zh"), edit_pane(page, "en")
    title = field(zh, "title").locator("input")
    focus(title)
    for pinyin, chinese in TITLE_TYPED:
        compose(ime, pinyin, chinese)
    assert title.input_value() == TITLE
    assert field(zh, "slug").locator("input").input_value() == SLUG, "named after the title"
    field(zh, "date").locator("input[type=date]").fill(DATE.isoformat())
    field(en, "title").locator("input").fill(TITLE_EN)
    page.screenshot(path=SHOTS / "news-form-top.png")

    add_item(field(zh, "images"))
    field(zh, "images.0.src").locator("input[type=file]").first.set_input_files(picture)
    field(zh, "images.0.src").get_by_text(PICTURE).wait_for()
    field(zh, "images.0.alt").locator("input").fill(ALT)
    field(en, "images.0.alt").locator("input").fill(ALT_EN)
    page.screenshot(path=SHOTS / "news-form-picture.png")

    body = field(zh, "body").locator("[contenteditable=true]")
    focus(body)
    compose(ime, "shimin", "市民")
    page.keyboard.type("代表参观了")
    compose(ime, "xindu", "新都")
    page.keyboard.type("社区学院的书画班。")
    page.keyboard.press("Enter")
    compose(ime, "dajia", "大家")
    page.keyboard.type("都说收获很多。")
    assert body.inner_text() == BODY
    focus(field(en, "body").locator("[contenteditable=true]"))
    page.keyboard.type(BODY_EN)
    page.screenshot(path=SHOTS / "news-form-body.png")
    save(page)


def add_honour(page: Any) -> None:
    """Open the team's record in the form, add the honour and save it."""
    page.get_by_role("treeitem", name="学习团队").click()
    page.get_by_text("新繁书画院").click()
    record = edit_pane(page, "")
    add_item(field(record, "honours"))
    field(record, "honours.1.year").locator("input").fill("2021")
    field(record, "honours.1.title.zh").locator("input").fill(HONOUR)
    field(record, "honours.1.title.en").locator("input").fill(HONOUR_EN)
    page.screenshot(path=SHOTS / "team-form.png")
    save(page)


def small_jpeg() -> bytes:
    """A photo-sized JPEG of two colours, made for the test."""
    image = Image.new("RGB", (640, 480), (200, 120, 40))
    image.paste((40, 90, 160), (0, 240, 640, 480))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def site_files(site: Path) -> dict[str, str]:
    """The site's files, base64-encoded by path, and the ``.git`` folder the
    editor looks for to accept a folder as a repository."""
    files = {
        path.relative_to(site).as_posix(): base64.b64encode(path.read_bytes()).decode()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }
    files[".git/HEAD"] = base64.b64encode(b"ref: refs/heads/main\n").decode()
    return files


def copy_back(page: Any, site: Path) -> list[str]:
    """Write to ``site`` the files the editor added or changed in its folder
    of the page's storage; their paths."""
    written = []
    for rel, data in page.evaluate(READ_STORAGE).items():
        if rel.startswith(".git/"):
            continue
        content = base64.b64decode(data)
        target = site / rel
        if not target.is_file() or target.read_bytes() != content:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            written.append(rel)
    return sorted(written)


def edit_pane(page: Any, lang: str) -> Any:
    """The form of one language (``""``: of a record, which has one form)."""
    locale = f"[data-locale={lang}]" if lang else ""
    pane = page.locator(f"[data-mode=edit]{locale}")
    pane.first.wait_for()
    return pane


def field(pane: Any, key: str) -> Any:
    """The field of ``pane`` at ``key`` ("title", "images.0.alt"). The form
    draws its fields as they scroll into view: it is scrolled until the
    field is there."""
    found = pane.locator(f'section[data-key-path="{key}"]')
    deadline = time.monotonic() + 10
    while found.count() == 0:
        assert time.monotonic() < deadline, f"the form has no field {key}"
        pane.locator("section[data-key-path]").last.scroll_into_view_if_needed()
        pane.page.wait_for_timeout(100)
    return found


def add_item(list_field: Any) -> None:
    """Press the 添加 button of a list field, which adds an item at its end."""
    list_field.locator("button", has_text="添加").last.click()


def focus(target: Any) -> None:
    """Click into a text field, as a person does before typing; an input
    method composing at once would lose its first letter."""
    target.click()
    target.page.wait_for_timeout(300)


def compose(ime: Any, pinyin: str, chinese: str) -> None:
    """Type ``chinese`` as a pinyin input method does: the letters shown
    as they are typed, then replaced by the characters chosen."""
    for end in range(1, len(pinyin) + 1):
        shown = {"text": pinyin[:end], "selectionStart": end, "selectionEnd": end}
        ime.send("Input.imeSetComposition", shown)
    ime.send("Input.insertText", {"text": chinese})


def save(page: Any) -> None:
    """Press 保存 and wait until the editor says the entry was saved; first
    until it no longer says so of the last entry saved."""
    saved = page.get_by_role("status").filter(has_text="条目已保存")
    saved.wait_for(state="hidden")
    page.get_by_role("button", name="保存", exact=True).click()
    saved.wait_for()


def front_matter(path: Path) -> tuple[dict[str, Any], str]:
    """An article's front matter, and its text without the blank lines
    around it."""
    _, head, text = path.read_text(encoding="utf-8").split("---\n", 2)
    meta: dict[str, Any] = yaml.safe_load(head)
    return meta, text.strip()


def visit(new_page: Any, url: str) -> Any:
    """A new page showing ``url`` once the preview server has built it. Not
    one page for all: a page left open reloads itself when the server has
    rebuilt the site, and would take the next address down with it."""
    wait_until_served(url)
    page = new_page(DESKTOP)
    page.goto(url)
    return page


def wait_until_served(url: str, seconds: float = 30) -> None:
    """Wait until the preview server's build has the page at ``url``."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError as error:
            if error.code != 404:
                raise
        assert time.monotonic() < deadline, f"{url} was not built within {seconds} s"
        time.sleep(0.25)


def elsewhere(requests: list[str]) -> list[str]:
    """The requests to any host other than this computer."""
    hosts = {"127.0.0.1", "localhost"}
    return [
        url
        for url in requests
        if not url.startswith("data:") and urlsplit(url.removeprefix("blob:")).hostname not in hosts
    ]

"""Paths an editor or an attacker may write: ../, absolute paths, Windows
separators, percent-encoding and device names in ids, slugs, pictures and
tags, and links that lead out of the site folder. Nothing outside the site
folder is read, and nothing outside the output folder is written."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from PIL import Image

from tests.adversarial.sites import (
    PLAIN,
    article,
    build,
    builds_with,
    fails_with,
    reads,
    write_site,
)
from tests.helpers import media_file

BUNDLE = "content/news/2020-04-27-visit"
INDEX = f"{BUNDLE}/index.zh.md"
NEWS = "content/news/2020-04-27-visit.zh.md"
FRONT = "title: 参观学习\ndate: 2020-04-27\n"
SECRET = b"sitegen-secret-outside-the-site"


def pixels(data: bytes) -> tuple[str, tuple[int, int], bytes]:
    """What a picture shows: the original published is a clean copy of it,
    not the same bytes."""
    with Image.open(io.BytesIO(data)) as image:
        return image.mode, image.size, image.tobytes()


def png() -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (24, 16), "red").save(data, "PNG")
    return data.getvalue()


def secret_beside(tmp_path: Path) -> Path:
    """A file outside the site folder that no build may read or publish."""
    secret = tmp_path / "secret.png"
    secret.write_bytes(SECRET)
    return secret


def assert_nothing_leaked(tmp_path: Path, out: Path) -> None:
    """The secret was not published, and nothing appeared beside the site
    and the output folder."""
    for path in out.rglob("*"):
        if path.is_file():
            assert SECRET not in path.read_bytes(), f"{path} holds the secret"
    assert sorted(p.name for p in tmp_path.iterdir()) <= ["out", "secret.png", "site"]


@pytest.mark.parametrize(
    "src",
    [
        "../secret.png",
        "../../../secret.png",
        "/etc/passwd",
        "%2e%2e/secret.png",
        "..%2Fsecret.png",
        "..\\\\secret.png",
        "C:\\\\Windows\\\\secret.png",
        "sub/../../secret.png",
    ],
)
def test_a_picture_outside_the_article_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], src: str
) -> None:
    secret_beside(tmp_path)
    body = f"![展厅一角]({src})\n\n![大厅](a.png)\n"  # a.png: what makes the folder a bundle
    outcome = build(tmp_path, capsys, {INDEX: article(FRONT, body), f"{BUNDLE}/a.png": png()})
    shown = src.replace("\\\\", "\\")
    decoded = re.sub("%2[eE]", ".", shown).replace("%2F", "/")
    fails_with(
        outcome,
        f"{INDEX}:6:1: error: image '{decoded}' must be a file in the article's own folder "
        "[bad-image-path]",
    )
    assert "hint: write just the file name, e.g. photo.jpg" in outcome.stderr
    assert_nothing_leaked(tmp_path, outcome.out)


@pytest.mark.parametrize("src", ["../secret.png", "/tmp/secret.png", "..\\secret.png"])
def test_a_front_matter_picture_outside_the_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], src: str
) -> None:
    front = FRONT + f"images:\n  - {{src: '{src}', alt: 展厅一角}}\n"
    shown = "![大厅](a.png)\n"
    outcome = build(tmp_path, capsys, {INDEX: article(front, shown), f"{BUNDLE}/a.png": png()})
    fails_with(
        outcome,
        f"{INDEX}:5:1: error: image '{src}' must be a file in the article's own folder "
        "[bad-image-path]",
    )


def test_a_picture_named_in_chinese_is_found_written_either_way(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = "![红色的图](照片.png)\n\n![同一张](%E7%85%A7%E7%89%87.png)\n"
    outcome = build(tmp_path, capsys, {INDEX: article(FRONT, body), f"{BUNDLE}/照片.png": png()})
    builds_with(outcome)
    page = outcome.page("news/2020/04/visit/index.html")
    assert page.count('alt="红色的图"') == 1 and page.count('alt="同一张"') == 1
    assert pixels(media_file(outcome.out, "照片.png").read_bytes()) == pixels(png())
    assert page.count("/%E7%85%A7%E7%89%87-24w.webp 24w") == 2  # both show the same copies


@pytest.mark.parametrize(
    ("slug", "suggestion"),
    [
        ("../../etc", "etc"),
        ("/absolute", "absolute"),
        ("a\\\\b", "a-b"),
        ("%2e%2e", "2e-2e"),
        ("Visit", "visit"),
    ],
)
def test_a_slug_that_is_not_a_plain_name_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], slug: str, suggestion: str
) -> None:
    outcome = build(tmp_path, capsys, {NEWS: article(FRONT + f'slug: "{slug}"\n')})
    shown = slug.replace("\\\\", "\\")
    fails_with(
        outcome, f"{NEWS}:4:1: error: slug '{shown}' may use only a-z, 0-9 and '-' [bad-slug]"
    )
    assert f"hint: write slug: {suggestion}" in outcome.stderr


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Xinfan.yaml", "the file name 'Xinfan' cannot be a record id: use a-z, 0-9 and '-'"),
        ("a%2fb.yaml", "the file name 'a%2fb' cannot be a record id: use a-z, 0-9 and '-'"),
        ("a..b.yaml", "the file name 'a..b' cannot be a record id: use a-z, 0-9 and '-'"),
    ],
)
def test_a_record_id_that_is_not_a_plain_name_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, message: str
) -> None:
    record = "name: {zh: 新繁书画院, en: Xinfan Academy}\n"
    outcome = build(tmp_path, capsys, {NEWS: PLAIN, f"content/teams/{name}": record})
    fails_with(outcome, f"content/teams/{name}:1:1: error: {message} [bad-id]")


def test_tags_written_as_paths_stay_inside_tags(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    front = FRONT + 'tags: ["../../x", "/etc/passwd", "..\\\\win", "%2e%2e", "index.html"]\n'
    outcome = build(tmp_path, capsys, {NEWS: article(front)})
    builds_with(outcome)
    tags = sorted(p.relative_to(outcome.out).as_posix() for p in outcome.out.glob("tags/*/"))
    assert tags == [
        "tags/2e-2e",
        "tags/etc-passwd",
        "tags/index-html",
        "tags/win",
        "tags/x",
    ]
    for path in outcome.out.rglob("*"):
        assert path.resolve().is_relative_to(outcome.out.resolve())
        assert ".." not in path.relative_to(outcome.out).parts
    page = outcome.page("news/2020/04/visit/index.html")
    assert 'href="/tags/x/"' in page and "../../x" in page  # the name is shown as written


@pytest.mark.parametrize(
    ("files", "where", "device"),
    [
        pytest.param({NEWS: article(FRONT + "slug: con\n")}, NEWS, "con", id="slug"),
        pytest.param(
            {NEWS: PLAIN, "content/teams/nul.yaml": "name: {zh: 团队, en: Team}\n"},
            "content/teams/nul.yaml",
            "nul",
            id="record-id",
        ),
        pytest.param({NEWS: article(FRONT + "tags: [AUX]\n")}, NEWS, "aux", id="tag"),
        pytest.param(
            {INDEX: article(FRONT, "![展厅](com1.png)\n"), f"{BUNDLE}/com1.png": png()},
            f"{BUNDLE}/com1.png",
            "com1.png",
            id="bundle-file",
        ),
    ],
)
def test_device_names_windows_keeps_are_refused(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str | bytes],
    where: str,
    device: str,
) -> None:
    outcome = build(tmp_path, capsys, files)
    assert outcome.code == 1
    assert outcome.problems, outcome.stderr
    for problem in outcome.problems:
        assert problem.startswith(f"{where}: error: "), problem
        assert problem.endswith(
            f"has a part named '{device}', which Windows keeps for a device [reserved-name]"
        ), problem


def test_an_article_linked_from_outside_the_site_is_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"---\ntitle: " + SECRET + b"\ndate: 2020-04-27\n---\n")
    site = write_site(tmp_path / "site", {NEWS: PLAIN})
    link = site / "content/news/2020-04-28-leak.zh.md"
    link.symlink_to(secret)
    outcome = build(tmp_path, capsys, {}, site=site)
    fails_with(
        outcome,
        "content/news/2020-04-28-leak.zh.md: error: "
        f"a link to {secret}, outside the site folder, so it is not read [outside-site]",
    )
    assert_nothing_leaked(tmp_path, outcome.out)


@pytest.mark.parametrize("kind", ["file", "folder", "folder-in-article-folder"])
def test_bundle_files_linked_from_outside_are_neither_read_nor_published(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    secret = secret_beside(tmp_path)
    site = write_site(tmp_path / "site", {INDEX: article(FRONT)})
    if kind == "file":
        link, target = site / BUNDLE / "photo.png", secret
    elif kind == "folder":
        link, target = site / "content/news/2020-04-28-leak", tmp_path
    else:
        link, target = site / BUNDLE / "pictures", tmp_path
    link.symlink_to(target)
    outcome = build(tmp_path, capsys, {}, site=site)
    shown = link.relative_to(site).as_posix()
    fails_with(
        outcome,
        f"{shown}: error: a link to {target}, outside the site folder, so it is not read "
        "[outside-site]",
    )
    assert_nothing_leaked(tmp_path, outcome.out)


def test_a_link_inside_the_site_folder_is_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_site(tmp_path / "site", {INDEX: article(FRONT, "![展厅一角](photo.png)\n")})
    (site / "pictures").mkdir()
    (site / "pictures/red.png").write_bytes(png())
    (site / BUNDLE / "photo.png").symlink_to(site / "pictures/red.png")
    outcome = build(tmp_path, capsys, {}, site=site)
    builds_with(outcome)
    assert pixels(media_file(outcome.out, "photo.png").read_bytes()) == pixels(png())


def elsewhere(tmp_path: Path) -> Path:
    """A folder beside the site that looks like parts of one, every file of
    it a secret that no build may read: a page, a theme and a site.yaml."""
    folder = tmp_path / "elsewhere"
    files = {
        "secret.html": SECRET,
        "site.yaml": b"title: " + SECRET + b"\nbase_url: https://example.org/\n",
        "default/templates/base.html": SECRET,
        "default/static/style.css": SECRET,
        "default/i18n/en.yaml": b"home: " + SECRET + b"\n",
        "news/2020-04-28-leak.zh.md": b"---\ntitle: " + SECRET + b"\ndate: 2020-04-28\n---\n",
        "teams/leak.yaml": b"name: {zh: " + SECRET + b", en: Leak}\n",
    }
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def assert_not_read(found: list[str], folder: Path) -> None:
    """No file in ``folder`` was opened and no folder in it listed."""
    inside = [path for path in found if Path(path).is_relative_to(folder.resolve())]
    assert inside == []


@pytest.mark.parametrize(
    ("link", "target"),
    [
        pytest.param("themes/default/templates/base.html", "secret.html", id="template"),
        pytest.param("themes/default/static/site.css", "secret.html", id="static-file"),
        pytest.param("themes/default/i18n/en.yaml", "secret.html", id="strings"),
        pytest.param("themes/default/static/pictures", ".", id="static-folder"),
        pytest.param("themes/default", "default", id="theme-folder"),
        pytest.param("themes", ".", id="themes-folder"),
        pytest.param("site.yaml", "site.yaml", id="site-yaml"),
        pytest.param("content/news", "news", id="news-folder"),
        pytest.param("content", ".", id="content-folder"),
        pytest.param("content/teams", "teams", id="records-folder"),
    ],
)
def test_theme_settings_and_content_linked_from_outside_are_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], link: str, target: str
) -> None:
    outside = elsewhere(tmp_path)
    site = write_site(tmp_path / "site", {} if link.startswith("content") else {NEWS: PLAIN})
    (site / link).parent.mkdir(parents=True, exist_ok=True)
    (site / link).unlink(missing_ok=True)
    (site / link).symlink_to(outside / target)
    # a link to a folder is reported where the build looks into it
    shown = {"themes": ["themes/default"], "content": ["content/news", "content/teams"]}
    with reads() as found:
        outcome = build(tmp_path, capsys, {}, site=site)
    fails_with(
        outcome,
        *(
            f"{where}: error: a link to {(site / where).resolve()}, outside the site folder, "
            "so it is not read [outside-site]"
            for where in shown.get(link, [link])
        ),
    )
    kind = "folder" if (site / link).is_dir() else "file"
    assert f"hint: copy the {kind} into the site folder instead of linking to it" in outcome.stderr
    assert_not_read(found, outside)


def test_a_theme_file_linked_inside_the_site_folder_is_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_site(tmp_path / "site", {NEWS: PLAIN, "shared/extra.css": "p { color: red }\n"})
    (site / "themes/default/static").mkdir(parents=True)
    (site / "themes/default/static/extra.css").symlink_to(site / "shared/extra.css")
    (site / "themes/default/templates").symlink_to(site / "shared")  # a loop-free folder link
    outcome = build(tmp_path, capsys, {}, site=site)
    builds_with(outcome)
    assert (outcome.out / "extra.css").read_text(encoding="utf-8") == "p { color: red }\n"


def test_the_output_folder_cannot_be_the_site_or_its_content(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sitegen.cli import main

    site = write_site(tmp_path / "site", {NEWS: PLAIN})
    before = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    for out in (site, site / "content", tmp_path):
        code = main(["build", os.fspath(site), "--out", os.fspath(out), "--no-search", "-q"])
        assert code == 2
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == before
    assert "would replace the site folder itself" in capsys.readouterr().err

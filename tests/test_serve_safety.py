"""``sitegen serve`` listens on loopback, answers nothing outside the built
site however the path is written, reads no file a link in the content leads
out to, and stays whole under load while it rebuilds. Loopback only,
bounded in time."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sitegen.build import BuildOptions, build
from sitegen.core.images import ImageInfo, media_folder, probe
from sitegen.serve import SCRIPT_PATH, Server
from tests.helpers import REPO, tree
from tests.test_serve import ARTICLE, PAGE, fetch, wait_for

SECRET = b"sitegen-secret-beside-the-site"
PASSWD = b"root:x:0:0"  # the first line of /etc/passwd
BUNDLE = "content/news/2020-04-28-studio-meeting"
TITLE = "蒲江社教同仁到新都学习市民自主学习团队培育活动"


def copy_site(parent: Path) -> Path:
    site = parent / "site"
    site.mkdir()
    shutil.copy(REPO / "site.yaml", site / "site.yaml")
    shutil.copytree(REPO / "content", site / "content")
    return site


@dataclass(frozen=True)
class Reply:
    status: int
    head: bytes
    body: bytes


def raw(server: Server, target: bytes, method: bytes = b"GET") -> Reply:
    """Send ``target`` byte for byte, as no HTTP client library would."""
    request = method + b" " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    with socket.create_connection((server.host, server.port), timeout=5) as conn:
        conn.sendall(request)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    data = b"".join(chunks)
    assert data.startswith(b"HTTP/1."), f"no HTTP answer to {target[:80]!r}: {data[:200]!r}"
    head, _, body = data.partition(b"\r\n\r\n")
    return Reply(int(head.split(b" ", 2)[1]), head, body)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the read-only tests, with secrets beside what it serves."""
    parent = tmp_path_factory.mktemp("serve-safety")
    site = copy_site(parent)
    (parent / "secret.txt").write_bytes(SECRET)
    (site / "secret.txt").write_bytes(SECRET)  # in the site folder, not in the built site
    running = Server(site, port=0)  # the default host
    running.start()
    try:
        served = running.root
        assert served is not None, "the example site did not build"
        (served.parent / "secret.txt").write_bytes(SECRET)  # beside the served folder
        # Links planted in the served folder itself, pointing out of it.
        (served / "leak.txt").symlink_to(parent / "secret.txt")
        (served / "etc").symlink_to("/etc")
        (served / "news" / "outside").symlink_to(parent, target_is_directory=True)
        yield running
    finally:
        running.stop()


def test_it_listens_on_loopback_only_by_default(served: Server) -> None:
    assert served.httpd.socket.getsockname()[0] == "127.0.0.1"
    assert served.url.startswith("http://127.0.0.1:")


def test_raw_requests_reach_the_built_site(served: Server) -> None:
    """The raw client itself works: good paths, written any valid way, are served."""
    home = raw(served, b"/")
    assert home.status == 200 and home.body.rstrip().endswith(b"</html>")
    assert raw(served, b"/assets/site%2ecss").body == (served.root / "assets/site.css").read_bytes()
    assert raw(served, b"/news/2020/04/pujiang-visit/?from=raw").status == 200
    moved = raw(served, b"/news")
    assert moved.status == 301 and b"Location: /news/" in moved.head.split(b"\r\n")
    head = raw(served, b"/", method=b"HEAD")
    assert head.status == 200 and head.body == b""


TRAVERSALS = [
    b"/../secret.txt",
    b"/../../secret.txt",
    b"/../../../../../../../../etc/passwd",
    b"/news/../../secret.txt",
    b"/%2e%2e/secret.txt",
    b"/%2E%2E/%2e%2e/secret.txt",
    b"/.%2e/secret.txt",
    b"/%2e./%2e./secret.txt",
    b"/..%2fsecret.txt",
    b"/%2e%2e%2f%2e%2e%2fsecret.txt",
    b"/news%2f..%2f..%2f..%2fsecret.txt",
    b"/%252e%252e/secret.txt",
    b"/..\\secret.txt",
    b"/..%5c..%5csecret.txt",
    b"/news\\..\\..\\secret.txt",
    b"/%00",
    b"/index.html%00",
    b"/index.html%00.txt",
    b"/%00/../secret.txt",
    b"/%c0%ae%c0%ae/secret.txt",
    b"/%ff%fe/",
    b"//etc/passwd",
    b"/%2fetc/passwd",
    b"/%2f%2fetc%2fpasswd",
    b"/etc/passwd",
    b"http://127.0.0.1/../secret.txt",
    b"*",
    b"/site.yaml",
    b"/secret.txt",
    b"/content/news/2020-04-27-pujiang-visit.zh.md",
    b"/leak.txt",
    b"/news/outside/secret.txt",
    b"/news/outside/site/secret.txt",
    b"/" + b"a" * 5000,
    b"/" + b"a/" * 3000,
    b"/" + b"%2e%2e/" * 900 + b"secret.txt",
    b"/news/" + "长".encode() * 200 + b"/",
]


@pytest.mark.parametrize("target", TRAVERSALS, ids=lambda t: t[:40].decode("latin-1"))
@pytest.mark.parametrize("method", [b"GET", b"HEAD"])
def test_nothing_outside_the_built_site_is_served(
    served: Server, target: bytes, method: bytes
) -> None:
    reply = raw(served, target, method)
    assert reply.status in (400, 404), (target, reply.head)
    assert SECRET not in reply.body and PASSWD not in reply.body
    assert b"Traceback" not in reply.body
    if method == b"HEAD":
        assert reply.body == b""


def test_links_in_the_served_folder_are_not_followed_out(served: Server) -> None:
    for target in (b"/leak.txt", b"/etc/passwd", b"/etc/", b"/news/outside/secret.txt"):
        reply = raw(served, target)
        assert reply.status == 404 and SECRET not in reply.body and PASSWD not in reply.body


@pytest.mark.parametrize(
    "target",
    [
        b"/__sitegen",
        b"/__sitegen/",
        b"/__sitegen/x",
        b"/__sitegen/../secret.txt",
        b"/__sitegen/../../secret.txt",
        b"/__sitegen/%2e%2e/%2e%2e/secret.txt",
        b"/__sitegen/translations/../../secret.txt",
        b"/__sitegen/translations/x",
        b"/__sitegen/reload.js/../../../etc/passwd",
        b"/__sitegen/reload.js%00",
        b"/__sitegen/events/..%2f..%2fsecret.txt",
    ],
)
def test_the_sitegen_endpoints_serve_only_themselves(served: Server, target: bytes) -> None:
    reply = raw(served, target)
    assert reply.status in (400, 404), (target, reply.head)
    assert SECRET not in reply.body and PASSWD not in reply.body


def test_the_sitegen_endpoints_still_work(served: Server) -> None:
    script = raw(served, SCRIPT_PATH.encode())
    assert script.status == 200 and b"EventSource" in script.body
    report = raw(served, b"/__sitegen/translations?path=../../secret.txt")
    assert report.status == 200 and b"<h1>Translations</h1>" in report.body
    assert SECRET not in report.body
    assert raw(served, b"/").status == 200, "the server stopped answering"


def link_out(site: Path, parent: Path) -> dict[str, Path]:
    """Links in the site's content to files and folders outside the site."""
    outside = parent / "outside"
    (outside / "bundle").mkdir(parents=True)
    (parent / "secret.txt").write_bytes(SECRET)
    (outside / "secret.txt").write_bytes(SECRET)
    front = "---\ntitle: 外面的文章\ndate: 2020-05-01\n---\n\n"
    (outside / "article.zh.md").write_text(front + SECRET.decode(), encoding="utf-8")
    (outside / "bundle" / "index.zh.md").write_text(front + SECRET.decode(), encoding="utf-8")
    (outside / "team.yaml").write_text(f"name: {SECRET.decode()}\n", encoding="utf-8")
    links = {
        f"{BUNDLE}/photo.jpg": Path("/etc/passwd"),
        f"{BUNDLE}/notes.txt": Path(os.path.relpath(parent / "secret.txt", site / BUNDLE)),
        "content/news/2020-05-01-linked.zh.md": outside / "article.zh.md",
        "content/news/2020-05-01-elsewhere": outside / "bundle",
        "content/teams/leaked.yaml": outside / "team.yaml",
        "content/tags.yaml": outside / "team.yaml",
        f"{BUNDLE}/album": outside,  # a folder inside an article folder
    }
    (site / "content/tags.yaml").unlink()
    for name, target in links.items():
        (site / name).symlink_to(target)
    return links


def test_links_out_of_the_site_are_reported_and_never_read(tmp_path: Path) -> None:
    site = copy_site(tmp_path)
    links = link_out(site, tmp_path)
    (site / BUNDLE / "same-photo.png").symlink_to("meeting-photo.png")  # inside: fine
    index = site / BUNDLE / "index.zh.md"
    index.write_text(
        index.read_text(encoding="utf-8") + "\n[同一张照片](same-photo.png)\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    options = BuildOptions(out_dir=out, search=False, cache_dir=tmp_path / "cache")

    result = build(site, options)
    assert not result.ok and not out.exists()
    reported = {d.path: d for d in result.diagnostics if d.code == "outside-site"}
    assert set(reported) == set(links)
    for d in reported.values():
        assert d.severity == "error" and "outside the site folder" in d.message and d.hint
        assert SECRET.decode() not in d.format()
    # Read, the linked files would have given other problems; none is reported.
    assert {d.code for d in result.diagnostics} == {"outside-site"}

    for name in links:
        (site / name).unlink()
    shutil.copy(REPO / "content/tags.yaml", site / "content/tags.yaml")
    result = build(site, options)
    assert result.ok, [d.format() for d in result.diagnostics]
    files = tree(out)
    assert f"{PHOTO_FOLDER[1:]}same-photo.png" in files  # the same picture, by its other name
    assert not any(SECRET in data or PASSWD in data for data in files.values())


def test_a_link_out_of_the_site_is_not_served(tmp_path: Path) -> None:
    site = copy_site(tmp_path)
    running = Server(site, port=0)
    running.start()
    try:
        version = running.live.version
        link_out(site, tmp_path)
        assert wait_for(lambda: any("[outside-site]" in p for p in running.live.problems))
        assert f"{BUNDLE}/photo.jpg: error:" in "\n".join(running.live.problems)
        assert running.live.version == version
        for path in (
            "news/2020/04/studio-meeting/photo.jpg",
            "news/2020/04/studio-meeting/notes.txt",
        ):
            status, body = fetch(running.url + path)
            assert status == 404 and SECRET.decode() not in body and "root:x:" not in body
        assert fetch(running.url + PAGE)[0] == 200, "the last good site is still served"
    finally:
        running.stop()


# The load test: 50 clients, 2,000 requests, while an article is saved again and again.

CLIENTS = 50
REQUESTS = 2000
SAVES = 4
# The last requests wait for the last rebuild, so every save lands while pages are asked for.
TAIL = 100

_ARTICLE_TITLE = re.compile(r"<h1>((?:第\d稿)?)" + TITLE + "</h1>")
_TITLE_TAG = re.compile(r"<title>((?:第\d稿)?)" + TITLE + " · ")
_LISTED = re.compile(r"((?:第\d稿)?)" + TITLE)


def check_article(body: bytes) -> str:
    text = body.decode("utf-8")
    heading, title = _ARTICLE_TITLE.findall(text), _TITLE_TAG.findall(text)
    assert len(heading) == 1 and title == heading, "the title and heading disagree"
    return str(heading[0])


def check_list(body: bytes) -> str:
    found = _LISTED.findall(body.decode("utf-8"))
    assert found and len(set(found)) == 1, "a mix of versions in one page"
    return str(found[0])


def check_team(body: bytes) -> str:
    assert "<h1>新繁书画院" in body.decode("utf-8")
    return ""


def check_missing(body: bytes) -> str:
    assert "<h1>找不到这个页面" in body.decode("utf-8")
    return ""


# where the example article's photo is published (see sitegen.core.images)
PHOTO = REPO / "content/news/2020-04-28-studio-meeting/meeting-photo.png"
PHOTO_FOLDER = media_folder(probe(PHOTO, PHOTO.name) or ImageInfo("", 0, 0, "", False))


@dataclass(frozen=True)
class Expect:
    path: str
    status: int
    check: str  # what the body must hold: the name of a check, or "same" (the first bytes)


MIX = [
    Expect("/", 200, "list"),
    Expect("/" + PAGE, 200, "article"),
    Expect("/news/", 200, "list"),
    Expect("/en/news/2020/04/pujiang-visit/", 200, "en"),
    Expect("/teams/xinfan-calligraphy-painting/", 200, "team"),
    Expect("/assets/site.css", 200, "same"),
    Expect(f"{PHOTO_FOLDER}meeting-photo-480w.webp", 200, "same"),
    Expect("/no/such/page/", 404, "missing"),
]
CHECKS = {
    "article": check_article,
    "list": check_list,
    "team": check_team,
    "missing": check_missing,
}


def get(server: Server, path: str) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=20)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_responses_stay_whole_and_right_while_it_rebuilds(tmp_path: Path) -> None:
    site = copy_site(tmp_path)
    running = Server(site, port=0)
    running.start()
    try:
        first = {e.path: get(running, e.path)[2] for e in MIX if e.check in ("same", "en")}
        english = first["/en/news/2020/04/pujiang-visit/"]
        article = site / ARTICLE
        original = article.read_text(encoding="utf-8")

        tickets = iter(range(REQUESTS))
        lock = threading.Lock()
        saved = threading.Event()
        failures: list[str] = []
        seen: dict[str, set[str]] = {}

        def client() -> None:
            while True:
                with lock:
                    ticket = next(tickets, None)
                if ticket is None:
                    return
                if ticket >= REQUESTS - TAIL:
                    saved.wait(timeout=40)
                expect = MIX[ticket % len(MIX)]
                try:
                    status, headers, body = get(running, expect.path)
                    assert status == expect.status, f"status {status}"
                    assert int(headers["Content-Length"]) == len(body), "incomplete body"
                    if headers["Content-Type"].startswith("text/html"):
                        assert body.rstrip().endswith(b"</html>"), "HTML cut short"
                    if expect.check == "same":
                        assert body == first[expect.path], "not the file asked for"
                    elif expect.check == "en":
                        assert body == english, "the untouched English page changed"
                    else:
                        version = CHECKS[expect.check](body)
                        with lock:
                            seen.setdefault(expect.path, set()).add(version)
                except (AssertionError, OSError, http.client.HTTPException) as exc:
                    with lock:
                        failures.append(f"{expect.path}: {exc!r}")

        def editor() -> None:
            for n in range(1, SAVES + 1):
                before = running.live.version
                article.write_text(
                    original.replace("title: 蒲江", f"title: 第{n}稿蒲江", 1), encoding="utf-8"
                )
                if not wait_for(lambda v=before: running.live.version > v, 15):
                    failures.append(f"save {n} was not rebuilt")
                    break
            saved.set()

        started = time.monotonic()
        threads = [threading.Thread(target=client, daemon=True) for _ in range(CLIENTS)]
        threads.append(threading.Thread(target=editor, daemon=True))
        for thread in threads:
            thread.start()
        deadline = started + 45
        for thread in threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        assert not any(t.is_alive() for t in threads), "the load test did not finish in 45 s"
        assert failures == [], f"{len(failures)} bad responses, e.g. {failures[:5]}"

        assert saved.is_set() and running.live.problems == []
        # The pages changed under the clients: they saw earlier versions and the last one.
        assert f"第{SAVES}稿" in seen["/" + PAGE]
        assert len(seen["/" + PAGE]) >= 2
        assert check_article(get(running, "/" + PAGE)[2]) == f"第{SAVES}稿"
    finally:
        running.stop()
    assert not running.folder.exists(), "the temporary site was left behind"

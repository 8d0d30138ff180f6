"""``sitegen serve``: a live preview that rebuilds on save and reloads the page.

The site is built into a temporary folder (never into ``build/``) with the
base URL of the local server, and served from there; each rebuild parses
only the files that changed and renders only the pages that depend on them
(see :class:`~sitegen.build.BuildCache`), writes a fresh folder and swaps
it in whole (:class:`Published`), so no response mixes two builds. Only
files of the built site are served, whatever the request path holds (see
:func:`request_path`); links are followed only as far as they stay in it.
watchdog reports changes to ``content/``, ``themes/`` and ``site.yaml``;
after a short quiet spell the site is rebuilt. A saved article whose text
alone changed has its page rendered and shown at once, ahead of that
rebuild (see :mod:`sitegen.engine.incremental`). Open pages hold a server-sent-events connection
and reload when a build succeeds; when it fails, they show the problems on
top of the last good pages, and the next good save clears them. The few
lines of script that do this are added to pages only by this server.
"""

from __future__ import annotations

import hashlib
import html
import http.server
import json
import mimetypes
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

import sitegen.wechat as wechat
from sitegen.build import BuildCache, BuildOptions, BuildResult, build
from sitegen.check import Translation, translation_report
from sitegen.core.admin import ADMIN
from sitegen.core.config import SiteConfig, load_config
from sitegen.core.diagnostics import Diagnostics, Severity
from sitegen.core.messages import phrase
from sitegen.engine.bodies import remove_abandoned
from sitegen.engine.incremental import preview_article

QUIET_SECONDS = 0.15  # wait this long after the last change before rebuilding
QUICK_SECONDS = 0.03  # the same, before rendering a saved article's page ahead
EVENTS_PATH = "/__sitegen/events"
SCRIPT_PATH = "/__sitegen/reload.js"
TRANSLATIONS_PATH = "/__sitegen/translations"
WECHAT_PATH = "/__sitegen/wechat"  # ?page=<an article's address>: its WeChat copy, as JSON
WECHAT_VIEW = "/__sitegen/wechat/view"  # ?page=…: the same copy, shown as a page
# the 复制到公众号 control on article pages: its script and its style
WECHAT_FILES = {"/__sitegen/wechat.js": "wechat.js", "/__sitegen/wechat.css": "wechat.css"}
SITEGEN = "__sitegen"  # the server's own addresses; nothing else is served under it
MAX_TARGET = 4096  # longer request paths name no file of a site
MAX_NAME = 255  # the longest file name, in bytes
SCRATCH_PREFIX = "sitegen-serve-"  # then the process id, "-" and a random part: the site it shows

RELOAD_SCRIPT = """\
(function () {
  "use strict";
  var source = new EventSource("EVENTS_PATH");
  function overlay(problems) {
    var box = document.getElementById("sitegen-problems");
    if (!problems.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "sitegen-problems";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0 0 auto 0;max-height:70vh;overflow:auto;" +
        "z-index:99999;background:#fff4f4;color:#5c0000;border-bottom:4px solid #b00020;" +
        "padding:1rem;font:16px/1.5 monospace;white-space:pre-wrap;";
      document.body.prepend(box);
    }
    box.textContent = problems.join("\\n");
  }
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("problems", function (event) { overlay(JSON.parse(event.data)); });
})();
""".replace("EVENTS_PATH", EVENTS_PATH)


def classify(changed: Iterable[str]) -> set[str]:
    """Sort changed paths (relative to the site folder) into change kinds.

    ``config`` (site.yaml), ``article``, ``record`` (teams, studios, towns,
    tags, series), ``template``, ``strings``, ``static``, ``other`` (a file in
    content/ that is none of those); paths outside what a build reads, and
    editors' temporary files, give nothing.
    """
    kinds: set[str] = set()
    for text in changed:
        path = PurePosixPath(text)
        name = path.name
        if not name or name.startswith((".", "#")) or name.endswith(("~", ".swp", ".tmp")):
            continue
        parts = path.parts
        if parts == ("site.yaml",):
            kinds.add("config")
        elif parts[:2] == ("content", "news"):
            kinds.add("article")
        elif parts[:1] == ("content",) and (
            parts[1:2] in (("teams",), ("studios",))
            or name in ("towns.yaml", "tags.yaml", "series.yaml")
        ):
            kinds.add("record")
        elif parts[:1] == ("content",):
            kinds.add("other")
        elif parts[:1] == ("themes",) and len(parts) > 3:
            kinds.add(
                {"templates": "template", "i18n": "strings", "static": "static"}.get(
                    parts[2], "other"
                )
            )
    return kinds


@dataclass
class LiveState:
    """What the server knows between builds; guarded by ``lock``."""

    lang: str = "en"
    version: int = 0
    problems: list[str] = field(default_factory=list)
    translations: list[Translation] = field(default_factory=list)
    lock: threading.Condition = field(default_factory=threading.Condition)
    # the WeChat copy of the article at an address in the last good build, as
    # the 复制到公众号 control asks for it; and the output paths of its articles
    copies: Callable[[str], dict[str, Any]] = lambda page: {"error": "not built yet"}
    articles: frozenset[str] = frozenset()

    def publish(self, result: BuildResult, changed: bool) -> None:
        """Tell open pages: reload after a good build that changed the site,
        and show its problems: the errors of a bad one, or the warnings (a
        link that leads nowhere) of a good one."""
        with self.lock:
            errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
            self.problems = [d.format(self.lang) for d in errors or result.diagnostics]
            if result.ok and changed:
                self.version += 1
            self.lock.notify_all()

    def reload(self) -> None:
        """Tell open pages to reload."""
        with self.lock:
            self.version += 1
            self.lock.notify_all()


def translations_page(report: list[Translation], lang: str = "en") -> str:
    """The translation report as a plain page, for editors only, its words
    in ``lang``."""

    def p(text: str, **values: str) -> str:
        return html.escape(phrase(text, lang, **values))

    rows = "".join(
        f"<tr class='{html.escape(t.state)}'><td>{p(t.kind)}</td>"
        f"<td>{html.escape(t.path)}</td><td>{html.escape(t.lang)}</td>"
        f"<td>{p(t.state)}</td><td>{html.escape(t.detail)}</td></tr>"
        for t in report
    )
    command = "<code>sitegen check --translations</code>"
    about = p(
        "Missing and possibly stale translations of this site (the same report as {command}).",
        command="\0",
    ).replace("\0", command)
    return (
        f"<!doctype html><html lang='{'zh-CN' if lang == 'zh' else 'en'}'><head>"
        "<meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{p('Translations')} · sitegen serve</title><style>"
        "body{font:16px/1.5 system-ui,sans-serif;margin:1rem}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}"
        ".missing{background:#fff4d6}.stale{background:#ffe3e3}</style></head><body>"
        f"<h1>{p('Translations')}</h1><p>{about}</p>"
        f"<table><thead><tr><th>{p('kind')}</th><th>{p('file')}</th><th>{p('language')}</th>"
        f"<th>{p('state')}</th><th>{p('lacking')}</th></tr></thead><tbody>{rows}</tbody>"
        "</table></body></html>"
    )


def _inject(body: bytes, lang: str | None = None) -> bytes:
    """``body`` with the reload script, and with the 复制到公众号 control
    where ``lang`` (the language of its words) is given."""
    tag = f'<script src="{SCRIPT_PATH}"></script>'.encode()
    if lang is not None:
        tag += f'<script src="/__sitegen/wechat.js" data-lang="{lang}" defer></script>'.encode()
    index = body.rfind(b"</body>")
    return body[:index] + tag + body[index:] if index >= 0 else body + tag


def request_path(target: str) -> tuple[tuple[str, ...], bool] | int:
    """The path segments a request target names in the built site, and
    whether it ends in ``/``; or the status that refuses it.

    The target is percent-decoded once, as UTF-8, before it is split, so an
    encoded ``%2f`` or ``%2e%2e`` is a separator or a ``..`` like any other.
    Malformed targets (not a path, not UTF-8, a NUL byte) get 400; a path no
    file of the built site can have (a ``.`` or ``..`` segment, a backslash,
    a name longer than a file name may be) gets 404.
    """
    path = target.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/"):
        return 400
    if len(path) > MAX_TARGET:
        return 404
    try:
        text = urllib.parse.unquote_to_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        return 400
    if "\0" in text:
        return 400
    parts = tuple(part for part in text.split("/") if part)
    if "\\" in text or any(part in (".", "..") or len(part.encode()) > MAX_NAME for part in parts):
        return 404
    return parts, text.endswith("/")


def _inside(root: Path, path: Path) -> Path | None:
    """``path`` with every link followed, if that is still in ``root``."""
    real = Path(os.path.realpath(path))
    return real if real == root or root in real.parents else None


def locate(root: Path, parts: tuple[str, ...], slash: bool) -> Path | str | None:
    """The file of the built site in ``root`` (a resolved folder) that
    ``parts`` names; the address to redirect to for a folder asked for
    without its ``/``; ``None`` when there is no such file in ``root``.
    Links are followed only as far as they stay in ``root``."""
    found = _inside(root, root.joinpath(*parts))
    try:
        if found is not None and found.is_dir():
            if not slash:
                return urllib.parse.quote("/" + "/".join(parts) + "/")
            found = _inside(root, found / "index.html")
        return found if found is not None and found.is_file() else None
    except OSError:
        return None


class Published:
    """The folder of the last good build, replaced whole.

    Each build writes a fresh folder, which then replaces the served one in
    a single assignment; a replaced folder is deleted once the last request
    reading from it is done. So every response comes from one complete
    build, never from a folder being written or removed.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: Path | None = None
        self._readers: dict[Path, int] = {}
        self._retired: set[Path] = set()
        # pages rendered ahead of the next build: output path -> (when, bytes)
        self._ahead: dict[str, tuple[float, bytes]] = {}

    def ahead(self, out: str) -> bytes | None:
        """The page at ``out`` rendered ahead of the build being served, if any."""
        with self._lock:
            found = self._ahead.get(out)
        return found[1] if found is not None else None

    def show_ahead(self, pages: dict[str, bytes], when: float) -> None:
        """Serve ``pages`` (output path -> bytes, made from the files as
        they were at ``when``) until a build begun after ``when`` replaces them."""
        with self._lock:
            self._ahead.update({out: (when, data) for out, data in pages.items()})

    @property
    def root(self) -> Path | None:
        return self._current

    @contextmanager
    def reading(self) -> Iterator[Path | None]:
        """The served folder, kept until the ``with`` block ends."""
        with self._lock:
            root = self._current
            if root is not None:
                self._readers[root] = self._readers.get(root, 0) + 1
        try:
            yield root
        finally:
            if root is not None:
                with self._lock:
                    self._readers[root] -= 1
                    done = self._readers[root] == 0 and root in self._retired
                    if done:
                        del self._readers[root]
                        self._retired.discard(root)
                if done:
                    shutil.rmtree(root, ignore_errors=True)

    def publish(self, folder: Path, begun: float = float("inf")) -> None:
        """Serve ``folder`` (of a build begun at ``begun``) from now on; delete
        the one it replaces when unread. Pages rendered ahead from files saved
        before the build began are in it, and are dropped."""
        with self._lock:
            old, self._current = self._current, folder.resolve()
            self._ahead = {out: seen for out, seen in self._ahead.items() if seen[0] >= begun}
            done = old is not None and not self._readers.get(old)
            if old is not None and not done:
                self._retired.add(old)
        if old is not None and done:
            shutil.rmtree(old, ignore_errors=True)


def make_handler(published: Published, live: LiveState, stop: threading.Event) -> type[Any]:
    """The preview server's request handler, over the site ``published``
    and the ``live`` state of the rebuilds. Long because it is a class:
    each of its methods answers one kind of request."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            self._answer(body=True)

        def do_HEAD(self) -> None:
            self._answer(body=False)

        def _answer(self, body: bool) -> None:
            path = self.path.split("?", 1)[0]
            if path == EVENTS_PATH:
                self._events(body)
            elif path == SCRIPT_PATH:
                self._send(200, "text/javascript; charset=utf-8", RELOAD_SCRIPT.encode(), body)
            elif path in WECHAT_FILES:
                asset = resources.files("sitegen").joinpath("preview", WECHAT_FILES[path])
                kind = "text/css" if path.endswith(".css") else "text/javascript"
                self._send(200, f"{kind}; charset=utf-8", asset.read_bytes(), body)
            elif path in (WECHAT_PATH, WECHAT_VIEW):
                self._wechat(path == WECHAT_VIEW, body)
            elif path == TRANSLATIONS_PATH:
                with live.lock:
                    report, lang = list(live.translations), live.lang
                page = _inject(translations_page(report, lang).encode())
                self._send(200, "text/html; charset=utf-8", page, body)
            else:
                self._page(body)

        def _send(self, status: int, kind: str, data: bytes, body: bool = True) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if body:
                self.wfile.write(data)

        def _page(self, body: bool) -> None:
            named = request_path(self.path)
            if isinstance(named, int):
                text = b"bad request\n" if named == 400 else b"not found\n"
                self._send(named, "text/plain; charset=utf-8", text, body)
                return
            parts, slash = named
            status, found, data = 404, None, None
            with published.reading() as root:
                if root is not None and parts[:1] != (SITEGEN,):
                    located = locate(root, parts, slash)
                    if isinstance(located, str):
                        self._redirect(located)
                        return
                    status, found = 200, located
                if root is not None:
                    if found is None:
                        status, found = 404, root / "404.html"
                    elif found.is_relative_to(root):
                        data = published.ahead(found.relative_to(root).as_posix())
                    data = data if data is not None else _read(root, found)
            if found is None or data is None:
                self._send(404, "text/plain; charset=utf-8", b"not found\n", body)
                return
            kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
            if found.suffix == ".html":
                kind = "text/html; charset=utf-8"
                # the editor is not reloaded under the editor's hands
                if parts[:1] != (ADMIN,):
                    article = root is not None and _output(root, found) in live.articles
                    data = _inject(data, live.lang if article else None)
            self._send(status, kind, data, body)

        def _wechat(self, view: bool, body: bool) -> None:
            query = urllib.parse.urlsplit(self.path).query
            page = urllib.parse.parse_qs(query).get("page", [""])[0]
            with live.lock:
                copies = live.copies
            answer = copies(page)
            if not view:
                data = json.dumps(answer, ensure_ascii=False).encode()
                self._send(200, "application/json; charset=utf-8", data, body)
                return
            shown = answer.get("page") or html.escape(
                "\n".join([answer["error"], *answer["problems"]])
            )
            self._send(
                200 if answer.get("page") else 404, "text/html; charset=utf-8", shown.encode(), body
            )

        def _redirect(self, location: str) -> None:
            self.send_response(301)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _events(self, body: bool) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not body:
                return
            with live.lock:
                seen, problems = live.version, list(live.problems)
            try:
                self._emit("problems", json.dumps(problems))
                while not stop.is_set():
                    with live.lock:
                        live.lock.wait(timeout=1.0)
                        version, current = live.version, list(live.problems)
                    if current != problems:
                        problems = current
                        self._emit("problems", json.dumps(problems))
                    if version != seen:
                        self._emit("reload", str(version))
                        return
                    self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

        def _emit(self, event: str, data: str) -> None:
            self.wfile.write(f"event: {event}\ndata: {data}\n\n".encode())
            self.wfile.flush()

    return Handler


def _output(root: Path, found: Path) -> str:
    """The output path of the served file ``found``, e.g. news/2020/04/x/index.html."""
    try:
        return found.relative_to(root).as_posix()
    except ValueError:
        return ""


def _read(root: Path, path: Path) -> bytes | None:
    """The bytes of ``path`` if it is a file in ``root``, links followed."""
    found = _inside(root, path)
    try:
        return found.read_bytes() if found is not None and found.is_file() else None
    except OSError:
        return None


class _HTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    # Room for a browser's burst of requests (or a load test's): with the
    # default of 5, connections beyond it wait for the client to retry.
    request_queue_size = 128


class Server:
    """The preview server and its watcher, as one value tests can start and stop."""

    def __init__(
        self,
        site_dir: Path,
        host: str = "127.0.0.1",
        port: int = 8000,
        drafts: bool = True,
        report: Callable[[BuildResult], None] | None = None,
        lang: str = "en",
        admin: bool = False,
    ) -> None:
        self.site_dir = site_dir.resolve()
        self.drafts = drafts
        self.admin = admin  # the browser editor at /admin/, for this folder's files
        self.report = report or (lambda result: None)
        remove_abandoned(SCRATCH_PREFIX)  # left by a server that was killed
        self.folder = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-"))
        self.published = Published()
        self._builds = 0
        self.live = LiveState(lang=lang)
        self._digest = ""
        self.cache = BuildCache()
        self.stop_event = threading.Event()
        # set to stop the rebuild in progress: the server stops, or a newer save came
        self._stop_build = threading.Event()
        handler = make_handler(self.published, self.live, self.stop_event)
        self.httpd = _HTTPServer((host, port), handler)
        address = self.httpd.server_address
        self.host = address[0].decode() if isinstance(address[0], bytes) else str(address[0])
        self.port = int(address[1])
        self._pending: set[str] = set()
        self._quick: set[str] = set()  # saved articles whose page may be shown ahead
        self._pending_lock = threading.Lock()
        self._wake = threading.Event()
        self._wake_quick = threading.Event()
        self._previewing = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._observer: Any = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    @property
    def root(self) -> Path | None:
        """The folder being served: the last good build, or None before one."""
        return self.published.root

    def rebuild(self) -> BuildResult:
        """Build the site into a new folder and serve it; a rebuild stopped
        (by :meth:`stop`, or by a newer save) changes nothing."""
        self._builds += 1
        out = self.folder / f"site-{self._builds}"
        begun = time.monotonic()
        if not self.stop_event.is_set():
            self._stop_build.clear()  # what was saved before now is in this build
        result = build(
            self.site_dir,
            BuildOptions(
                out_dir=out,
                base_url=self.url,
                drafts=self.drafts,
                future=True,
                search=False,
                keep=True,
                admin=self.admin,
            ),
            cache=self.cache,
            stop=self._stop_build,
        )
        if result.cancelled:
            return result
        if result.ok and out.is_dir():
            self.published.publish(out, begun)
        if result.ok and result.site is not None:
            config = load_config(self.site_dir, Diagnostics())
            self._keep_copies(result, config)
            if config is not None:
                report = translation_report(result.site, config, self.site_dir)
                with self.live.lock:
                    self.live.translations = report
        digest = hashlib.sha256()
        for name in sorted(result.output):
            digest.update(name.encode() + b"\0" + result.output[name])
        changed = digest.hexdigest() != self._digest
        if result.ok:
            self._digest = digest.hexdigest()
        self.live.publish(result, changed)
        self.report(result)
        return result

    def _keep_copies(self, result: BuildResult, config: SiteConfig | None) -> None:
        """Offer the WeChat copies of the articles of the good build ``result``,
        naming their pictures at the address in site.yaml (``config``)."""
        pages = wechat.article_pages(result)
        site_dir, lang = self.site_dir, self.live.lang

        def copies(url: str) -> dict[str, Any]:
            page = pages.get(url)
            if page is None or config is None:
                return {
                    "error": phrase("{page} is not an article's page", lang, page=url),
                    "problems": [],
                }
            made = wechat.make(result, page, site_dir, config)
            problems = [d.format(lang) for d in made.problems]
            if made.copy is None:
                errors = [d.format(lang) for d in made.problems if d.severity is Severity.ERROR]
                return {"error": "\n".join(errors), "problems": problems}
            # shown here with the pictures of this preview, which may not be published yet
            published, local = f'src="{config.base_url}', f'src="{self.url}'
            shown = wechat.document(made, page.lang).replace(published, local)
            return {
                "html": made.copy.html,
                "text": made.copy.text,
                "problems": problems,
                "page": shown,
            }

        with self.live.lock:
            self.live.copies = copies
            self.live.articles = frozenset(page.output_path for page in pages.values())

    def changed(self, path: str) -> None:
        """Note a changed file (absolute path); the rebuild loop picks it up."""
        try:
            rel = Path(os.path.abspath(path)).relative_to(self.site_dir).as_posix()
        except ValueError:
            return
        kinds = classify([rel])
        if kinds:
            self._stop_build.set()  # a rebuild in progress would show what is no longer so
            with self._pending_lock:
                self._pending.add(rel)
                if kinds == {"article"} and rel.endswith(".md"):
                    self._quick.add(rel)
            self._wake.set()
            if kinds == {"article"}:
                self._wake_quick.set()

    def preview(self, rels: Iterable[str]) -> bool:
        """Show the pages of the saved articles ``rels`` ahead of the next
        build, where only their text changed; whether any was shown."""
        shown = False
        for rel in sorted(rels):
            begun = time.monotonic()
            pages = preview_article(self.site_dir, self.cache, rel)
            if pages:
                self.published.show_ahead(pages, begun)
                shown = True
        if shown:
            self.live.reload()
        return shown

    def _quick_loop(self) -> None:
        while not self.stop_event.is_set():
            if not self._wake_quick.wait(timeout=0.5):
                continue
            time.sleep(QUICK_SECONDS)
            self._wake_quick.clear()
            with self._previewing:
                with self._pending_lock:
                    quick, self._quick = self._quick, set()
                if quick:
                    self.preview(quick)

    def _rebuild_loop(self) -> None:
        while not self.stop_event.is_set():
            if not self._wake.wait(timeout=0.5):
                continue
            time.sleep(QUIET_SECONDS)
            self._wake.clear()
            # a page being shown ahead goes first: the build would slow it
            with self._previewing, self._pending_lock:
                pending, self._pending = self._pending, set()
            if pending:
                self.rebuild()

    def start(self) -> None:
        from watchdog.events import FileSystemEvent, FileSystemEventHandler
        from watchdog.observers import Observer

        server = self

        class Watch(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                if event.event_type in ("opened", "closed_no_write"):
                    return
                for path in (event.src_path, getattr(event, "dest_path", "")):
                    if path:
                        server.changed(str(path))

        self.rebuild()
        self._observer = Observer()
        for name in ("content", "themes"):
            folder = self.site_dir / name
            if folder.is_dir():
                self._observer.schedule(Watch(), str(folder), recursive=True)
        self._observer.schedule(Watch(), str(self.site_dir), recursive=False)
        self._observer.start()
        for target in (self.httpd.serve_forever, self._rebuild_loop, self._quick_loop):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        """Stop serving, watching and any rebuild in progress."""
        self.stop_event.set()
        self._stop_build.set()
        with self.live.lock:
            self.live.lock.notify_all()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
        if self._threads:  # else serve_forever never ran, and shutdown() would wait for it
            self.httpd.shutdown()
        self.httpd.server_close()
        for thread in self._threads:
            # a rebuild stops at its next piece of work, or with its stage (a
            # large site's plan takes seconds); the process need not wait for
            # it: what it writes is in the folder removed below
            thread.join(timeout=1)
        _remove_later(self.folder)
        if self.cache.bodies is not None:  # the articles' bodies, kept for the next rebuild
            self.cache.bodies.close()


def _remove_later(folder: Path) -> None:
    """Remove ``folder`` without waiting for it: it is renamed aside at
    once and removed by a process of its own, which outlives this one if
    need be (the 55,000 files of a 20,000-article site took 8 s to remove).
    What such a process leaves, the next server removes (its name still
    holds this process's id)."""
    trash = folder.with_name(folder.name + "-removed")
    try:
        os.rename(folder, trash)
    except FileNotFoundError:
        return
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return
    remove = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
    try:
        subprocess.Popen(
            [sys.executable, "-c", remove, os.fspath(trash)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # not ended with this process, nor by its Ctrl-C
        )
    except OSError:
        shutil.rmtree(trash, ignore_errors=True)

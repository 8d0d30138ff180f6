"""Shared fixtures of the browser tests: the sites of ``SITES`` (the example
site under /xindu/, and fictional ones) each built once into a temporary
folder and served on 127.0.0.1 like a static host, and Debian's Chromium
driven through Playwright's plain sync API.

What these tests need beyond Python (``scripts/test`` installs all of it):
Debian's chromium and fonts-noto-cjk, a ``java`` and the npm packages
axe-core and vnu-jar in ./node_modules. When one is missing the tests that
need it skip with the reason, or fail when the environment has CI=true.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sitepages import (
    AXE_JS,
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    REPO_ROOT,
    SITES,
    VNU_JAR,
    unavailable,
)

# --- the built and served sites ------------------------------------------


@dataclass(frozen=True)
class BuiltSite:
    root: Path  # the folder the host serves
    out: Path  # where the site was built: root + the path of its base URL
    base_path: str  # "/" or e.g. "/xindu/"


class Sites:
    """Builds each site of ``SITES`` on first use, once per session, into the
    path of its base URL below a folder that a static host serves (a site for
    https://example.org/xindu/ goes into ``<root>/xindu``), as a host would
    publish it."""

    def __init__(self, tmp: pytest.TempPathFactory, stack: contextlib.ExitStack) -> None:
        self._tmp = tmp
        self._stack = stack
        self._built: dict[str, BuiltSite] = {}
        self._urls: dict[str, str] = {}

    def built(self, name: str) -> BuiltSite:
        if name not in self._built:
            from sitegen.build import BuildOptions, build
            from sitegen.core.config import load_config
            from sitegen.core.diagnostics import Diagnostics

            site = SITES[name]
            config = load_config(site.source, Diagnostics())
            assert config is not None, f"{site.source} has no usable site.yaml"
            if site.base_url is not None:
                config = config.with_base_url(site.base_url)
            root = self._tmp.mktemp(name)
            out = root / config.base_path.strip("/")
            result = build(site.source, BuildOptions(out_dir=out, base_url=site.base_url))
            problems = "\n".join(d.format() for d in result.diagnostics)
            assert result.ok, f"the {name} site did not build:\n{problems}"
            assert (out / "index.html").is_file() and (out / "404.html").is_file()
            self._built[name] = BuiltSite(root, out, config.base_path)
        return self._built[name]

    def url(self, name: str) -> str:
        """The site's address, without a trailing slash: a test writes
        ``sites.url("example") + "/news/"``, which is /xindu/news/."""
        if name not in self._urls:
            built = self.built(name)
            host = self._stack.enter_context(serve(built.root))
            self._urls[name] = host + built.base_path.rstrip("/")
        return self._urls[name]


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    with contextlib.ExitStack() as stack:
        yield Sites(tmp_path_factory, stack)


@pytest.fixture(scope="session")
def built_site(sites: Sites) -> Path:
    """The folder the example site was built into (its base path is /xindu/)."""
    return sites.built("example").out


@pytest.fixture(scope="session")
def site_url(sites: Sites) -> str:
    """The example site, served under /xindu/: the URL ends in /xindu."""
    return sites.url("example")


@pytest.fixture(scope="session")
def records_site_url(sites: Sites) -> str:
    """The fictional site with many teams over several towns, served."""
    return sites.url("records")


@pytest.fixture(scope="session")
def basic_site_url(sites: Sites) -> str:
    """The fictional site with untranslated articles, served under the
    sub-path of its base URL: the URL ends in /riverside."""
    return sites.url("basic")


class StaticHostHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder as static hosts do: index.html for a folder, no
    folder listings, and the nearest 404.html with status 404 for anything
    missing (so /en/... gets the English one)."""

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep the test output clean

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = self._not_found_page() if code == HTTPStatus.NOT_FOUND else None
        if page is None:
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _not_found_page(self) -> Path | None:
        root = Path(self.directory).resolve()
        folder = Path(self.translate_path(urlsplit(self.path).path)).resolve()
        for candidate in [folder, *folder.parents]:
            inside = candidate == root or root in candidate.parents
            if inside and (candidate / "404.html").is_file():
                return candidate / "404.html"
        return None


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 at a free port; yields the host's URL,
    without a trailing slash."""
    handler = functools.partial(StaticHostHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- the browser ---------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the Python package playwright is not installed")
    if not CHROMIUM.is_file():
        unavailable(f"{CHROMIUM} is missing (Debian package chromium)")
    if not list(Path("/usr/share/fonts").glob("**/NotoSansCJK*")):
        unavailable("Chinese fonts are missing (Debian package fonts-noto-cjk)")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()


@dataclass
class Traffic:
    """What a page asked for, and what went wrong with it."""

    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    bad_responses: list[tuple[int, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def watched(page: Any) -> Any:
    """``page`` with ``page.traffic`` recording its requests and errors."""
    traffic = Traffic()
    page.on("request", lambda r: traffic.requests.append(r.url))
    page.on("requestfailed", lambda r: traffic.failed.append(f"{r.url}: {r.failure}"))
    page.on(
        "response",
        lambda r: traffic.bad_responses.append((r.status, r.url)) if r.status >= 400 else None,
    )
    page.on("pageerror", lambda e: traffic.errors.append(str(e)))
    page.traffic = traffic
    return page


def context_options(viewport: dict[str, int], options: dict[str, Any]) -> dict[str, Any]:
    """A phone viewport (width below 600) is emulated as a phone."""
    phone = viewport["width"] < 600
    return {"viewport": viewport, "is_mobile": phone, "has_touch": phone, **options}


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """``new_page(viewport=PHONE, **context_options)`` opens a page in a new
    browser context; ``page.traffic`` records its requests. A phone viewport
    (width below 600) is emulated as a phone (is_mobile, touch)."""
    contexts: list[Any] = []

    def open_page(viewport: dict[str, int] = PHONE, **options: Any) -> Any:
        context = browser.new_context(**context_options(viewport, options))
        contexts.append(context)
        context.set_default_timeout(15_000)
        return watched(context.new_page())

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def shared_contexts(browser: Any) -> Iterator[dict[str, Any]]:
    """The browser contexts of ``new_tab``: one per set of options, for the
    tests of one module."""
    contexts: dict[str, Any] = {}
    yield contexts
    for context in contexts.values():
        context.close()


@pytest.fixture
def new_tab(browser: Any, shared_contexts: dict[str, Any]) -> Iterator[Callable[..., Any]]:
    """Like ``new_page``, but the new page opens in a browser context that
    the module's tests with the same options share, which saves starting
    one per test. Only for tests that read a page as it loads: the pages of
    a context share cookies, storage and the HTTP cache, so a test that
    clicks, stores, or checks what the page requests uses ``new_page``."""
    pages: list[Any] = []

    def open_page(viewport: dict[str, int] = PHONE, **options: Any) -> Any:
        settings = context_options(viewport, options)
        key = repr(sorted(settings.items()))
        if key not in shared_contexts:
            shared_contexts[key] = browser.new_context(**settings)
            shared_contexts[key].set_default_timeout(15_000)
        page = watched(shared_contexts[key].new_page())
        pages.append(page)
        return page

    yield open_page
    for page in pages:
        page.close()


# --- the checkers from npm -----------------------------------------------


@pytest.fixture(scope="session")
def axe_js() -> Path:
    if not AXE_JS.is_file():
        unavailable(f"{AXE_JS.relative_to(REPO_ROOT)} is missing (npm ci)")
    return AXE_JS


@pytest.fixture(scope="session")
def vnu() -> list[str]:
    """The command that runs the Nu Html Checker."""
    java = shutil.which("java")
    if java is None:
        unavailable("java is missing (Debian package default-jre-headless)")
    if not VNU_JAR.is_file():
        unavailable(f"{VNU_JAR.relative_to(REPO_ROOT)} is missing (npm ci)")
    # One short run: the optimising compiler would not pay for itself, and
    # without it the checker needs more stack than Java's default. The
    # report is the same, in half the time.
    return [str(java), "-XX:TieredStopAtLevel=1", "-Xss4m", "-jar", str(VNU_JAR)]

"""Rendering a site's pages, fast: in worker processes, each page's HTML
taken from the build cache or this process's last build where its value
and its templates, strings and assets are as they were, and written
where it is made.

One page is rendered by :class:`sitegen.core.render.Renderer`; this is
the loop around it: :func:`render_pages` for a site planned here, and
:class:`PageMaker` and :func:`collect` for pages planned by a child
process and rendered as they come (see ``apart.py``).
"""

from __future__ import annotations

import dataclasses
import re
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from sitegen.core.diagnostics import Diagnostic, Diagnostics
from sitegen.core.pages import Page
from sitegen.core.render import FIRST_ON, Renderer
from sitegen.engine.cache import Fingerprints, fingerprint, key_of
from sitegen.engine.parallel import Ahead
from sitegen.engine.runners import SERIAL, Mapper


class RenderCache(Protocol):
    rendered: dict[str, tuple[Page, str, bytes]]
    renders: int


class PageStore(Protocol):
    def page_index(self) -> dict[str, str]: ...
    def get_page(self, key: str) -> tuple[bytes, Path, str] | None: ...
    def put_page(
        self, key: str, data: bytes, written: Path | None = None
    ) -> tuple[Path | None, str]: ...
    def save_page_index(self, index: dict[str, str]) -> None: ...


_ASSET = re.compile(rb'(?:href|src)="[^"]*?/((?:assets|pagefind)/[^"?]+\.(?:css|js))')
_ASSET_FOLDERS = (b"/assets/", b"/pagefind/")


def _assets(data: bytes) -> tuple[str, ...]:
    """The theme's style sheets and scripts (and the search's) that the page
    ``data`` loads: what ``_ASSET`` finds, looked for only in the attribute
    values that name one of their folders. Scanning every link of a page
    for them took a tenth of the workers' time."""
    found: set[bytes] = set()
    for folder in _ASSET_FOLDERS:
        at = data.find(folder)
        while at >= 0:
            opening = data.rfind(b'"', 0, at)  # the value's, as no quote is inside it
            closing = data.find(b'"', at)
            stop = closing if closing >= 0 else len(data)
            for name in (b"href=", b"src="):
                start = opening - len(name)
                if opening >= 0 and data.startswith(name, start):
                    match = _ASSET.match(data, start, stop)
                    if match is not None:
                        found.add(match.group(1))
            at = data.find(folder, stop) if closing >= 0 else -1
    return tuple(sorted(m.decode() for m in found))


@dataclass
class RenderedPages:
    html: dict[str, bytes]  # output path -> bytes, unless they went to a sink
    # output path -> (size in bytes, the theme's style sheets and scripts it loads)
    sizes: dict[str, tuple[int, tuple[str, ...]]]


@dataclass(frozen=True, slots=True)
class Spooled:
    """Pages to render that were written to a spool file (see
    :class:`SpoolWriter`) by another process, the one that planned them."""

    file: IO[bytes]
    names: list[tuple[str, str]]  # each page's output path and template, in order
    # files the build made beside the pages (calendars, feeds): their places in the spool's file
    beside: dict[str, tuple[int, int]] = dataclasses.field(default_factory=dict)


def render_pages(
    pages: Sequence[Page],
    renderer: Renderer,
    diagnostics: Diagnostics,
    cache: RenderCache,
    store: PageStore | None = None,
    each: Mapper = SERIAL.map,
    sink: Callable[[str, bytes], Path | None] | None = None,
    place: Callable[[str, Path], None] | None = None,
    weigh: bool = True,
    meanwhile: Callable[[], None] | None = None,
    ahead: Ahead[Page, Made] | None = None,
) -> RenderedPages:
    """Render every page, reusing the HTML of a page whose value and whose
    templates, strings and assets are what they were in this process's
    last build or in the build cache (``store``); the pages are rendered by
    ``each`` (a runner's ``map``), and ``meanwhile`` is called here while
    they are. With a ``sink``, each page is handed to it where it is made, and
    not kept; a page that is in the cache is handed to ``place`` as its
    cache file instead, to be linked, not written.

    ``ahead`` has rendered the pages planned before ``pages`` (its items
    taken), which are counted with them."""
    result = RenderedPages({}, {})
    current: dict[str, tuple[Page, str, bytes]] = {}
    todo = _changed(pages, renderer, cache.rendered, current)
    for path, (_, _, data) in current.items():
        _keep(result, path, data, sink)
    before = ahead.close() if ahead is not None else []
    names = [(page.output_path, page.template) for page in [*before, *todo]]
    make = PageMaker(renderer, store, sink, place, weigh)
    make.prepare({template for _, template in names[len(before) :]})
    made = each(make, todo, meanwhile=meanwhile)
    if ahead is not None:
        made = ahead.results() + made
    kept = [*before, *todo]  # for the next build in this process
    return collect(names, made, renderer, diagnostics, cache, store, kept, result, current)


class PageMaker:
    """What a worker does with each page: render it (or take it from the
    build cache), hand it to the sink, and report a :class:`Made`."""

    def __init__(
        self,
        renderer: Renderer,
        store: PageStore | None,
        sink: Callable[[str, bytes], Path | None] | None,
        place: Callable[[str, Path], None] | None,
        weigh: bool,
    ) -> None:
        self.renderer, self.store, self.sink, self.place = renderer, store, sink, place
        self.weigh = weigh
        self.fingerprints = Fingerprints()  # for this build's pages, which share their parts
        if store is not None:
            store.page_index()  # read once here, not once in each worker

    def prepare(self, templates: set[str]) -> None:
        """Compile ``templates`` and work out their digests here, not in
        each worker forked after."""
        self.renderer.compile(templates)
        for name in sorted(templates):
            template_digest(self.renderer, name)

    def __call__(self, page: Page) -> Made:
        renderer, store, sink = self.renderer, self.store, self.sink
        key, file, digest = "", None, ""
        data: bytes | None = None
        if store is not None:
            key = page_key(page, template_digest(renderer, page.template), self.fingerprints)
            found = store.get_page(key)
            if found is not None:
                data, file, digest = found
        made = data is None
        problems = Diagnostics()
        if data is None:
            html = renderer.render(page, problems)
            if html is None:
                return Made(None, 0, (), True, list(problems), "", "")
            data = html.encode("utf-8")
        assets = _assets(data) if self.weigh else ()
        written = None
        if sink is not None:
            if self.place is not None and file is not None:
                self.place(page.output_path, file)
            else:
                written = sink(page.output_path, data)
        if made and store is not None:  # linked from the new site where it was written there
            file, digest = store.put_page(key, data, written)
        kept = None if sink is not None else data
        return Made(kept, len(data), assets, made, list(problems), key, digest)


def collect(
    names: Sequence[tuple[str, str]],
    made: Sequence[Made],
    renderer: Renderer,
    diagnostics: Diagnostics,
    cache: RenderCache,
    store: PageStore | None,
    rendered: Sequence[Page] | None = None,
    result: RenderedPages | None = None,
    current: dict[str, tuple[Page, str, bytes]] | None = None,
) -> RenderedPages:
    """What the workers ``made`` of the pages ``names`` (output path and
    template, in order): their sizes, their HTML where it was kept, their
    problems, each mistake of a template once, and the cache's index.
    ``rendered``: the pages themselves, whose HTML is kept for the next
    build in this process (in ``current``, which holds the pages kept from
    the last), where they are at hand."""
    result = result if result is not None else RenderedPages({}, {})
    current = current if current is not None else {}
    seen: set[Diagnostic] = set(diagnostics)
    # each mistake of a template once, as found on the first page (by output path) it is on
    found: dict[tuple[str, int, str, str], tuple[str, Diagnostic]] = {}
    index: dict[str, str] = {}
    cache.renders = 0
    pages: Sequence[Page | None] = rendered or [None] * len(names)
    for (path, template), page, done in zip(names, pages, made, strict=True):
        for diagnostic in done.problems:
            mistake = _mistake(diagnostic)
            if mistake not in found or path < found[mistake][0]:
                found[mistake] = (path, diagnostic)
        cache.renders += done.made
        if done.key and done.digest:
            index[done.key] = done.digest
        if done.size == 0:
            continue
        result.sizes[path] = (done.size, done.assets)
        if done.data is not None:
            assert page is not None
            result.html[path] = done.data
            current[path] = (page, template_digest(renderer, template), done.data)
    for _, diagnostic in sorted(found.values(), key=lambda first: first[0]):
        if diagnostic not in seen:
            seen.add(diagnostic)
            diagnostics.add(diagnostic)
    if store is not None:
        if current.keys() - {path for path, _ in names}:
            # pages kept from this process's last build were not looked up
            # in the cache; keep what the index says of them
            index = {**store.page_index(), **index}
        store.save_page_index(index)
    cache.rendered = current
    result.html = dict(sorted(result.html.items()))
    return result


def _mistake(diagnostic: Diagnostic) -> tuple[str, int, str, str]:
    """What ``diagnostic`` says, whichever page it was found on."""
    message = diagnostic.message.partition(FIRST_ON)[0]
    return diagnostic.path, diagnostic.line, diagnostic.code, message


def _changed(
    pages: Sequence[Page],
    renderer: Renderer,
    previous: dict[str, tuple[Page, str, bytes]],
    unchanged: dict[str, tuple[Page, str, bytes]],
) -> list[Page]:
    """The pages to render: those that are not, with the same templates,
    strings and assets, in ``previous``; the others go to ``unchanged``."""
    todo: list[Page] = []
    for page in pages:
        hit = previous.get(page.output_path)
        if (
            hit is not None
            and hit[1] == template_digest(renderer, page.template)
            and hit[0] == page
        ):
            unchanged[page.output_path] = hit
        else:
            todo.append(page)
    return todo


_TEMPLATE_DIGESTS: weakref.WeakKeyDictionary[Renderer, dict[str, str]] = weakref.WeakKeyDictionary()


def template_digest(renderer: Renderer, template: str) -> str:
    """A digest of everything but the page that goes into a page rendered
    with ``template``: the templates it uses, the strings, the asset
    versions and the configuration."""
    known = _TEMPLATE_DIGESTS.setdefault(renderer, {})
    if template not in known:
        names = sorted(renderer.template_closure(template))
        sources = [(name, renderer.template_source(name)) for name in names]
        known[template] = fingerprint(
            (sources, renderer.strings.table, renderer.site.asset_versions, renderer.config)
        )
    return known[template]


def page_key(page: Page, templates: str, fingerprints: Fingerprints) -> str:
    """The build cache's name for ``page`` rendered with templates, strings
    and assets of the digest ``templates``: of the page's fingerprint, its
    shared parts (cards, events) walked once by ``fingerprints``. The list
    of source files (every article, for a news list) is joined rather than
    walked, which is many times faster."""
    fingerprint = fingerprints(dataclasses.replace(page, sources=()))
    return key_of("page", templates, fingerprint, "\0".join(page.sources))


@dataclass(frozen=True, slots=True)
class Made:
    """What a worker reports of one page."""

    data: bytes | None  # None when the page went to the sink, or failed
    size: int
    assets: tuple[str, ...]
    made: bool  # rendered, not found in the cache
    problems: list[Diagnostic]
    key: str  # in the build cache
    digest: str


def _keep(
    result: RenderedPages, out: str, data: bytes, sink: Callable[[str, bytes], Path | None] | None
) -> None:
    assets = _assets(data)
    result.sizes[out] = (len(data), assets)
    if sink is not None:
        sink(out, data)
    else:
        result.html[out] = data


def heaviest(
    names: Iterable[tuple[str, str, str]],
    sizes: Mapping[str, tuple[int, tuple[str, ...]]],
    static: Mapping[str, Path],
) -> dict[str, tuple[str, int, int, int]]:
    """What a reader downloads for each kind of page, pictures aside: for
    each template, the heaviest page's address and the bytes of the page
    itself and of the style sheets and scripts it loads from the theme
    (``static``). ``names``: each page's output path, address and template;
    ``sizes``: each page's bytes and the theme files it loads."""
    static_sizes = {name: path.stat().st_size for name, path in static.items()}
    found: dict[str, tuple[str, int, int, int]] = {}
    for path, url, template in names:
        if path not in sizes:
            continue
        size, assets = sizes[path]
        css = sum(static_sizes.get(a, 0) for a in assets if a.endswith(".css"))
        js = sum(static_sizes.get(a, 0) for a in assets if a.endswith(".js"))
        weight = (url, size, css, js)
        best = found.get(template)
        if best is None or sum(weight[1:]) > sum(best[1:]):
            found[template] = weight
    return dict(sorted(found.items()))

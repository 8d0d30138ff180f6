"""The build, stage by stage: load, parse, resolve, plan, render, write.

Each stage reads what the stages before it left in the build state and
adds its own result; problems are collected as diagnostics. Nothing is
written unless every stage succeeded (and, with ``strict``, warned about
nothing), so a failed build leaves the previous output untouched.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from sitegen.core.config import SiteConfig, base_url_problem, load_config, normalize_base_url
from sitegen.core.diagnostics import Diagnostic, Diagnostics
from sitegen.core.feeds import feed_files
from sitegen.core.i18n import Strings, load_strings
from sitegen.core.load import Sources, load_sources
from sitegen.core.model import Site
from sitegen.core.pages import Page, Plan
from sitegen.core.plan import plan_site
from sitegen.core.render import Renderer
from sitegen.core.resolve import Documents, resolve_site
from sitegen.core.sitemap import robots, sitemap_entry, sitemap_of
from sitegen.core.theme import Theme, find_theme
from sitegen.engine.bodies import BodyStore
from sitegen.engine.cache import BuildStore
from sitegen.engine.calendars import calendar_files
from sitegen.engine.incremental import BuildCache as BuildCache  # a parameter of build()
from sitegen.engine.parallel import (
    Ahead,
    Cancelled,
    Channel,
    Forked,
    Packed,
    PieceRunner,
    SpoolLayout,
    SpoolWriter,
    read_at,
    release_memory,
    settle,
    unsettle,
    workers,
)
from sitegen.engine.parsing import parse_sources
from sitegen.engine.publish import picture_cache, publish
from sitegen.engine.rendering import Made, PageMaker, Spooled, collect, heaviest, render_pages
from sitegen.engine.runners import SERIAL, Bounded, Pooled, Runner, choose_runner
from sitegen.engine.uptodate import check_output
from sitegen.engine.write import Staging, unsafe_output

CACHE_DIR = ".sitegen-cache"
Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class BuildOptions:
    out_dir: Path | None = None  # default: SITE_DIR/build
    base_url: str | None = None  # overrides site.yaml
    drafts: bool = False
    strict: bool = False  # warnings fail the build too
    write: bool = True  # False: check everything, write nothing
    today: dt.date | None = None  # the build date (default: today), for coming events
    search: bool = True  # build the search index (Pagefind) into the written site
    cache_dir: Path | None = None  # default: $SITEGEN_CACHE_DIR or SITE_DIR/.sitegen-cache
    cache: bool = True  # False: use no cached result and keep none
    jobs: int = 0  # processes that parse and render; 0: one per core
    # how the stages are run (see sitegen.engine.runners); None: chosen from
    # ``jobs`` and the site's size, as for the command line
    runner: Runner | None = None
    # True: keep the parsed site, the plan and every page's HTML in the
    # result (BuildResult.site, .plan and .output), as `check` and `serve`
    # need. False, as `sitegen build` does: the pages go to disk as they are
    # made, a large site is planned in a child process and not kept, and an
    # output folder that is already what the build would write is left alone
    keep: bool = False
    weigh: bool = False  # measure what each kind of page loads (BuildResult.weights)
    # replace an output folder that holds files sitegen did not write (never
    # the site folder, a folder the build reads, or a file)
    force: bool = False


@dataclass(frozen=True, slots=True)
class BuildResult:
    diagnostics: list[Diagnostic]
    out_dir: Path
    pages: int
    files_written: int
    seconds: float
    ok: bool
    # What the stages produced, for `check` and `serve` (None where a stage did not run).
    site: Site | None = field(default=None, repr=False, compare=False)
    plan: Plan | None = field(default=None, repr=False, compare=False)
    output: dict[str, bytes] = field(default_factory=dict, repr=False, compare=False)
    # where the bodies of ``site``'s articles are, kept while the result is
    bodies: BodyStore | None = field(default=None, repr=False, compare=False)
    # every output path: pages, calendars, bundle files and theme static files
    files: frozenset[str] = field(default=frozenset(), repr=False, compare=False)
    images_made: int = 0  # picture copies resized, not taken from the cache
    timings: dict[str, float] = field(default_factory=dict, repr=False, compare=False)  # stage: s
    # per template, the heaviest page: (url, HTML bytes, CSS bytes, JS bytes)
    weights: dict[str, tuple[str, int, int, int]] = field(
        default_factory=dict, repr=False, compare=False
    )
    up_to_date: bool = False  # nothing changed since the last build: the site was left as it was
    cancelled: bool = False  # stopped before it wrote anything (see build's ``stop``)


@dataclass
class _State:
    site_dir: Path
    options: BuildOptions
    diagnostics: Diagnostics
    progress: Progress
    config: SiteConfig | None = None
    theme: Theme | None = None
    strings: Strings | None = None
    sources: Sources | None = None
    documents: Documents | None = None
    site: Site | None = None
    plan: Plan | None = None
    html: dict[str, bytes] = field(default_factory=dict)
    files_written: int = 0
    images_made: int = 0
    store: BuildStore | None = None
    staging: Staging | None = None
    sizes: dict[str, tuple[int, tuple[str, ...]]] = field(default_factory=dict)
    page_names: list[tuple[str, str, str]] = field(default_factory=list)  # (file, url, template)
    made: dict[str, bytes] = field(default_factory=dict)  # calendars, feeds and the sitemap
    spooled: Spooled | None = None  # the pages to render, planned by a child process
    maker: PageMaker | None = None  # what renders them, as they come
    ahead: Ahead[Page, Made] | None = None  # what renders the pages planned here, as they come
    timings: dict[str, float] = field(default_factory=dict)  # stage: seconds
    cache: BuildCache = field(default_factory=BuildCache)
    runner: Runner = SERIAL
    stop: threading.Event | None = None  # see build()


def _load(state: _State) -> None:
    config = load_config(state.site_dir, state.diagnostics)
    if config is None:
        return
    if state.options.base_url is not None:
        problem = base_url_problem(normalize_base_url(state.options.base_url))
        if problem:
            state.diagnostics.error(
                "--base-url",
                0,
                "bad-base-url",
                problem,
                "give an absolute address, e.g. https://example.org/xindu/",
            )
            return
        config = config.with_base_url(state.options.base_url)
    state.config = config
    state.theme = find_theme(state.site_dir, config, state.diagnostics)
    if state.theme is not None:
        state.strings = load_strings(state.theme, state.site_dir, config, state.diagnostics)
    state.sources = load_sources(state.site_dir, config, state.diagnostics)


def _parse(state: _State) -> None:
    """Parse every source file (see ``engine/parsing.py``)."""
    assert state.config is not None and state.sources is not None
    try:
        if state.cache.bodies is None:
            state.cache.bodies = BodyStore()
        handed, state.sources = [state.sources], None  # see parse_sources
        parsed = parse_sources(
            handed,
            state.config,
            state.runner,
            state.cache.bodies,
            state.store,
            state.cache.parsed,
        )
    except OSError as exc:  # writing the bodies out, or the texts to the spool
        _write_failed(state, exc)
        state.sources = None  # nothing more to do
        return
    state.diagnostics.extend(parsed.diagnostics)
    state.documents, state.sources = parsed.documents, parsed.sources
    state.cache.parsed, state.cache.parses = parsed.memo, parsed.parses
    release_memory()


def _resolve(state: _State) -> None:
    assert state.config is not None and state.documents is not None
    state.site = resolve_site(
        state.documents, state.config, state.diagnostics, include_drafts=state.options.drafts
    )


def _plan(state: _State, out: Callable[[list[Page]], None] | None = None) -> None:
    """Plan the site's pages; with ``out``, hand them to it a batch at a
    time instead of keeping them in the plan."""
    assert state.site is not None and state.config is not None
    today = state.options.today or dt.date.today()
    state.plan = plan_site(
        state.site, state.config, state.diagnostics, today, out, state.runner.batch
    )


def _plan_here(state: _State) -> None:
    """Plan the site's pages. A site written into a new folder by several
    processes has them rendered as they are planned, a batch at a time, by
    one process beside this one (see Ahead); the rest are rendered after."""
    if not _renders_ahead(state):
        _plan(state)
        return
    assert state.theme is not None and state.strings is not None and state.config is not None
    try:
        maker = _page_maker(state, state.config, state.theme, state.strings)
    except OSError:  # making the new site's folder: said by _render, which tries again
        _plan(state)
        return
    prepare = lambda pages: maker.prepare({page.template for page in pages})  # noqa: E731
    assert isinstance(state.runner, Pooled)
    state.ahead = Ahead(maker, prepare, state.runner.ahead)
    _plan(state, state.ahead.add)
    assert state.plan is not None
    state.plan = dataclasses.replace(state.plan, pages=tuple(state.ahead.items))


def _renders_ahead(state: _State) -> bool:
    """Whether to render pages while the plan is made: where they are
    written as they are made and not kept, by a pool of processes."""
    options, runner = state.options, state.runner
    if not isinstance(runner, Pooled) or runner.ahead < 1 or workers(runner.jobs) < 2:
        return False
    if options.keep or _blocked(state, "write"):
        return False
    return state.theme is not None and state.strings is not None and not state.cache.rendered


def _render(state: _State) -> None:
    """Render the pages, and make what is made of the whole site (see
    _outline) while they are rendered."""
    if state.theme is None or state.strings is None:
        return
    assert state.plan is not None and state.config is not None
    state.progress(f"rendering {len(state.plan.pages)} pages")
    ahead = state.ahead
    if state.maker is not None:  # made for the pages rendered ahead
        renderer = state.maker.renderer
    else:
        renderer = Renderer(state.theme, state.strings, state.config, state.theme.files("static"))
    stream = not state.options.keep and not _blocked(state, "write")
    try:
        if stream:
            state.staging = state.staging or _staging(state)
        rendered = render_pages(
            state.plan.pages[ahead.taken :] if ahead else state.plan.pages,
            renderer,
            state.diagnostics,
            state.cache,
            state.store,
            state.runner.map,
            sink=state.staging.write if state.staging else None,
            place=state.staging.link if state.staging else None,
            weigh=state.options.weigh,
            meanwhile=lambda: _outline(state),
            ahead=ahead,
        )
    except OSError as exc:  # writing a page, or the cache
        _write_failed(state, exc)
        return
    state.html, state.sizes = rendered.html, rendered.sizes
    state.cache.renderer = renderer
    state.html.update(state.made)


def _outline(state: _State) -> None:
    """What is made of the whole site and plan rather than page by page:
    the pages' names, each article's pages (for ``serve``), the calendars,
    the feeds and the sitemap; made while the site and the plan are at
    hand."""
    assert state.plan is not None
    outline = _Outline()
    outline.add(state.plan.pages, state)
    outline.finish(state)


class _Outline:
    """What :func:`_outline` makes, gathered from the pages a batch at a time."""

    def __init__(self) -> None:
        self.names: Packed[tuple[str, str, str]] = Packed()  # output path, url, template
        self.sitemap: Packed[tuple[str, str]] = Packed()
        self.sources: Packed[tuple[str, str]] = Packed()  # an article page's path, its source

    def add(self, pages: Sequence[Page], state: _State) -> None:
        assert state.config is not None
        for page in pages:
            path = page.output_path
            self.names.append((path, page.url, page.template))
            if page.template == "article.html" and len(page.sources) == 1:
                self.sources.append((path, page.sources[0]))
            entry = sitemap_entry(page, state.config)
            if entry is not None:
                self.sitemap.append(entry)

    def finish(self, state: _State, made: dict[str, bytes] | None = None) -> None:
        """Make the rest; ``made``: the site's files, made already (see _site_files)."""
        assert state.config is not None and state.site is not None and state.strings is not None
        state.page_names = sorted(self.names)  # as the plan's pages are, by output path
        state.cache.article_pages = {}
        pages = state.cache.article_pages
        sources: dict[str, str] = {}
        for path, source in self.sources:
            sources.setdefault(path, source)
        for path, _url, template in state.page_names:
            if template == "article.html" and path in sources:
                pages.setdefault(sources[path], []).append(path)
        made = _site_files(state) if made is None else made
        made.update({"sitemap.xml": sitemap_of(self.sitemap), "robots.txt": robots(state.config)})
        state.made = made


def _site_files(state: _State) -> dict[str, bytes]:
    """The calendars and the feeds, which are made of the site, not its pages."""
    assert state.config is not None and state.site is not None and state.strings is not None
    each = state.runner.map
    made = calendar_files(state.site, state.config, state.strings, state.store, each)
    made.update(feed_files(state.site, state.config))
    return made


@dataclass(frozen=True, slots=True)
class _Handover:
    """What the child process that planned a site hands back to the build."""

    config: SiteConfig | None
    theme: Theme | None
    strings: Strings | None
    sources: Sources | None
    plan: Plan | None  # without its pages, which are in the spool
    diagnostics: Diagnostics
    page_names: list[tuple[str, str, str]]
    article_pages: dict[str, list[str]]
    beside: dict[str, tuple[int, int]]  # the calendars, feeds and sitemap, in the spool's file
    parses: int
    timings: dict[str, float]
    spool: SpoolLayout | None
    order: list[tuple[str, str]]  # each spooled page's output path and template


def _may_bound(options: BuildOptions, cache: BuildCache) -> bool:
    """Whether a build may plan the site in a child process (the bounded
    runner): one that writes its pages as they are made and keeps neither
    them nor the site (``sitegen build``), with nothing from an earlier
    build in this process to reuse."""
    if options.keep or not options.write:
        return False
    return not cache.parsed and not cache.rendered


def _plan_apart(state: _State) -> None:
    """Load, parse, resolve and plan in a child process, which writes the
    pages to render to a spool, and hands back the rest. What the site and
    its plan took goes back to the system with the child, and the workers
    that render, forked from this process, inherit nothing of it.

    Meanwhile this process renders the pieces of the spool the child has
    written, one at a time, beside the child at work, and those small
    enough only: a large piece (a timeline's pages) would take as much
    memory as the child. The rest are rendered once the child is done,
    on every core, the largest first, and the largest (a timeline's
    pages) one at a time."""
    bounded = state.runner
    assert isinstance(bounded, Bounded)
    try:
        if state.cache.bodies is None:
            state.cache.bodies = BodyStore()
        file = tempfile.TemporaryFile()  # noqa: SIM115 (closed below, or with the spooled pages)
        channel = Channel()
    except OSError as exc:
        _write_failed(state, exc)
        return
    runner: PieceRunner[Page, Made] | None = None
    planner: Forked[_Handover] | None = None
    failed: OSError | None = None  # making the new site's folder, or writing a page there
    try:
        planner = Forked(lambda: _planned(state, file, channel))
        channel.receiving()
        while not channel.closed:
            try:
                ready = runner.wait([channel]) if runner is not None else [channel]
                for message in channel.receive() if ready else ():
                    if message[0] == "ready":
                        runner = _runner(state, file, *message[1:])
                    elif runner is not None and state.maker is not None:
                        _, index, place, templates = message
                        state.maker.prepare(templates)
                        runner.add(index, place)
                if runner is not None:
                    runner.start(1, bounded.light)
            except OSError as exc:  # said once the child is done, with what it found
                failed = failed or exc
                if runner is not None:
                    runner.kill()
                runner = None
        handed, planner = planner.result(), None
        _take(state, handed)
        if failed is not None:
            _write_failed(state, failed)
            return
        if handed.spool is None or runner is None:  # nothing to render
            return
        state.spooled = Spooled(file, handed.order, handed.beside)
        begun = time.perf_counter()
        state.progress(f"rendering {len(state.page_names)} pages")
        made = runner.finish(len(handed.spool.pieces), workers(bounded.jobs), bounded.heavy)
        _collect(state, made)
        state.timings["render"] = state.timings.get("render", 0.0) + time.perf_counter() - begun
    except OSError as exc:  # making the new site's folder, writing a page or the cache
        _write_failed(state, exc)
    finally:
        if planner is not None:
            planner.kill()
        if runner is not None:
            runner.kill()
        channel.close()
        if state.spooled is None:
            file.close()


def _take(state: _State, handed: _Handover) -> None:
    """What the child that planned the site handed back."""
    state.config, state.theme, state.strings = handed.config, handed.theme, handed.strings
    state.sources, state.plan, state.diagnostics = handed.sources, handed.plan, handed.diagnostics
    state.page_names = handed.page_names
    state.cache.article_pages, state.cache.parses = handed.article_pages, handed.parses
    for name, seconds in handed.timings.items():
        state.timings[name] = state.timings.get(name, 0.0) + seconds


def _runner(
    state: _State, file: IO[bytes], config: SiteConfig, theme: Theme, strings: Strings
) -> PieceRunner[Page, Made]:
    """What renders the pieces of a site planned apart, as they come: with
    the child's settings, theme and strings."""
    return PieceRunner(_page_maker(state, config, theme, strings), file)


def _page_maker(state: _State, config: SiteConfig, theme: Theme, strings: Strings) -> PageMaker:
    """What renders pages while the site is still planned (``state.maker``),
    into the new site's folder, which it makes."""
    renderer = Renderer(theme, strings, config, theme.files("static"))
    state.staging = _staging(state)
    state.maker = PageMaker(
        renderer, state.store, state.staging.write, state.staging.link, state.options.weigh
    )
    return state.maker


def _collect(state: _State, made: list[Made]) -> None:
    """Take in what the pieces' workers made (see _plan_apart)."""
    assert state.spooled is not None and state.maker is not None
    renderer = state.maker.renderer
    rendered = collect(
        state.spooled.names, made, renderer, state.diagnostics, state.cache, state.store
    )
    state.html, state.sizes = rendered.html, rendered.sizes
    state.cache.renderer = renderer
    for name, place in state.spooled.beside.items():
        state.made[name] = read_at(state.spooled.file, place)
    state.html.update(state.made)


def _planned(state: _State, file: IO[bytes], channel: Channel) -> _Handover:
    """The child's part of :func:`_plan_apart`: the pages are written to
    ``file`` as they are planned, a batch at a time, and not kept; each
    batch is announced on ``channel``, once what renders them is known."""
    channel.sending()
    for name, stage in STAGES[:3]:  # load, parse, resolve
        if not _blocked(state, name):
            begun = time.perf_counter()
            stage(state)
            settle()
            state.timings[name] = time.perf_counter() - begun
        if name == "load" and state.theme is not None and state.strings is not None:
            channel.send(("ready", state.config, state.theme, state.strings))
    state.documents, state.cache.parsed = None, {}  # kept for a next build, which is not
    order: list[tuple[str, str]] = []  # the pages' output paths and templates, as written
    layout = None
    beside: dict[str, tuple[int, int]] = {}  # the files made, written to ``file``
    if not _blocked(state, "plan"):
        writer = SpoolWriter(file)
        ready = state.theme is not None and state.strings is not None
        if ready:
            # before the plan, while this process is at its smallest; what
            # making them takes is given back before the plan grows, and
            # they are not held meanwhile
            begun = time.perf_counter()
            beside = {name: writer.put(data) for name, data in _site_files(state).items()}
            release_memory()
            state.timings["render"] = time.perf_counter() - begun
        begun = time.perf_counter()
        outline = _Outline()

        def out(pages: list[Page]) -> None:
            outline.add(pages, state)
            writer.add(pages)
            if ready:
                file.flush()
                templates = {page.template for page in pages}
                channel.send(("piece", len(writer.places) - 1, writer.places[-1], templates))
            release_memory()  # what the batch took, for the next to use

        _plan(state, out)
        state.timings["plan"] = time.perf_counter() - begun
        if ready:
            begun = time.perf_counter()
            outline.finish(state, {})
            beside.update({name: writer.put(data) for name, data in state.made.items()})
            state.made = {}
            order = [(path, template) for path, _url, template in outline.names]  # plan order
            assert isinstance(state.runner, Bounded)
            layout = writer.layout(state.runner.jobs, state.runner.least)
            state.timings["render"] += time.perf_counter() - begun
        del outline, writer, out
        state.site = None  # made into pages and files: room for the handover's pickling
        release_memory()
    return _Handover(
        state.config, state.theme, state.strings, state.sources, state.plan, state.diagnostics,
        state.page_names, state.cache.article_pages, beside,
        state.cache.parses, state.timings, layout, order,
    )  # fmt: skip


def _write(state: _State) -> None:
    """Write the site (see ``engine/publish.py``)."""
    assert state.plan is not None and state.theme is not None
    copies = {**state.theme.files("static")}
    copies.update({out: state.site_dir / src for out, src in state.plan.files.items()})
    try:
        with picture_cache(cache_dir(state) if state.options.cache else None) as cache:
            state.staging = state.staging or _staging(state)
            published = publish(
                state.staging, state.html, copies, state.plan.images, state.site_dir, cache,
                state.options.search, state.diagnostics, state.progress, state.stop,
            )  # fmt: skip
    except OSError as exc:
        _write_failed(state, exc)
        return
    if published is not None:
        copied, state.images_made = published
        state.files_written = len(state.sizes.keys() | state.html.keys()) + copied


def _staging(state: _State) -> Staging:
    """The folder the new site is written into; a build writing the same
    output folder is waited for."""
    where = out_dir(state)
    return Staging(where, lambda: state.progress(f"waiting for another build to finish {where}"))


def _write_failed(state: _State, exc: OSError) -> None:
    # copying a file, the error names its source first and the new copy second
    written = exc.filename2 or exc.filename
    where = Path(os.fsdecode(written)) if written else out_dir(state)
    if state.staging is not None and where.is_relative_to(state.staging.root):
        where = out_dir(state) / where.relative_to(state.staging.root)  # not the temporary name
    state.diagnostics.error(
        str(where),
        0,
        "write-failed",
        f"could not write the site: {exc.strerror or exc}",
        "check free disk space and permissions; the previous site was left as it was",
    )


def _weigh(state: _State) -> dict[str, tuple[str, int, int, int]]:
    if state.theme is None:
        return {}
    return heaviest(state.page_names, state.sizes, state.theme.files("static"))


STAGES: tuple[tuple[str, Callable[[_State], None]], ...] = (
    ("load", _load),
    ("parse", _parse),
    ("resolve", _resolve),
    ("plan", _plan_here),
    ("render", _render),
    ("write", _write),
)
_STAGES_APART: tuple[tuple[str, Callable[[_State], None]], ...] = (
    ("plan apart", _plan_apart),  # and render
    ("write", _write),
)


def out_dir(state: _State) -> Path:
    return state.options.out_dir or state.site_dir / "build"


def cache_dir(state: _State) -> Path:
    """``--cache-dir``, else $SITEGEN_CACHE_DIR, else SITE_DIR/.sitegen-cache.
    Entries are addressed by their inputs, so sites may share a folder."""
    chosen = state.options.cache_dir or os.environ.get("SITEGEN_CACHE_DIR")
    return Path(chosen) if chosen else state.site_dir / CACHE_DIR


def _blocked(state: _State, stage: str) -> bool:
    """Whether ``stage`` must not run after what has been found so far."""
    if stage == "write":
        if not state.options.write or state.diagnostics.errors:
            return True
        return state.options.strict and bool(state.diagnostics.warnings)
    if stage in ("parse", "resolve", "plan", "render"):
        return state.config is None or state.sources is None
    return False


def build(
    site_dir: Path,
    options: BuildOptions | None = None,
    progress: Progress | None = None,
    cache: BuildCache | None = None,
    stop: threading.Event | None = None,
) -> BuildResult:
    """Build the site in ``site_dir``; see :class:`BuildOptions`. Pass the same
    ``cache`` to successive builds to redo only what changed. Once ``stop``
    is set (from another thread), the build stops: no stage starts, the
    workers end, nothing is written and the result says ``cancelled``."""
    started = time.perf_counter()
    state = _State(
        site_dir,
        options or BuildOptions(),
        Diagnostics(),
        progress or (lambda _: None),
        cache=cache if cache is not None else BuildCache(),
    )
    if state.options.write:
        unsafe = unsafe_output(site_dir, out_dir(state), state.options.force)
        if unsafe is not None:  # refused before anything is read
            seconds = time.perf_counter() - started
            return BuildResult([unsafe], out_dir(state), 0, 0, seconds, ok=False)
    if state.options.cache:
        state.store = BuildStore(cache_dir(state))
    last = check_output(site_dir, state.options, out_dir(state), cache_dir(state))
    if last.unchanged is not None:  # the output is what this build would write
        done, seconds = last.unchanged, time.perf_counter() - started
        return BuildResult(
            list(done.diagnostics), out_dir(state), done.pages, 0, seconds, ok=True,
            timings=last.timings, weights=done.weights or {}, up_to_date=True,
        )  # fmt: skip
    state.timings = last.timings
    bounded = _may_bound(state.options, state.cache)
    state.runner = state.options.runner or choose_runner(site_dir, state.options.jobs, bounded)
    if stop is not None:
        state.runner, state.stop = dataclasses.replace(state.runner, stop=stop), stop
    apart = bounded and isinstance(state.runner, Bounded)

    def record() -> None:  # what was written, while the output folder is locked
        if state.staging is not None and state.staging.committed:
            weights = _weigh(state) if state.options.weigh else None
            last.record(_pages(state), state.diagnostics.sorted(), weights)

    if _run(state, _STAGES_APART if apart else STAGES, stop, record):
        seconds = time.perf_counter() - started
        return BuildResult([], out_dir(state), 0, 0, seconds, ok=False, cancelled=True)
    return _result(state, _pages(state), time.perf_counter() - started)


def _pages(state: _State) -> int:
    return sum(1 for name in state.sizes.keys() | state.html.keys() if name.endswith(".html"))


def _run(
    state: _State,
    stages: Sequence[tuple[str, Callable[[_State], None]]],
    stop: threading.Event | None,
    done: Callable[[], None],
) -> bool:
    """Run ``stages`` in order, each that what was found before allows,
    then ``done``; whether ``stop`` stopped them. The new site's folder is
    let go of after (removed, unless it became the site), and so is what
    worked for the build."""
    try:
        for name, stage in stages:
            if stop is not None and stop.is_set():
                return True
            if _blocked(state, name):
                continue
            begun = time.perf_counter()
            stage(state)
            settle()
            if name != "plan apart":  # which counts the child's stages
                state.timings[name] = state.timings.get(name, 0.0) + time.perf_counter() - begun
        done()
    except Cancelled:
        return True
    finally:
        unsettle()
        if state.ahead is not None:  # a build cut short: its pages' process is not waited for
            state.ahead.kill()
        if state.staging is not None:  # removed unless it became the site
            state.staging.close()
        if state.spooled is not None:
            state.spooled.file.close()
    return False


def _result(state: _State, pages: int, seconds: float) -> BuildResult:
    ok = (
        not state.diagnostics.errors
        and not (state.options.strict and state.diagnostics.warnings)
        and state.config is not None
    )
    return BuildResult(
        diagnostics=state.diagnostics.sorted(),
        out_dir=out_dir(state),
        pages=pages,
        files_written=state.files_written,
        images_made=state.images_made,
        timings=state.timings,
        seconds=seconds,
        ok=ok,
        site=state.site,
        plan=state.plan,
        output=state.html,
        bodies=state.cache.bodies,
        weights=_weigh(state) if state.options.weigh else {},
        files=frozenset(
            [
                *state.html,
                *(state.plan.files if state.plan else ()),
                *(state.plan.images if state.plan else ()),
                *(state.theme.files("static") if state.theme else ()),
            ]
        ),
    )

"""The build, stage by stage: load, parse, resolve, plan, render, write.

Each stage takes the value the one before it made and returns its own;
problems are collected as diagnostics. Nothing is written unless every
stage succeeded (and, with ``strict``, warned about nothing), so a failed
build leaves the previous output untouched. How the stages are run fast
and small (processes, the build cache, writing pages as they are made) is
the engine's (see ``sitegen/engine/job.py``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.core.diagnostics import Diagnostic, Diagnostics
from sitegen.core.links import check_links
from sitegen.core.load import Settings, load_site
from sitegen.core.model import Site
from sitegen.core.pages import Plan
from sitegen.core.plan import plan_site
from sitegen.core.resolve import resolve_site
from sitegen.engine.apart import plan_apart
from sitegen.engine.bodies import BodyStore
from sitegen.engine.cache import BuildStore
from sitegen.engine.incremental import BuildCache as BuildCache  # a parameter of build()
from sitegen.engine.job import Job, Rendered, Written
from sitegen.engine.outputs import outputs
from sitegen.engine.parallel import Cancelled
from sitegen.engine.runners import Bounded, Runner, choose_runner
from sitegen.engine.uptodate import check_output
from sitegen.engine.write import unsafe_output

CACHE_DIR = ".sitegen-cache"
Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class BuildOptions:
    out_dir: Path | None = None  # default: SITE_DIR/build
    base_url: str | None = None  # overrides site.yaml
    drafts: bool = False
    future: bool = False  # publish articles dated after the build date too (marked as such)
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
    # the browser editor at /admin/ even where site.yaml has none (serve --admin)
    admin: bool = False


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
    settings: Settings | None = field(default=None, repr=False, compare=False)
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


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What the stages came to; None where a stage did not run."""

    settings: Settings | None = None
    site: Site | None = None
    plan: Plan | None = None
    rendered: Rendered | None = None
    written: Written | None = None


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
    options = options or BuildOptions()
    out = options.out_dir or site_dir / "build"
    if options.write:
        unsafe = unsafe_output(site_dir, out, options.force)
        if unsafe is not None:  # refused before anything is read
            return BuildResult([unsafe], out, 0, 0, time.perf_counter() - started, ok=False)
    last = check_output(site_dir, options, out, cache_dir(site_dir, options))
    if last.unchanged is not None:  # the output is what this build would write
        done, seconds = last.unchanged, time.perf_counter() - started
        return BuildResult(
            list(done.diagnostics), out, done.pages, 0, seconds, ok=True,
            timings=last.timings, weights=done.weights or {}, up_to_date=True,
        )  # fmt: skip
    cache = cache if cache is not None else BuildCache()
    bounded = not options.keep and options.write and not cache.parsed and not cache.rendered
    runner = options.runner or choose_runner(site_dir, options.jobs, bounded)
    store = BuildStore(cache_dir(site_dir, options)) if options.cache else None
    if stop is not None:
        runner = dataclasses.replace(runner, stop=stop)
    diagnostics = Diagnostics()
    with Job(out, runner, cache, store, progress or (lambda _: None), options.weigh, stop) as job:
        job.timings.update(last.timings)
        try:
            if bounded and isinstance(runner, Bounded):
                outcome = _apart(site_dir, options, job, diagnostics)
            else:
                outcome = _stages(site_dir, options, job, diagnostics)
            outcome = _write(site_dir, options, job, diagnostics, outcome)
        except Cancelled:
            seconds = time.perf_counter() - started
            return BuildResult([], out, 0, 0, seconds, ok=False, cancelled=True)
        if job.committed and outcome.rendered is not None:  # said while the folder is locked
            weights = _weights(options, outcome)
            last.record(outcome.rendered.pages, diagnostics.sorted(), weights)
    return _result(options, out, diagnostics, job, outcome, time.perf_counter() - started)


def _first(
    site_dir: Path, options: BuildOptions, job: Job, diagnostics: Diagnostics
) -> tuple[Settings, Site | None] | None:
    """The first stages: load, parse and resolve."""
    loaded = job.timed("load", load_site, site_dir, diagnostics, options.base_url, options.admin)
    if loaded is None:
        return None
    settings, handed = loaded[0], [loaded[1]]
    del loaded  # the texts are let go of as they are parsed (see parse_sources)
    documents = job.timed("parse", job.parse, handed, settings, diagnostics)
    if documents is None:
        return settings, None
    config, drafts = settings.config, options.drafts
    today, future = options.today or dt.date.today(), options.future
    site = job.timed(
        "resolve", resolve_site, documents, config, diagnostics,
        include_drafts=drafts, today=today, include_future=future,
    )  # fmt: skip
    return settings, site


def _stages(site_dir: Path, options: BuildOptions, job: Job, diagnostics: Diagnostics) -> _Outcome:
    """Load, parse, resolve, plan and render, here (and in the runner's workers)."""
    first = _first(site_dir, options, job, diagnostics)
    if first is None:
        return _Outcome()
    settings, found = first
    if found is None:
        return _Outcome(settings)
    site = found
    today = options.today or dt.date.today()
    planner = lambda out, batch: plan_site(site, settings.config, diagnostics, today, out, batch)  # noqa: E731
    stream = not options.keep and _may_write(options, diagnostics)
    ready = settings.theme is not None and settings.strings is not None
    plan = job.timed("plan", job.plan, planner, settings if stream and ready else None)
    if settings.strings is None or not ready:
        return _Outcome(settings, site, plan)
    strings, store, each = settings.strings, job.store, job.runner.map
    whole = lambda: outputs(site, plan.pages, settings.config, strings, store, each)  # noqa: E731
    rendered = job.timed("render", job.render, plan, settings, diagnostics, stream, whole)
    if rendered is not None:
        pages = (path for path, _url, _template in rendered.outputs.pages)
        files = (pages, rendered.outputs.files, plan.files, plan.images)
        job.timed("links", check_links, site, settings, files, diagnostics)
    return _Outcome(settings, site, plan, rendered)


def _apart(site_dir: Path, options: BuildOptions, job: Job, diagnostics: Diagnostics) -> _Outcome:
    """The same stages, for a site too large to hold whole: planned in a
    child process and rendered here as it is (see ``engine/apart.py``)."""
    today = options.today or dt.date.today()
    first = lambda: _first(site_dir, options, job, diagnostics)  # noqa: E731
    done = plan_apart(job, first, today, diagnostics)
    return _Outcome(done.settings, None, done.plan, done.rendered)


def _write(
    site_dir: Path, options: BuildOptions, job: Job, diagnostics: Diagnostics, done: _Outcome
) -> _Outcome:
    """The write stage, where every stage before it succeeded."""
    if done.rendered is None or done.plan is None or done.settings is None:
        return done
    theme = done.settings.theme
    if theme is None or not _may_write(options, diagnostics):
        return done
    pictures = cache_dir(site_dir, options) if options.cache else None
    rendered, plan, search = done.rendered, done.plan, options.search
    written = job.timed(
        "write", job.write, rendered, plan, theme, site_dir, pictures, search, diagnostics
    )
    return dataclasses.replace(done, written=written)


def _may_write(options: BuildOptions, diagnostics: Diagnostics) -> bool:
    if not options.write or diagnostics.errors:
        return False
    return not (options.strict and diagnostics.warnings)


def cache_dir(site_dir: Path, options: BuildOptions) -> Path:
    """``--cache-dir``, else $SITEGEN_CACHE_DIR, else SITE_DIR/.sitegen-cache.
    Entries are addressed by their inputs, so sites may share a folder."""
    chosen = options.cache_dir or os.environ.get("SITEGEN_CACHE_DIR")
    return Path(chosen) if chosen else site_dir / CACHE_DIR


def _weights(options: BuildOptions, done: _Outcome) -> dict[str, tuple[str, int, int, int]]:
    theme = done.settings.theme if done.settings else None
    if not options.weigh or done.rendered is None or theme is None:
        return {}
    return done.rendered.weights(theme)


def _result(
    options: BuildOptions,
    out: Path,
    diagnostics: Diagnostics,
    job: Job,
    done: _Outcome,
    seconds: float,
) -> BuildResult:
    ok = done.settings is not None and not diagnostics.errors
    ok = ok and not (options.strict and diagnostics.warnings)
    html = done.rendered.html if done.rendered else {}
    plan, theme = done.plan, done.settings.theme if done.settings else None
    return BuildResult(
        diagnostics=diagnostics.sorted(),
        out_dir=out,
        pages=done.rendered.pages if done.rendered else 0,
        files_written=done.written.files if done.written else 0,
        images_made=done.written.images_made if done.written else 0,
        timings=job.timings,
        seconds=seconds,
        ok=ok,
        site=done.site,
        plan=plan,
        settings=done.settings,
        output=html,
        bodies=job.cache.bodies,
        weights=_weights(options, done),
        files=frozenset(
            [
                *html,
                *(plan.files if plan else ()),
                *(plan.images if plan else ()),
                *(theme.files("static") if theme else ()),
            ]
        ),
    )

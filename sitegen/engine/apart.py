"""A site too large to hold whole while it is rendered (the bounded
runner, see ``runners.py``): loaded, parsed, resolved and planned in a
child process, which writes the pages to render to a spool a batch at a
time and hands back the rest. What the site and its plan took goes back
to the system with the child, and the workers that render, forked from
this process, inherit nothing of it.

Meanwhile this process renders the pieces of the spool the child has
written, one at a time, beside the child at work, and those small enough
only: a large piece (a timeline's pages) would take as much memory as
the child. The rest are rendered once the child is done, on every core,
the largest first, and the largest (a timeline's pages) one at a time.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from sitegen.core.diagnostics import Diagnostic, Diagnostics
from sitegen.core.links import check_links
from sitegen.core.load import Settings
from sitegen.core.model import Site
from sitegen.core.pages import Page, Plan
from sitegen.core.plan import plan_site
from sitegen.engine.bodies import BodyStore
from sitegen.engine.job import Job, Rendered
from sitegen.engine.outputs import Outline, Outputs, PageName, site_files
from sitegen.engine.parallel import (
    Channel,
    Forked,
    PieceRunner,
    SpoolLayout,
    SpoolWriter,
    read_at,
    release_memory,
    workers,
)
from sitegen.engine.rendering import Made, Spooled, collect
from sitegen.engine.runners import Bounded

# What the child runs first: the load, parse and resolve stages; the
# site's settings and the resolved site (None where a stage failed).
First = Callable[[], tuple[Settings, Site | None] | None]


@dataclass(frozen=True, slots=True)
class Apart:
    """What a site planned apart came to."""

    settings: Settings | None
    plan: Plan | None  # without its pages, which went to the spool
    rendered: Rendered | None  # None where nothing was rendered


@dataclass(frozen=True, slots=True)
class _Handover:
    """What the child process that planned a site hands back to the build."""

    settings: Settings | None
    plan: Plan | None  # without its pages, which are in the spool
    diagnostics: list[Diagnostic]  # found by the child
    pages: list[PageName]
    article_pages: dict[str, list[str]]
    beside: dict[str, tuple[int, int]]  # the calendars, feeds and sitemap, in the spool's file
    parses: int
    timings: dict[str, float]
    spool: SpoolLayout | None
    order: list[tuple[str, str]]  # each spooled page's output path and template


def plan_apart(job: Job, first: First, today: dt.date, diagnostics: Diagnostics) -> Apart:
    """Run ``first`` and the plan in a child process, and render the pages
    as they come; a page that cannot be written is said in
    ``diagnostics``."""
    bounded = job.runner
    assert isinstance(bounded, Bounded)
    try:
        if job.cache.bodies is None:  # here, to outlive the child that writes them
            job.cache.bodies = BodyStore()
        file = tempfile.TemporaryFile()  # noqa: SIM115 (closed below, or with the spooled pages)
        channel = Channel()
    except OSError as exc:
        job.failed(exc, diagnostics)
        return Apart(None, None, None)
    runner: PieceRunner[Page, Made] | None = None
    planner: Forked[_Handover] | None = None
    try:
        known = len(diagnostics)
        planner = Forked(lambda: _planned(job, first, today, file, channel, diagnostics, known))
        channel.receiving()
        runner, failed = _render_as_planned(job, channel, file)
        handed, planner = planner.result(), None
        diagnostics.extend(handed.diagnostics)
        job.cache.article_pages, job.cache.parses = handed.article_pages, handed.parses
        for name, seconds in handed.timings.items():
            job.timings[name] = job.timings.get(name, 0.0) + seconds
        if failed is not None:
            job.failed(failed, diagnostics)
            return Apart(handed.settings, handed.plan, None)
        if handed.spool is None or runner is None:  # nothing to render
            return Apart(handed.settings, handed.plan, None)
        begun = time.perf_counter()
        job.spooled = Spooled(file, handed.order, handed.beside)
        job.progress(f"rendering {len(handed.pages)} pages")
        made = runner.finish(len(handed.spool.pieces), workers(bounded.jobs), bounded.heavy)
        rendered = _collect(job, made, handed, diagnostics)
        job.timings["render"] = job.timings.get("render", 0.0) + time.perf_counter() - begun
        return Apart(handed.settings, handed.plan, rendered)
    except OSError as exc:  # making the new site's folder, writing a page or the cache
        job.failed(exc, diagnostics)
        return Apart(None, None, None)
    finally:
        if planner is not None:
            planner.kill()
        if runner is not None:
            runner.kill()
        channel.close()
        if job.spooled is None:
            file.close()


def _render_as_planned(
    job: Job, channel: Channel, file: IO[bytes]
) -> tuple[PieceRunner[Page, Made] | None, OSError | None]:
    """Render the pieces of the spool the child announces on ``channel``,
    as they come, until it is done; what renders them, and what kept it
    from rendering (said once the child is done, with what it found)."""
    bounded = job.runner
    assert isinstance(bounded, Bounded)
    runner: PieceRunner[Page, Made] | None = None
    while not channel.closed:
        try:
            ready = runner.wait([channel]) if runner is not None else [channel]
            for message in channel.receive() if ready else ():
                if message[0] == "ready":
                    runner = PieceRunner(job.page_maker(message[1]), file)
                elif runner is not None and job.maker is not None:
                    _, index, place, templates = message
                    job.maker.prepare(templates)
                    runner.add(index, place)
            if runner is not None:
                runner.start(1, bounded.light)
        except OSError as exc:
            if runner is not None:
                runner.kill()
            return None, exc
    return runner, None


def _collect(job: Job, made: list[Made], handed: _Handover, diagnostics: Diagnostics) -> Rendered:
    """Take in what the pieces' workers made."""
    assert job.spooled is not None and job.maker is not None
    renderer = job.maker.renderer
    spooled = job.spooled
    rendered = collect(spooled.names, made, renderer, diagnostics, job.cache, job.store)
    job.cache.renderer = renderer
    files = {name: read_at(spooled.file, place) for name, place in spooled.beside.items()}
    outputs = Outputs(files, handed.pages, handed.article_pages)
    return Rendered({**rendered.html, **files}, rendered.sizes, outputs)


def _planned(
    job: Job,
    first: First,
    today: dt.date,
    file: IO[bytes],
    channel: Channel,
    diagnostics: Diagnostics,
    known: int,
) -> _Handover:
    """The child's part of :func:`plan_apart`: the pages are written to
    ``file`` as they are planned, a batch at a time, and not kept; each
    batch is announced on ``channel``, once what renders them is known.
    The diagnostics after the ``known`` ones are handed back."""
    channel.sending()
    found = first()
    settings, site = found if found is not None else (None, None)
    del found  # the site is let go of once planned (see below)
    job.cache.parsed = {}  # kept for a next build, which is not
    if settings is None or site is None:
        found_here = list(diagnostics)[known:]
        return _Handover(settings, None, found_here, [], {}, {}, job.cache.parses, job.timings,
                         None, [])  # fmt: skip
    theme, strings, config = settings.theme, settings.strings, settings.config
    ready = theme is not None and strings is not None
    if ready:
        channel.send(("ready", settings))
    writer = SpoolWriter(file)
    # the files made, written to ``file``
    beside = _spool_site_files(job, site, settings, writer) if ready else {}
    outline = Outline(config)

    def out(pages: list[Page]) -> None:
        outline.add(pages)
        writer.add(pages)
        if ready:
            file.flush()
            templates = {page.template for page in pages}
            channel.send(("piece", len(writer.places) - 1, writer.places[-1], templates))
        release_memory()  # what the batch took, for the next to use

    batch = job.runner.batch
    plan = job.timed("plan", plan_site, site, config, diagnostics, today, out, batch)
    whole = outline.finish({})
    if ready:
        pages = (path for path, _url, _template in whole.pages)
        files = (pages, beside, whole.files, plan.files, plan.images)
        job.timed("links", check_links, site, settings, files, diagnostics)
    del site  # made into pages and files: room for the handover's pickling
    begun = time.perf_counter()
    layout, order = None, []
    if ready:
        beside.update({name: writer.put(data) for name, data in whole.files.items()})
        order = [(path, template) for path, _url, template in outline.names]  # plan order
        bounded = job.runner
        assert isinstance(bounded, Bounded)
        layout = writer.layout(bounded.jobs, bounded.least)
        job.timings["render"] = job.timings.get("render", 0.0) + time.perf_counter() - begun
    release_memory()
    return _Handover(
        settings, plan, list(diagnostics)[known:], whole.pages, whole.article_pages, beside,
        job.cache.parses, job.timings, layout, order,
    )  # fmt: skip


def _spool_site_files(
    job: Job, site: Site, settings: Settings, writer: SpoolWriter
) -> dict[str, tuple[int, int]]:
    """The calendars and feeds, written to the spool: made before the plan,
    while the child is at its smallest; what making them takes is given
    back before the plan grows, and they are not held meanwhile."""
    assert settings.strings is not None
    begun = time.perf_counter()
    made = site_files(site, settings.config, settings.strings, job.store, job.runner.map)
    beside = {name: writer.put(data) for name, data in made.items()}
    del made
    release_memory()
    job.timings["render"] = time.perf_counter() - begun
    return beside

"""What one build's stages run on: the runner, the build cache, the new
site's folder and the time each stage took (:class:`Job`).

The stages themselves are listed in ``sitegen/build.py``; each takes the
value the one before it made and returns its own. What they need of the
machinery (processes, the cache, writing as they go) the job does for
them, and the job holds nothing of the site: only how it is being built.
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ParamSpec, TypeVar

from sitegen.core.diagnostics import Diagnostics
from sitegen.core.load import Settings, Sources
from sitegen.core.pages import Page, Plan
from sitegen.core.resolve import Documents
from sitegen.core.theme import Theme
from sitegen.engine.bodies import BodyStore
from sitegen.engine.cache import BuildStore
from sitegen.engine.fastrender import FastRenderer
from sitegen.engine.incremental import BuildCache
from sitegen.engine.outputs import Outputs
from sitegen.engine.parallel import Ahead, Cancelled, release_memory, settle, unsettle, workers
from sitegen.engine.parsing import parse_sources
from sitegen.engine.publish import picture_cache, publish
from sitegen.engine.rendering import Made, PageMaker, Spooled, heaviest, render_pages
from sitegen.engine.runners import Pooled, Runner
from sitegen.engine.write import Staging

P = ParamSpec("P")
R = TypeVar("R")
Progress = Callable[[str], None]
# what plans the site: given where to hand each batch of pages (or None:
# keep them in the plan) and how many make a batch
Planner = Callable[[Callable[[list[Page]], None] | None, int], Plan]


@dataclass(frozen=True, slots=True)
class Rendered:
    """The render stage's value: every file made, with its size."""

    html: dict[str, bytes]  # output path -> bytes, where kept (not written as made)
    sizes: dict[str, tuple[int, tuple[str, ...]]]  # page -> its size, the assets it loads
    outputs: Outputs  # the calendars, feeds and sitemap (also in ``html``), the pages' names

    @property
    def pages(self) -> int:
        return sum(1 for name in self.sizes.keys() | self.html.keys() if name.endswith(".html"))

    def weights(self, theme: Theme) -> dict[str, tuple[str, int, int, int]]:
        """Per template, the heaviest page: (url, HTML, CSS and JS bytes)."""
        return heaviest(self.outputs.pages, self.sizes, theme.files("static"))


@dataclass(frozen=True, slots=True)
class Written:
    """The write stage's value."""

    files: int  # files written or copied
    images_made: int  # picture copies resized, not taken from the cache


def _output_path(page: Page) -> str:
    return page.output_path


class Job:
    """The machinery of one build. ``cache`` is what the last build in
    this process left (``serve``), ``store`` the build cache on disk."""

    def __init__(
        self,
        out_dir: Path,
        runner: Runner,
        cache: BuildCache,
        store: BuildStore | None,
        progress: Progress,
        weigh: bool,
        stop: threading.Event | None = None,
    ) -> None:
        self.out_dir, self.runner, self.cache, self.store = out_dir, runner, cache, store
        self.progress, self.weigh, self.stop = progress, weigh, stop
        self.timings: dict[str, float] = {}  # stage: seconds
        self.staging: Staging | None = None  # the new site's folder, once made
        self.maker: PageMaker | None = None  # what renders pages as they are planned
        self.ahead: Ahead[Page, Made] | None = None  # see plan()
        self.spooled: Spooled | None = None  # see sitegen.engine.apart

    def timed(self, name: str, stage: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Run ``stage``, counting its time as ``name``'s; raises
        :class:`Cancelled` instead where ``stop`` is set."""
        if self.stop is not None and self.stop.is_set():
            raise Cancelled
        begun = time.perf_counter()
        value = stage(*args, **kwargs)
        settle()
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - begun
        return value

    def parse(
        self, handed: list[Sources], settings: Settings, diagnostics: Diagnostics
    ) -> Documents | None:
        """Every source file's document (see ``parsing.py``); the sources are
        ``handed`` over in a list, so that their texts can be let go of."""
        cache = self.cache
        try:
            if cache.bodies is None:
                cache.bodies = BodyStore()
            bodies = cache.bodies
            parsed = parse_sources(
                handed, settings.config, self.runner, bodies, self.store, cache.parsed
            )
        except OSError as exc:  # writing the bodies out, or the texts to the spool
            self.failed(exc, diagnostics)
            return None
        diagnostics.extend(parsed.diagnostics)
        cache.parsed, cache.parses = parsed.memo, parsed.parses
        release_memory()
        return parsed.documents

    def plan(self, planner: Planner, ahead: Settings | None) -> Plan:
        """The plan. Given the ``ahead`` settings, a site written into a new
        folder by several processes has its pages rendered as they are
        planned, a batch at a time, by one process beside this one (see
        :class:`Ahead`); the rest are rendered by :meth:`render`."""
        runner = self.runner
        if ahead is None or not isinstance(runner, Pooled) or runner.ahead < 1:
            return self._plan_here(planner)
        if workers(runner.jobs) < 2 or self.cache.rendered:
            return self._plan_here(planner)
        try:
            maker = self.page_maker(ahead)
        except OSError:  # making the new site's folder: said by render, which tries again
            return self._plan_here(planner)
        prepare = lambda pages: maker.prepare({page.template for page in pages})  # noqa: E731
        self.ahead = Ahead(maker, prepare, runner.ahead)
        plan = planner(self.ahead.add, runner.batch)
        return dataclasses.replace(plan, pages=tuple(self.ahead.items))

    def _plan_here(self, planner: Planner) -> Plan:
        """The plan, with its pages; where the build may be stopped, it is
        stopped between two batches of pages."""
        stop, batch = self.stop, self.runner.batch
        if stop is None:
            return planner(None, batch)
        pages: list[Page] = []

        def out(planned: list[Page]) -> None:
            if stop.is_set():
                raise Cancelled
            pages.extend(planned)

        plan = planner(out, batch)
        return dataclasses.replace(plan, pages=tuple(sorted(pages, key=_output_path)))

    def page_maker(self, settings: Settings) -> PageMaker:
        """What renders pages while the site is still planned, into the new
        site's folder, which it makes."""
        assert settings.theme is not None and settings.strings is not None
        theme, config = settings.theme, settings.config
        renderer = FastRenderer(theme, settings.strings, config, theme.files("static"))
        self.staging = self.staging or self.new_folder()
        staging = self.staging
        self.maker = PageMaker(renderer, self.store, staging.write, staging.link, self.weigh)
        return self.maker

    def render(
        self,
        plan: Plan,
        settings: Settings,
        diagnostics: Diagnostics,
        stream: bool,
        outputs: Callable[[], Outputs],
    ) -> Rendered | None:
        """Every page of ``plan``, and the ``outputs``, made while the pages
        are. ``stream``: each page is written into the new site's folder
        where it is made, and not kept. ``None`` where a page could not be
        written."""
        assert settings.theme is not None and settings.strings is not None
        self.progress(f"rendering {len(plan.pages)} pages")
        ahead, theme = self.ahead, settings.theme
        if self.maker is not None:  # made for the pages rendered ahead
            renderer = self.maker.renderer
        else:
            renderer = FastRenderer(theme, settings.strings, settings.config, theme.files("static"))
        made: list[Outputs] = []
        try:
            if stream:
                self.staging = self.staging or self.new_folder()
            staging = self.staging
            rendered = render_pages(
                plan.pages[ahead.taken :] if ahead else plan.pages,
                renderer,
                diagnostics,
                self.cache,
                self.store,
                self.runner.map,
                sink=staging.write if staging else None,
                place=staging.link if staging else None,
                weigh=self.weigh,
                meanwhile=lambda: made.append(outputs()),
                ahead=ahead,
            )
        except OSError as exc:  # writing a page, or the cache
            self.failed(exc, diagnostics)
            return None
        whole = made[0] if made else outputs()
        self.cache.renderer, self.cache.article_pages = renderer, whole.article_pages
        return Rendered({**rendered.html, **whole.files}, rendered.sizes, whole)

    def write(
        self,
        rendered: Rendered,
        plan: Plan,
        theme: Theme,
        site_dir: Path,
        pictures: Path | None,
        search: bool,
        diagnostics: Diagnostics,
    ) -> Written | None:
        """Write the site (see ``publish.py``), its picture copies kept in
        ``pictures`` (None: made afresh); ``None`` where it could not be."""
        copies = {**theme.files("static")}
        copies.update({out: site_dir / src for out, src in plan.files.items()})
        try:
            with picture_cache(pictures) as cache:
                self.staging = self.staging or self.new_folder()
                published = publish(
                    self.staging, rendered.html, copies, plan.images, site_dir, cache,
                    search, diagnostics, self.progress, self.stop,
                )  # fmt: skip
        except OSError as exc:
            self.failed(exc, diagnostics)
            return None
        if published is None:
            return None
        copied, images_made = published
        return Written(len(rendered.sizes.keys() | rendered.html.keys()) + copied, images_made)

    def new_folder(self) -> Staging:
        """The folder the new site is written into; a build writing the same
        output folder is waited for."""
        where = self.out_dir
        return Staging(where, lambda: self.progress(f"waiting for another build to finish {where}"))

    def failed(self, exc: OSError, diagnostics: Diagnostics) -> None:
        """Say that the site could not be written, naming the file."""
        # copying a file, the error names its source first and the new copy second
        written = exc.filename2 or exc.filename
        where = Path(os.fsdecode(written)) if written else self.out_dir
        if self.staging is not None and where.is_relative_to(self.staging.root):
            where = self.out_dir / where.relative_to(self.staging.root)  # not the temporary name
        diagnostics.error(
            str(where),
            0,
            "write-failed",
            f"could not write the site: {exc.strerror or exc}",
            "check free disk space and permissions; the previous site was left as it was",
        )

    @property
    def committed(self) -> bool:
        """Whether the new site was put in place of the old."""
        return self.staging is not None and self.staging.committed

    def close(self) -> None:
        """Let go of what worked for the build: the new site's folder is
        removed unless it became the site."""
        unsettle()
        if self.ahead is not None:  # a build cut short: its pages' process is not waited for
            self.ahead.kill()
        if self.staging is not None:
            self.staging.close()
        if self.spooled is not None:
            self.spooled.file.close()

    def __enter__(self) -> Job:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

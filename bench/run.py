"""Time sitegen against Hugo and Pelican, and sitegen's own rebuilds.

    python3 bench/run.py                       # sizes 1000,5000,20000, 3 runs each
    python3 bench/run.py --sizes 1000,5000 --runs 1 --json bench/results.json
    python3 bench/run.py --quick               # 200 and 1000 articles, one run: a smoke test

For each size it generates (or reuses) the corpus of ``bench/corpus.py`` in
``bench/.corpus/<size>/`` and then measures:

- **cold**: sitegen, Hugo and Pelican building the same corpus into an empty
  folder, with no cache, the tools taking turns run by run;
- **warm**: sitegen again with nothing changed, in a new process, its cache
  and output kept;
- **article**, **template**, **record**: sitegen after one article, one
  template (an override of ``article.html`` in the site's theme folder) or
  one team record changed;
- **serve** (largest size only): ``sitegen serve`` running, one article
  saved; the time until the page's reload event arrives and until the new
  page, with the edit, has been fetched.

Each build runs in its own process; wall time, CPU time (user + system,
the process and its children, from ``wait4``) and peak memory (the larger
of the process's ``ru_maxrss`` and the sampled proportional set size of the
whole process tree, which counts pages that forked workers share once) are
recorded, and the median over the runs is reported. Hugo (Debian
``hugo``) and Pelican (PyPI) are installed when missing.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import http.client
import importlib.util
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from corpus import DIRTY, REPO, ensure_corpus

BENCH = Path(__file__).resolve().parent
CORPORA = BENCH / ".corpus"
BUILD_DATE = "2025-01-01"  # fixed, so that every build makes the same pages
TOOLS = ("sitegen", "hugo", "pelican")
CASES = ("cold", "warm", "article", "template", "record", "serve")
RETRY_PAUSE = 60.0  # sitegen may be mid-edit by a colleague: wait, then try once more


class BenchError(Exception):
    """A tool failed or could not be run; the message says which and why."""


# -- measuring one process ------------------------------------------------------


@dataclass(frozen=True)
class Measurement:
    wall: float  # seconds
    cpu: float  # user + system seconds, the process and its children
    peak_mb: float  # peak resident memory of the process tree


def _memory(pid: int, page: int) -> int:
    """Bytes of memory ``pid`` holds: its proportional set size, which shares
    the pages forked workers have in common among them, else its resident size."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * page


def _tree_memory(pid: int, page: int) -> int:
    """Bytes held by ``pid`` and all its descendants, now."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            total += _memory(current, page)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as kids:
                    stack.extend(int(k) for k in kids.read().split())
        except (OSError, ValueError, IndexError):
            continue
    return total


class _Sampler(threading.Thread):
    """Samples the process tree's memory every 50 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        while not self.done.wait(0.05):
            self.peak = max(self.peak, _tree_memory(self.pid, page))


def _kill_group(pid: int) -> None:
    with suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def settle_disk(quiet: float = 1.0, longest: float = 60.0) -> None:
    """Flush what earlier steps wrote and wait until the disks have been
    idle for ``quiet`` seconds. Deleting the last build's output leaves the
    disk busy for seconds afterwards (writing back, and discarding freed
    blocks on a file system mounted with ``discard``), which would slow the
    next build's file creation by whatever tool happens to come next."""
    os.sync()
    deadline = time.monotonic() + longest
    last = _disk_activity()
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now = _disk_activity()
        if now == last:
            return
        last = now


def _disk_activity() -> tuple[int, ...]:
    """Requests completed and in flight on every disk (reads, writes and
    discards), from /proc/diskstats; empty where there is no such file."""
    try:
        lines = Path("/proc/diskstats").read_text().splitlines()
    except OSError:
        return ()
    counts: list[int] = []
    for line in lines:
        fields = line.split()
        if fields[2].startswith(("loop", "ram")):
            continue
        # reads completed, writes completed, in flight, discards completed
        counts += [int(fields[3]), int(fields[7]), int(fields[11])]
        counts += [int(fields[14])] if len(fields) > 14 else []
    return tuple(counts)


def measure(command: Sequence[str], cwd: Path, timeout: float, label: str) -> Measurement:
    """Run ``command`` once, on settled disks; raise BenchError with its
    output if it fails."""
    settle_disk()
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        try:
            process = subprocess.Popen(
                command, cwd=cwd, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )
        except OSError as exc:
            raise BenchError(f"{label}: cannot start {command[0]}: {exc}") from exc
        sampler = _Sampler(process.pid)
        sampler.start()
        timed_out = threading.Event()

        def expire() -> None:
            timed_out.set()
            _kill_group(process.pid)

        timer = threading.Timer(timeout, expire)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:  # interrupted: leave no build running behind
            _kill_group(process.pid)
            process.wait()
            raise
        finally:
            timer.cancel()
        wall = time.perf_counter() - started
        sampler.done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        if timed_out.is_set():
            raise BenchError(f"{label}: no result within {timeout:.0f} s (killed)")
        if process.returncode != 0:
            output.seek(0)
            tail = output.read().decode(errors="replace").strip().splitlines()[-15:]
            raise BenchError(
                f"{label}: exit status {process.returncode} from {' '.join(command)}\n    "
                + "\n    ".join(tail)
            )
    peak = max(usage.ru_maxrss * 1024, sampler.peak)
    return Measurement(wall, usage.ru_utime + usage.ru_stime, peak / 2**20)


# -- the tools ----------------------------------------------------------------------


def _installed(command: str) -> bool:
    return shutil.which(command) is not None


def ensure_tools(need_hugo: bool, need_pelican: bool) -> None:
    """Install Hugo (Debian) and Pelican with Markdown (PyPI) where missing."""
    if need_hugo and not _installed("hugo"):
        if os.geteuid() != 0:
            raise BenchError("Hugo is missing; install it with: sudo apt-get install -y hugo")
        print("installing Hugo: apt-get install -y hugo", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for step in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "hugo"]):
            if subprocess.run(step, env=env, stdout=subprocess.DEVNULL).returncode != 0:
                raise BenchError(f"could not install Hugo: {' '.join(step)} failed")
    missing = [m for m in ("pelican", "markdown") if importlib.util.find_spec(m) is None]
    if need_pelican and missing:
        print(f"installing {', '.join(missing)}: pip install pelican markdown", file=sys.stderr)
        step = [sys.executable, "-m", "pip", "install", "-q", "pelican", "markdown"]
        if subprocess.run(step).returncode != 0:
            raise BenchError("could not install Pelican: pip install pelican markdown failed")


def compile_sitegen() -> None:
    """Write sitegen's bytecode before it is timed, as an installation has it
    (pip compiles what it installs; a first run writes the rest), whatever
    PYTHONDONTWRITEBYTECODE says: else every build compiles it again, about
    half a second. Pelican's, installed by pip, is already compiled."""
    if not compileall.compile_dir(REPO / "sitegen", quiet=1):
        raise BenchError("could not compile sitegen's bytecode")


def _version(command: Sequence[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=REPO)
    except (OSError, subprocess.TimeoutExpired):
        return "not available"
    text = (done.stdout or done.stderr).strip().splitlines()
    return text[0] if text else "not available"


def sitegen_supports_no_cache() -> bool:
    command = [sys.executable, "-m", "sitegen", "build", "--help"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    return "--no-cache" in done.stdout


@dataclass(frozen=True)
class Site:
    """One size's corpus and where its builds go."""

    articles: int
    root: Path

    @property
    def sitegen(self) -> Path:
        return self.root / "sitegen"

    def out(self, tool: str) -> Path:
        return self.root / "out" / tool


class Builds:
    """How each tool builds a corpus, cold (from nothing) or as a rebuild."""

    def __init__(self, timeout: float, no_cache: bool) -> None:
        self.timeout = timeout
        self.no_cache = no_cache

    def sitegen_command(self, site: Site, cold: bool) -> list[str]:
        command = [sys.executable, "-m", "sitegen", "build", str(site.sitegen)]
        command += ["--out", str(site.out("sitegen")), "--no-search", "-q", "--date", BUILD_DATE]
        return command + (["--no-cache"] if cold and self.no_cache else [])

    def cold(self, tool: str, site: Site) -> Measurement:
        out = site.out(tool)
        shutil.rmtree(out, ignore_errors=True)
        out.parent.mkdir(parents=True, exist_ok=True)
        label = f"{tool} cold build of {site.articles} articles"
        if tool == "sitegen":
            shutil.rmtree(site.sitegen / ".sitegen-cache", ignore_errors=True)
            return self.sitegen(site, cold=True, label=label)
        if tool == "hugo":
            cache = site.root / "out" / "hugo-cache"
            shutil.rmtree(cache, ignore_errors=True)
            command = ["hugo", "--quiet", "-s", str(site.root / "hugo"), "-d", str(out)]
            return measure([*command, "--cacheDir", str(cache)], REPO, self.timeout, label)
        pelican = site.root / "pelican"
        command = [sys.executable, "-m", "pelican", str(pelican / "content")]
        command += ["-s", str(pelican / "pelicanconf.py"), "-o", str(out), "-q"]
        return measure(command, pelican, self.timeout, label)

    def sitegen(self, site: Site, cold: bool, label: str) -> Measurement:
        command = self.sitegen_command(site, cold)
        try:
            return measure(command, REPO, self.timeout, label)
        except BenchError as exc:
            if "no result within" in str(exc):
                raise
            print(f"{exc}\n  retrying in {RETRY_PAUSE:.0f} s", file=sys.stderr)
            time.sleep(RETRY_PAUSE)
            return measure(command, REPO, self.timeout, label)


def count_pages(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


# Kinds of page by address (below the language's home), for the weight budget.
PAGE_KINDS = [
    ("article", re.compile(r"news/\d{4}/\d{2}/[^/]+/")),
    ("news list", re.compile(r"news/(\d{4}/)?(page/\d+/)?")),
    ("timeline month", re.compile(r"timeline/\d{4}/\d{2}/(page/\d+/)?")),
    ("timeline year", re.compile(r"timeline/\d{4}/(page/\d+/)?")),
    ("timeline kind", re.compile(r"timeline/kind/.+")),
    ("timeline town", re.compile(r"timeline/town/.+")),
    ("timeline", re.compile(r"timeline/(page/\d+/)?")),
    ("team directory", re.compile(r"teams/((town|category)/[^/]+/)?(page/\d+/)?")),
    ("honours", re.compile(r"teams/honours/.*")),
    ("record's reports", re.compile(r"(teams|studios)/[^/]+/news/(page/\d+/)?")),
    ("team", re.compile(r"teams/[^/]+/")),
    ("studio directory", re.compile(r"studios/(page/\d+/)?")),
    ("studios", re.compile(r"studios/.*")),
    ("topics", re.compile(r"tags/.*")),
    ("series", re.compile(r"series/.*")),
    ("statistics", re.compile(r"stats/")),
    ("search", re.compile(r"search/")),
    ("home", re.compile(r"")),
]
BUDGET = 100 * 1024  # no HTML page over this (issue: light pages at any size)
LIST_BUDGET = 60 * 1024  # nor a list a reader scrolls on a phone over this
LISTS = {
    "news list", "timeline month", "timeline year", "timeline kind", "timeline town",
    "timeline", "team directory", "record's reports", "topics", "series", "honours",
    "studio directory",
}  # fmt: skip


def heaviest_pages(folder: Path) -> dict[str, tuple[str, int]]:
    """The largest HTML page of each kind: its address and bytes."""
    found: dict[str, tuple[str, int]] = {}
    for page in folder.rglob("index.html"):
        path = page.parent.relative_to(folder).as_posix() + "/"
        below = path.removeprefix("en/") if path.startswith("en/") else path
        below = "" if below == "./" else below
        kind = next((k for k, pattern in PAGE_KINDS if pattern.fullmatch(below)), "other")
        size = page.stat().st_size
        if kind not in found or size > found[kind][1]:
            found[kind] = ("/" + path if path != "./" else "/", size)
    return dict(sorted(found.items(), key=lambda item: -item[1][1]))


# -- sitegen's rebuild cases ------------------------------------------------------------


@dataclass
class Edit:
    """One kind of change, made ``k`` times, then undone."""

    name: str
    what: str
    apply: Callable[[int], None]
    restore: Callable[[], None]
    setup: Callable[[], None] = lambda: None


def newest_article(site: Path) -> Path:
    return sorted((site / "content" / "news").glob("*.zh.md"))[-1]


def article_url(path: Path) -> str:
    """``2024-12-30-showcase-5000.zh.md`` → ``/news/2024/12/showcase-5000/``."""
    stem = path.name.removesuffix(".zh.md")
    return f"/news/{stem[:4]}/{stem[5:7]}/{stem[11:]}/"


def article_edit(site: Path) -> Edit:
    path = newest_article(site)
    original = path.read_text(encoding="utf-8")

    def apply(k: int) -> None:
        path.write_text(
            original + f"\n本文于基准测试中修改（bench-edit-{k}）。\n", encoding="utf-8"
        )

    return Edit(
        "article",
        f"one article edited ({path.name})",
        apply,
        lambda: _restore(path, original),
    )


def template_edit(site: Path) -> Edit:
    override = site / "themes" / "default" / "templates" / "article.html"
    builtin = (REPO / "themes" / "default" / "templates" / "article.html").read_text(
        encoding="utf-8"
    )

    def setup() -> None:
        override.parent.mkdir(parents=True, exist_ok=True)
        override.write_text(builtin, encoding="utf-8")

    def apply(k: int) -> None:
        text = builtin.replace("{% block main %}", f"{{% block main %}}<!-- bench-edit-{k} -->", 1)
        override.write_text(text, encoding="utf-8")

    return Edit(
        "template",
        "one template changed (article.html overridden in the site's theme folder)",
        apply,
        lambda: shutil.rmtree(site / "themes", ignore_errors=True),
        setup,
    )


def record_edit(site: Path) -> Edit:
    path = sorted((site / "content" / "teams").glob("*.yaml"))[0]
    original = path.read_text(encoding="utf-8")

    def apply(k: int) -> None:
        count = re.search(r"^members: (\d+)$", original, re.MULTILINE)
        members = int(count.group(1)) if count else 0
        text = re.sub(
            r"^members: \d+$", f"members: {members + k + 1}", original, count=1, flags=re.MULTILINE
        )
        path.write_text(text, encoding="utf-8")

    return Edit(
        "record",
        f"one team record changed ({path.name}: members)",
        apply,
        lambda: _restore(path, original),
    )


def _restore(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


@contextmanager
def edited(root: Path, edit: Edit) -> Iterator[None]:
    """Mark the corpus dirty while ``edit`` may be in place; undo it on the way out."""
    (root / DIRTY).touch()
    try:
        edit.setup()
        yield
    finally:
        edit.restore()
        (root / DIRTY).unlink(missing_ok=True)


# -- sitegen serve ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _get(port: int, path: str, timeout: float = 30) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


class _EventStream(threading.Thread):
    """Reads ``/__sitegen/events`` and notes when the first reload arrives."""

    def __init__(self, port: int) -> None:
        super().__init__(daemon=True)
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=3600)
        self.connection.request("GET", "/__sitegen/events")
        self.response = self.connection.getresponse()
        self.open = threading.Event()
        self.reloaded = threading.Event()
        self.reload_at = 0.0

    def run(self) -> None:
        try:
            while line := self.response.fp.readline():
                if line.startswith(b"event: problems"):
                    self.open.set()
                elif line.startswith(b"event: reload"):
                    self.reload_at = time.perf_counter()
                    self.reloaded.set()
                    return
        except OSError:
            return
        finally:
            self.open.set()

    def close(self) -> None:
        self.connection.close()


@dataclass
class ServeResult:
    articles: int
    first_build: float  # seconds from start until the server answers
    reload_ms: list[float] = field(default_factory=list)  # save → reload event
    page_ms: list[float] = field(default_factory=list)  # save → new page fetched


def serve_case(site: Site, runs: int, timeout: float) -> ServeResult:
    port = _free_port()
    command = [sys.executable, "-m", "sitegen", "serve", str(site.sitegen)]
    command += ["--port", str(port), "--lang", "en"]
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            return _drive_server(site, server, log, port, runs, timeout)
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGINT)
                try:
                    server.wait(30)
                except subprocess.TimeoutExpired:
                    _kill_group(server.pid)
                    server.wait()


def _drive_server(
    site: Site,
    server: subprocess.Popen[bytes],
    log: IO[bytes],
    port: int,
    runs: int,
    timeout: float,
) -> ServeResult:
    """Wait until the server answers, then save an article ``runs`` times."""
    started = time.perf_counter()

    def failure(why: str) -> BenchError:
        log.seek(0)
        tail = log.read().decode(errors="replace").strip().splitlines()[-15:]
        return BenchError(f"sitegen serve: {why}\n    " + "\n    ".join(tail))

    while True:
        if server.poll() is not None:
            raise failure(f"exited with status {server.returncode} before answering")
        if time.perf_counter() - started > timeout:
            raise failure(f"did not answer within {timeout:.0f} s")
        try:
            if _get(port, "/", timeout=5)[0] == 200:
                break
        except OSError:
            pass
        time.sleep(0.2)
    result = ServeResult(site.articles, time.perf_counter() - started)
    edit = article_edit(site.sitegen)
    url = article_url(newest_article(site.sitegen))
    with edited(site.root, edit):
        for k in range(runs):
            stream = _EventStream(port)
            stream.start()
            if not stream.open.wait(30):
                raise failure("the event stream did not open")
            edit.apply(k)
            saved = time.perf_counter()
            if not stream.reloaded.wait(timeout):
                raise failure(f"no reload event within {timeout:.0f} s of the save")
            marker = f"bench-edit-{k}".encode()
            while marker not in _get(port, url)[1]:
                if time.perf_counter() - saved > 30:
                    raise failure(f"{url} lacks the edit after the reload event")
            fetched = time.perf_counter()
            stream.close()
            result.reload_ms.append((stream.reload_at - saved) * 1000)
            result.page_ms.append((fetched - saved) * 1000)
            time.sleep(1.0)  # let the watcher settle before the next save
    return result


# -- the whole run -------------------------------------------------------------------------


@dataclass
class Stats:
    runs: list[Measurement]

    @property
    def wall(self) -> float:
        return statistics.median(m.wall for m in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(m.cpu for m in self.runs)

    @property
    def peak_mb(self) -> float:
        return statistics.median(m.peak_mb for m in self.runs)

    def summary(self) -> dict[str, Any]:
        return {
            "wall_s": round(self.wall, 3),
            "cpu_s": round(self.cpu, 3),
            "peak_mb": round(self.peak_mb, 1),
            "runs": [asdict(m) for m in self.runs],
        }


@dataclass
class SizeResult:
    articles: int
    corpus: dict[str, Any]
    cold: dict[str, Stats] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)
    cases: dict[str, Stats] = field(default_factory=dict)
    case_notes: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    heaviest: dict[str, tuple[str, int]] = field(default_factory=dict)  # sitegen's pages


def _say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def bench_size(
    articles: int, args: argparse.Namespace, builds: Builds, cases: set[str]
) -> SizeResult:
    root = CORPORA / str(articles)
    _say(f"{articles} articles: corpus in {root.relative_to(REPO)}")
    stats = ensure_corpus(articles, root)
    site = Site(articles, root)
    result = SizeResult(articles, {k: v for k, v in stats.items() if k != "fingerprint"})
    tools = [t for t in TOOLS if t in args.tools]
    if "pelican" in tools and articles > args.pelican_max:
        tools.remove("pelican")
        result.skipped.append(f"Pelican (above --pelican-max {args.pelican_max})")
    if "cold" in cases:
        runs: dict[str, list[Measurement]] = {t: [] for t in tools}
        for run in range(args.runs):
            for tool in tools[run % len(tools) :] + tools[: run % len(tools)]:
                measured = builds.cold(tool, site)
                runs[tool].append(measured)
                _say(f"{articles} cold {tool} run {run + 1}/{args.runs}: {measured.wall:.2f} s")
                if tool not in result.pages:
                    result.pages[tool] = count_pages(site.out(tool))
                if tool == "sitegen" and not result.heaviest:
                    result.heaviest = heaviest_pages(site.out(tool))
        result.cold = {t: Stats(r) for t, r in runs.items()}
    if "sitegen" not in tools:
        return result
    rebuilds = [c for c in ("warm", "article", "template", "record") if c in cases]
    if rebuilds:
        builds.sitegen(site, cold=False, label="sitegen build to fill the cache")
    for case in rebuilds:
        edit = {
            "warm": Edit("warm", "nothing changed", lambda k: None, lambda: None),
            "article": article_edit(site.sitegen),
            "template": template_edit(site.sitegen),
            "record": record_edit(site.sitegen),
        }[case]
        measured_runs = []
        with edited(root, edit):
            if case == "template":  # the override itself is a change: build it once first
                builds.sitegen(site, cold=False, label="sitegen build with the new override")
            for k in range(args.runs):
                edit.apply(k)
                label = f"sitegen rebuild, {edit.what}"
                measured = builds.sitegen(site, cold=False, label=label)
                measured_runs.append(measured)
                _say(f"{articles} {case} run {k + 1}/{args.runs}: {measured.wall:.2f} s")
        if case != "warm":  # bring the cache back in step with the restored files
            builds.sitegen(site, cold=False, label="sitegen build after undoing the edit")
        result.cases[case] = Stats(measured_runs)
        result.case_notes[case] = edit.what
    return result


def machine() -> dict[str, Any]:
    model = "unknown"
    memory = 0.0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) / 2**20
    except OSError:
        pass
    return {
        "cpu": model,
        "nproc": len(os.sched_getaffinity(0)),
        "ram_gib": round(memory, 1),
        "os": platform.platform(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def versions(no_cache: bool) -> dict[str, str]:
    git = _version(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    status = ["git", "-C", str(REPO), "status", "--porcelain", "--", "sitegen", "themes"]
    dirty = subprocess.run(status, capture_output=True, text=True).stdout.strip()
    sitegen = _version([sys.executable, "-m", "sitegen", "--version"])
    return {
        "python": platform.python_version(),
        "sitegen": f"{sitegen} (git {git}{', with uncommitted changes' if dirty else ''})"
        + ("" if no_cache else "; no --no-cache option yet"),
        "hugo": " ".join(_version(["hugo", "version"]).split()[:2]).replace("hugo", "Hugo"),
        "pelican": _version([sys.executable, "-m", "pelican", "--version"]),
    }


# -- the report -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    what: str
    limit: float
    measured: float | None
    unit: str = ""

    @property
    def verdict(self) -> str:
        if self.measured is None:
            return "not measured"
        return "PASS" if self.measured <= self.limit else "FAIL"


def targets(results: dict[int, SizeResult], serve: ServeResult | None) -> list[Target]:
    def ratio(size: int, tool: str, memory: bool = False) -> float | None:
        cold = results[size].cold if size in results else {}
        if "sitegen" not in cold or tool not in cold:
            return None
        if memory:
            return cold["sitegen"].peak_mb / cold[tool].peak_mb
        return cold["sitegen"].wall / cold[tool].wall

    def cold_wall(size: int) -> float | None:
        stats = results[size].cold.get("sitegen") if size in results else None
        return stats.wall if stats else None

    warm = None
    if 20000 in results and "warm" in results[20000].cases and cold_wall(20000):
        warm = results[20000].cases["warm"].wall / (cold_wall(20000) or 1)
    growth = None
    small, large = cold_wall(5000), cold_wall(20000)
    if small and large:
        growth = large / small
    live = None
    if serve is not None and serve.articles == 20000 and serve.page_ms:
        live = statistics.median(serve.page_ms)
    return [
        Target(
            "cold build, 5,000 articles: sitegen/Hugo wall time ≤ 1.0", 1.0, ratio(5000, "hugo")
        ),
        Target(
            "cold build, 5,000 articles: sitegen/Pelican wall time ≤ 0.2 (≥ 5× faster)",
            0.2,
            ratio(5000, "pelican"),
        ),
        Target(
            "cold build, 20,000 articles: sitegen/Hugo wall time ≤ 0.8", 0.8, ratio(20000, "hugo")
        ),
        Target(
            "cold build, 20,000 articles: sitegen/Hugo peak memory ≤ 0.1",
            0.1,
            ratio(20000, "hugo", memory=True),
        ),
        Target("warm rebuild, nothing changed, 20,000: warm/cold ≤ 0.10", 0.10, warm),
        Target("one article edited, 20,000, in serve: save → new page ≤ 200 ms", 200, live, " ms"),
        Target("growth: cold 20,000 / cold 5,000 ≤ 4.4", 4.4, growth),
    ]


TOOL_NAMES = {"sitegen": "sitegen", "hugo": "Hugo", "pelican": "Pelican"}


def markdown_report(
    meta: dict[str, Any],
    results: dict[int, SizeResult],
    serve: ServeResult | None,
    checks: list[Target],
) -> str:
    m, v = meta["machine"], meta["versions"]
    lines = [
        f"## Benchmark, {meta['date']}",
        "",
        f"- Machine: {m['cpu']}, {m['nproc']} cores, {m['ram_gib']} GiB RAM, {m['os']}; "
        f"load average at start {' / '.join(str(x) for x in m['load_average'])}",
        f"- Python {v['python']} · {v['sitegen']} · {v['hugo']} · Pelican {v['pelican']}",
        f"- {meta['runs']} run(s) per case, median reported; cold builds alternate the tools "
        "run by run; sitegen builds with `--no-search`",
        "",
        "### Cold builds",
        "",
        "| articles | tool | pages | wall (s) | CPU (s) | peak memory (MB) "
        "| sitegen / tool: wall | CPU | memory |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size, result in results.items():
        own = result.cold.get("sitegen")
        for tool, stats in result.cold.items():
            ratios = "| | | |"
            if own is not None and tool != "sitegen":
                ratios = (
                    f"| {own.wall / stats.wall:.2f} | {own.cpu / stats.cpu:.2f} "
                    f"| {own.peak_mb / stats.peak_mb:.2f} |"
                )
            lines.append(
                f"| {size:,} | {TOOL_NAMES[tool]} | {result.pages.get(tool, 0):,} "
                f"| {stats.wall:.2f} | {stats.cpu:.2f} | {stats.peak_mb:.0f} {ratios}"
            )
        for note in result.skipped:
            lines.append(f"| {size:,} | {note}: skipped | | | | | | | |")
    if any(r.cases for r in results.values()):
        lines += [
            "",
            "### sitegen rebuilds",
            "",
            "| articles | case | wall (s) | CPU (s) | peak memory (MB) | of the cold build |",
            "| ---: | --- | ---: | ---: | ---: | ---: |",
        ]
        for size, result in results.items():
            cold = result.cold.get("sitegen")
            for case, stats in result.cases.items():
                share = f"{stats.wall / cold.wall:.0%}" if cold else ""
                lines.append(
                    f"| {size:,} | {result.case_notes[case]} | {stats.wall:.2f} | {stats.cpu:.2f} "
                    f"| {stats.peak_mb:.0f} | {share} |"
                )
    if any(r.heaviest for r in results.values()):
        lines += [
            "",
            "### sitegen's largest page of each kind "
            f"(budget: {BUDGET // 1024} KB of HTML, {LIST_BUDGET // 1024} KB for a list)",
            "",
            "| articles | kind | page | KB | budget (KB) | within |",
            "| ---: | --- | --- | ---: | ---: | --- |",
        ]
        for size, result in results.items():
            for kind, (url, size_bytes) in result.heaviest.items():
                budget = LIST_BUDGET if kind in LISTS else BUDGET
                within = "yes" if size_bytes <= budget else "**no**"
                lines.append(
                    f"| {size:,} | {kind} | `{url}` | {size_bytes / 1024:,.0f} "
                    f"| {budget // 1024} | {within} |"
                )
    if serve is not None:
        lines += [
            "",
            "### Live preview (`sitegen serve`), one article saved",
            "",
            "| articles | server ready after (s) | save → reload event (ms) "
            "| save → new page fetched (ms) |",
            "| ---: | ---: | ---: | ---: |",
            f"| {serve.articles:,} | {serve.first_build:.1f} "
            f"| {statistics.median(serve.reload_ms):.0f} "
            f"| {statistics.median(serve.page_ms):.0f} |",
        ]
    lines += ["", "### Targets", "", "| target | measured | result |", "| --- | ---: | --- |"]
    for check in checks:
        shown = "—" if check.measured is None else f"{check.measured:.2f}{check.unit}"
        if check.unit == " ms" and check.measured is not None:
            shown = f"{check.measured:.0f} ms"
        lines.append(f"| {check.what} | {shown} | {check.verdict} |")
    return "\n".join(lines) + "\n"


def json_report(
    meta: dict[str, Any],
    results: dict[int, SizeResult],
    serve: ServeResult | None,
    checks: list[Target],
) -> dict[str, Any]:
    return {
        **meta,
        "sizes": {
            str(size): {
                "corpus": r.corpus,
                "pages": r.pages,
                "heaviest_pages": {k: {"url": u, "bytes": b} for k, (u, b) in r.heaviest.items()},
                "skipped": r.skipped,
                "cold": {t: s.summary() for t, s in r.cold.items()},
                "rebuilds": {
                    c: {"what": r.case_notes[c], **s.summary()} for c, s in r.cases.items()
                },
            }
            for size, r in results.items()
        },
        "serve": asdict(serve) if serve else None,
        "targets": [
            {"target": t.what, "limit": t.limit, "measured": t.measured, "result": t.verdict}
            for t in checks
        ],
    }


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time sitegen against Hugo and Pelican on a synthetic corpus."
    )
    parser.add_argument(
        "--sizes", default="1000,5000,20000", help="article counts, comma-separated"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per case (median reported)")
    parser.add_argument(
        "--pelican-max",
        type=int,
        default=5000,
        metavar="N",
        help="skip Pelican above N articles (it is slow); default 5000",
    )
    parser.add_argument(
        "--tools", default=",".join(TOOLS), help="tools for the cold builds (default: all three)"
    )
    parser.add_argument(
        "--cases", default=",".join(CASES), help=f"cases to run (default: {','.join(CASES)})"
    )
    parser.add_argument(
        "--serve-size", type=int, help="corpus for the serve case (default: the largest size)"
    )
    parser.add_argument(
        "--timeout", type=float, default=3600, help="seconds one build may take (default 3600)"
    )
    parser.add_argument("--quick", action="store_true", help="sizes 200,1000 and one run")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--report", type=Path, metavar="FILE", help="also write the Markdown here")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.runs = "200,1000", 1
    try:
        args.size_list = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        parser.error("--sizes takes whole numbers separated by commas, e.g. 1000,5000")
    args.tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    args.case_set = {c.strip() for c in args.cases.split(",") if c.strip()}
    for name, given, known in (("tool", args.tools, TOOLS), ("case", args.case_set, CASES)):
        unknown = set(given) - set(known)
        if unknown:
            parser.error(f"unknown {name} {', '.join(sorted(unknown))}; known: {', '.join(known)}")
    if not args.size_list or min(args.size_list) < 1 or args.runs < 1:
        parser.error("--sizes and --runs must be positive")
    return args


def _stopped(signum: int, frame: object) -> None:
    """Stopped with kill: leave through the ``finally`` blocks, which undo the
    edits in the corpus and stop the server."""
    print("bench: stopped", file=sys.stderr)
    sys.exit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    signal.signal(signal.SIGTERM, _stopped)
    try:
        ensure_tools(
            "hugo" in args.tools and "cold" in args.case_set,
            "pelican" in args.tools
            and "cold" in args.case_set
            and min(args.size_list) <= args.pelican_max,
        )
        compile_sitegen()
        no_cache = sitegen_supports_no_cache()
        meta = {
            "date": dt.date.today().isoformat(),
            "machine": machine(),
            "versions": versions(no_cache),
            "runs": args.runs,
        }
        builds = Builds(args.timeout, no_cache)
        results = {n: bench_size(n, args, builds, args.case_set) for n in args.size_list}
        serve = None
        if "serve" in args.case_set and "sitegen" in args.tools:
            size = args.serve_size or max(args.size_list)
            root = CORPORA / str(size)
            ensure_corpus(size, root)
            _say(f"{size} serve: starting sitegen serve")
            serve = serve_case(Site(size, root), args.runs, args.timeout)
            _say(f"{size} serve: save → page {statistics.median(serve.page_ms):.0f} ms")
    except BenchError as exc:
        print(f"bench: error: {exc}", file=sys.stderr)
        return 1
    meta["machine"]["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    checks = targets(results, serve)
    report = markdown_report(meta, results, serve, checks)
    print(report)
    if args.report:
        args.report.write_text(report, encoding="utf-8")
    if args.json:
        data = json_report(meta, results, serve, checks)
        args.json.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Where a sitegen cold build spends its time, by stage, by library and by function.

    python3 bench/profile.py --articles 5000 [--out FILE] [--summary FILE]
    python3 bench/profile.py --articles 5000 --session FILE.pyisession   # summarize again
    PYTHONPATH=/tmp/old-sitegen python3 bench/profile.py   # profile another source tree

Generates (or reuses) the corpus of ``bench/corpus.py``, builds its sitegen
site once under pyinstrument (installed with pip when missing), saves
pyinstrument's text report to ``--out`` (and the session beside it, as
``.pyisession``) and prints a Markdown summary:
the share of each build stage (the functions named in ``STAGES``), the
share of self time by where the code lives (PyYAML, markdown-it-py,
Jinja2 and the compiled templates, each sitegen module, the standard
library), and the functions with the most self time.

A sitegen that can spread its work over processes is run with ``--jobs 1``:
the profiler sees only its own process, and the shares are those of the
work, whoever does it.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus import REPO, ensure_corpus

BENCH = Path(__file__).resolve().parent
CORPORA = BENCH / ".corpus"
BUILD_DATE = "2025-01-01"
# each stage's function, by the file it is in: (file, function) -> stage
STAGES = {
    ("sitegen/core/load.py", "load_site"): "load",
    ("sitegen/engine/job.py", "parse"): "parse",
    ("sitegen/core/resolve.py", "resolve_site"): "resolve",
    ("sitegen/engine/job.py", "plan"): "plan",
    ("sitegen/engine/job.py", "render"): "render",
    ("sitegen/engine/job.py", "write"): "write",
}
STDLIB = sysconfig.get_paths()["stdlib"]

# Where a frame's code lives, by its file path; the first match wins.
PLACES: tuple[tuple[str, str], ...] = (
    (r"/yaml/", "PyYAML (front matter, records)"),
    (r"/(markdown_it|mdit_py_plugins)/", "markdown-it-py (Markdown)"),
    (r"/jinja2/", "Jinja2 runtime"),
    (r"(\.html|<template>)$", "Jinja2 compiled templates"),
    (r"/markupsafe/", "MarkupSafe (escaping)"),
    (r"/pypinyin/", "pypinyin"),
    (r"/icalendar/", "icalendar"),
    (r"/sitegen/((?:core/|engine/)?\w+)\.py$", "sitegen/{}.py"),
)


# Built-in functions that are the file system's work, whoever calls them.
FILE_CALLS = frozenset(
    [
        "open",
        "read",
        "write",
        "mkdir",
        "makedirs",
        "rename",
        "replace",
        "stat",
        "lstat",
        "unlink",
        "rmdir",
        "scandir",
        "listdir",
        "chmod",
        "utime",
        "fsync",
        "close",
        "copyfile",
        "copy2",
        "readinto",
    ]
)


def place(file_path: str, function: str, caller: str) -> str:
    """Where a frame's code lives; a built-in function counts as its caller's,
    unless it is a file-system call."""
    for pattern, name in PLACES:
        match = re.search(pattern, file_path)
        if match:
            return name.format(*match.groups()) if "{}" in name else name
    if file_path.startswith("<"):  # <built-in>, or code made at run time such as dataclass methods
        return "file system calls" if function.split(".")[-1] in FILE_CALLS else caller
    if file_path.startswith(STDLIB):
        return "Python standard library"
    return "other"


@dataclass
class Summary:
    total: float
    stages: dict[str, float] = field(default_factory=dict)
    places: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    by_stage: dict[str, dict[str, float]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(float))
    )
    functions: dict[str, float] = field(default_factory=lambda: defaultdict(float))


def summarize(root: Any) -> Summary:
    """Self time by place, stage and function, from pyinstrument's frame tree."""
    summary = Summary(root.time)
    stack: list[tuple[Any, str, str]] = [(root, "startup and imports", "other")]
    while stack:
        frame, stage, caller = stack.pop()
        if frame.is_synthetic:
            continue
        named = next(
            (name for (file, fn), name in STAGES.items()
             if frame.function == fn and (frame.file_path or "").endswith(file)),
            None,
        )  # fmt: skip
        if named is not None:
            stage = named
            summary.stages[stage] = summary.stages.get(stage, 0.0) + frame.time
        where = place(frame.file_path or "", frame.function or "", caller)
        own = frame.total_self_time
        summary.places[where] += own
        summary.by_stage[stage][where] += own
        name = f"{frame.function} ({frame.file_path_short}:{frame.line_no})"
        summary.functions[name] += own
        stack.extend((child, stage, where) for child in frame.children)
    summary.stages["startup and imports"] = summary.total - sum(summary.stages.values())
    return summary


def _share(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def markdown(summary: Summary, articles: int, pages: str, seconds: float, limit: int = 15) -> str:
    total = summary.total
    lines = [
        f"Cold build of the {articles:,}-article corpus ({pages}), {seconds:.1f} s under "
        f"pyinstrument ({total:.1f} s sampled).",
        "",
        "| stage | time (s) | share | where its time goes (self time) |",
        "| --- | ---: | ---: | --- |",
    ]
    for stage, spent in sorted(summary.stages.items(), key=lambda kv: -kv[1]):
        inside = sorted(summary.by_stage.get(stage, {}).items(), key=lambda kv: -kv[1])[:4]
        detail = ", ".join(f"{name} {_share(t, spent)}" for name, t in inside if t > 0)
        lines.append(f"| {stage} | {spent:.2f} | {_share(spent, total)} | {detail} |")
    lines += ["", "| code | self time (s) | share |", "| --- | ---: | ---: |"]
    for name, spent in sorted(summary.places.items(), key=lambda kv: -kv[1])[:limit]:
        lines.append(f"| {name} | {spent:.2f} | {_share(spent, total)} |")
    lines += ["", "| function | self time (s) | share |", "| --- | ---: | ---: |"]
    for name, spent in sorted(summary.functions.items(), key=lambda kv: -kv[1])[:limit]:
        lines.append(f"| `{name}` | {spent:.2f} | {_share(spent, total)} |")
    return "\n".join(lines) + "\n"


def ensure_pyinstrument() -> None:
    if importlib.util.find_spec("pyinstrument") is None:
        print("installing pyinstrument: pip install pyinstrument", file=sys.stderr)
        step = [sys.executable, "-m", "pip", "install", "-q", "pyinstrument"]
        if subprocess.run(step).returncode != 0:
            sys.exit("bench: error: could not install pyinstrument")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Profile a sitegen cold build.")
    parser.add_argument("--articles", type=int, default=5000, help="corpus size (default 5000)")
    parser.add_argument("--out", type=Path, help="pyinstrument text report (default: in .corpus)")
    parser.add_argument("--summary", type=Path, help="also write the Markdown summary here")
    parser.add_argument(
        "--interval", type=float, default=0.001, help="sampling interval in seconds"
    )
    parser.add_argument(
        "--session",
        type=Path,
        help="summarize this saved pyinstrument session instead of building again",
    )
    args = parser.parse_args(argv)
    ensure_pyinstrument()
    from pyinstrument import Profiler
    from pyinstrument.session import Session

    if args.session:
        loaded = Session.load(str(args.session))
        summary = summarize(loaded.root_frame())
        print(markdown(summary, args.articles, "pages not counted", loaded.duration))
        return 0

    root = CORPORA / str(args.articles)
    ensure_corpus(args.articles, root)
    site = root / "sitegen"
    shutil.rmtree(site / ".sitegen-cache", ignore_errors=True)
    out_dir = Path(tempfile.mkdtemp(prefix="sitegen-profile-"))
    command = ["build", str(site), "--out", str(out_dir / "site"), "--no-search", "-q"]
    command += ["--date", BUILD_DATE]
    help_text = subprocess.run(  # from bench/, so that PYTHONPATH can pick another sitegen
        [sys.executable, "-m", "sitegen", "build", "--help"],
        capture_output=True,
        text=True,
        cwd=BENCH,
    ).stdout
    if "--no-cache" in help_text:
        command.append("--no-cache")
    if "--jobs" in help_text:  # keep the work in this process, where the profiler sees it
        command += ["--jobs", "1"]
    profiler = Profiler(interval=args.interval)
    started = time.perf_counter()
    profiler.start()
    from sitegen.cli import main as sitegen_main  # imported under the profiler, as a CLI run is

    status = sitegen_main(command)
    profiler.stop()
    seconds = time.perf_counter() - started
    pages = sum(1 for _ in (out_dir / "site").rglob("*.html"))
    shutil.rmtree(out_dir, ignore_errors=True)
    if status != 0:
        print(f"bench: error: sitegen build exited with {status}", file=sys.stderr)
        return 1
    report = args.out or root / f"profile-{args.articles}.txt"
    report.write_text(profiler.output_text(unicode=True, color=False), encoding="utf-8")
    session = profiler.last_session
    if session is None:
        print("bench: error: pyinstrument recorded nothing", file=sys.stderr)
        return 1
    session.save(str(report.with_suffix(".pyisession")))
    text = markdown(summarize(session.root_frame()), args.articles, f"{pages:,} pages", seconds)
    print(text)
    shown = report.relative_to(REPO) if report.is_relative_to(REPO) else report
    print(f"pyinstrument report: {shown}")
    if args.summary:
        args.summary.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

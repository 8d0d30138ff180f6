"""Time two or more versions of sitegen side by side on one corpus.

    python3 bench/ab.py HEAD~1 HEAD                         # 5,000 articles, 5 runs each
    python3 bench/ab.py --articles 20000 --runs 3 main WORK

Each REVISION is a git commit (anything ``git rev-parse`` takes), checked
out into a scratch folder on tmpfs, or ``WORK`` for the work tree as it is
when the run starts.
The versions build the corpus of ``bench/corpus.py`` cold (no cache, no
search, into an emptied folder on tmpfs) taking turns run by run, the
first version changing each run, so that a machine that slows down or
speeds up during the run weighs on all of them alike. The report gives
each version's median wall time, CPU time and peak memory (measured as
``run.py`` measures them) and its ratio to the first version's, and says
whether every version built the same site, byte for byte.

A mechanism that makes sitegen faster or smaller stays only while such a
measurement shows that it pays: quote this report in its docstring or
commit.
"""

from __future__ import annotations

import argparse
import compileall
import filecmp
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from corpus import REPO, ensure_corpus
from run import BUILD_DATE, CORPORA, BenchError, Measurement, measure

WORK = "WORK"


def checkout(revision: str, scratch: Path) -> Path:
    """The folder holding sitegen as it is at ``revision`` (a copy of the
    work tree for ``WORK``, so that it may be edited while the runs go on)."""
    if revision == WORK:
        folder = scratch / "work"
        for part in ("sitegen", "themes"):
            shutil.copytree(
                REPO / part, folder / part, ignore=shutil.ignore_patterns("__pycache__")
            )
        return _compiled(folder, revision)
    commit = subprocess.run(
        ["git", "rev-parse", "--verify", f"{revision}^{{commit}}"],
        cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if commit.returncode != 0:
        raise BenchError(f"{revision}: not a commit of this repository")
    folder = scratch / commit.stdout.strip()[:12]
    if not folder.exists():
        folder.mkdir(parents=True)
        archive = subprocess.Popen(
            ["git", "archive", commit.stdout.strip()], cwd=REPO, stdout=subprocess.PIPE
        )
        subprocess.run(["tar", "-x", "-C", str(folder)], stdin=archive.stdout, check=True)
        if archive.wait() != 0:
            raise BenchError(f"{revision}: git archive failed")
    return _compiled(folder, revision)


def _compiled(folder: Path, revision: str) -> Path:
    """``folder``, with sitegen's bytecode written, as an installation has it."""
    if not compileall.compile_dir(folder / "sitegen", quiet=1):
        raise BenchError(f"{revision}: could not compile sitegen's bytecode")
    return folder


def same_tree(one: Path, other: Path) -> bool:
    """Whether two output folders hold the same files with the same bytes."""
    compared = filecmp.dircmp(one, other)
    if compared.left_only or compared.right_only or compared.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(one, other, compared.common_files, shallow=False)
    if mismatch or errors:
        return False
    return all(same_tree(one / name, other / name) for name in compared.common_dirs)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("revisions", nargs="+", metavar="REVISION")
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=0, help="sitegen's --jobs (0: one per core)")
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args(argv)
    if len(args.revisions) < 2:
        parser.error("give at least two revisions to compare")

    scratch = Path(tempfile.mkdtemp(prefix="sitegen-ab-", dir="/dev/shm"))
    try:
        corpus = CORPORA / str(args.articles)
        ensure_corpus(args.articles, corpus)
        sources = [checkout(revision, scratch / "src") for revision in args.revisions]
        runs: list[list[Measurement]] = [[] for _ in sources]
        for run in range(args.runs):
            order = [(run + i) % len(sources) for i in range(len(sources))]
            for index in order:
                out = scratch / "out" / str(index)
                shutil.rmtree(out, ignore_errors=True)
                out.parent.mkdir(parents=True, exist_ok=True)
                command = [sys.executable, "-m", "sitegen", "build", str(corpus / "sitegen")]
                command += ["--out", str(out), "--no-search", "--no-cache", "-q"]
                command += ["--date", BUILD_DATE]
                command += ["--jobs", str(args.jobs)] if args.jobs else []
                label = f"{args.revisions[index]}, run {run + 1}"
                env_path = os.environ.get("PYTHONPATH")
                os.environ["PYTHONPATH"] = str(sources[index])
                try:
                    measured = measure(command, sources[index], args.timeout, label)
                finally:
                    if env_path is None:
                        os.environ.pop("PYTHONPATH", None)
                    else:
                        os.environ["PYTHONPATH"] = env_path
                runs[index].append(measured)
                print(
                    f"{label}: {measured.wall:.2f} s, CPU {measured.cpu:.2f} s, "
                    f"{measured.peak_mb:.0f} MB",
                    file=sys.stderr,
                    flush=True,
                )
        outs = [scratch / "out" / str(i) for i in range(len(sources))]
        same = all(same_tree(outs[0], other) for other in outs[1:])
        print(report(args, runs, same))
    except BenchError as exc:
        print(f"bench/ab.py: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


def report(args: argparse.Namespace, runs: list[list[Measurement]], same: bool) -> str:
    lines = [
        f"{args.articles:,} articles, {args.runs} cold builds each, alternating, medians"
        f" (--jobs {args.jobs or 'one per core'}):",
        "",
        "| version | wall (s) | CPU (s) | peak (MB) | wall / first | runs (wall, s) |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    first = statistics.median(m.wall for m in runs[0])
    for revision, measured in zip(args.revisions, runs, strict=True):
        wall = statistics.median(m.wall for m in measured)
        cpu = statistics.median(m.cpu for m in measured)
        peak = statistics.median(m.peak_mb for m in measured)
        each = ", ".join(f"{m.wall:.2f}" for m in measured)
        lines.append(
            f"| {revision} | {wall:.2f} | {cpu:.2f} | {peak:.0f} | {wall / first:.2f} | {each} |"
        )
    lines += ["", "Output: " + ("byte-identical." if same else "DIFFERS between versions.")]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())

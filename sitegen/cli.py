"""The ``sitegen`` command: parse arguments, call the library, print, exit.

Exit codes: 0 success, 1 the build found errors (or warnings under
``--strict``), 2 a usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from sitegen import __version__
from sitegen.build import BuildOptions, BuildResult, build
from sitegen.check import (
    check_site,
    format_github,
    format_json,
    format_translations,
)
from sitegen.core.config import load_config
from sitegen.core.diagnostics import Diagnostic, Diagnostics, Severity
from sitegen.core.messages import LANGUAGES, summary, translate
from sitegen.scaffold import CI_RECIPES, KINDS, ScaffoldError, init_site, new_file
from sitegen.serve import Server

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def add_lang(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=default_language(),
        help="language of the messages (default: from the locale, zh_* gives Chinese)",
    )


def _parser() -> argparse.ArgumentParser:
    """The command line's whole grammar, one argument after another: long,
    and read top to bottom like the ``--help`` it makes."""
    parser = argparse.ArgumentParser(
        prog="sitegen",
        description="Build a bilingual news-and-records website from Markdown and YAML.",
    )
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    b = commands.add_parser("build", help="build the site into an output folder")
    b.add_argument(
        "site_dir",
        nargs="?",
        default=".",
        metavar="SITE_DIR",
        help="folder holding site.yaml (default: the current folder)",
    )
    b.add_argument(
        "--out", metavar="DIR", type=Path, help="output folder (default: SITE_DIR/build)"
    )
    b.add_argument(
        "--force",
        action="store_true",
        help="replace the output folder even if it holds files sitegen did not write",
    )
    b.add_argument("--strict", action="store_true", help="fail on warnings too")
    b.add_argument(
        "--base-url",
        metavar="URL",
        help="address the site is published at, e.g. https://example.org/xindu/",
    )
    b.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    b.add_argument(
        "--future",
        action="store_true",
        help="include articles dated after the build date, marked as scheduled",
    )
    b.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        type=_iso_date,
        help="the build date, which decides the articles published, pinned and expired, "
        "and the events shown as coming (default: today)",
    )
    b.add_argument("--no-search", action="store_true", help="skip building the search index")
    b.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=0,
        metavar="N",
        help="processes that parse and render (default: one per core; 1: no extra processes)",
    )
    b.add_argument(
        "--cache-dir",
        metavar="DIR",
        type=Path,
        help="the build cache's folder (default: $SITEGEN_CACHE_DIR or SITE_DIR/.sitegen-cache)",
    )
    b.add_argument(
        "--no-cache",
        action="store_true",
        help="neither use nor keep SITE_DIR/.sitegen-cache: build everything from scratch",
    )
    b.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    b.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="also print what each kind of page weighs (HTML, CSS, JS)",
    )
    add_lang(b)

    v = commands.add_parser("serve", help="preview the site, rebuilding and reloading on save")
    v.add_argument(
        "site_dir",
        nargs="?",
        default=".",
        metavar="SITE_DIR",
        help="folder holding site.yaml (default: the current folder)",
    )
    v.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    v.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this computer only)",
    )
    v.add_argument("--no-drafts", action="store_true", help="leave out draft articles")
    add_lang(v)

    c = commands.add_parser("check", help="report every problem of the site without writing")
    c.add_argument(
        "site_dir",
        nargs="?",
        default=".",
        metavar="SITE_DIR",
        help="folder holding site.yaml (default: the current folder)",
    )
    c.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text for people, json for programs, github for Actions annotations",
    )
    c.add_argument(
        "--translations",
        action="store_true",
        help="report missing and possibly stale translations instead",
    )
    c.add_argument("--drafts", action="store_true", help="check draft articles too")
    add_lang(c)

    i = commands.add_parser("init", help="start a new, empty site in a folder")
    i.add_argument("folder", nargs="?", default=".", help="the new site's folder (empty or new)")
    i.add_argument(
        "--ci",
        choices=sorted(CI_RECIPES),
        help="add the recipe that publishes the site from GitHub or GitLab",
    )
    add_lang(i)

    n = commands.add_parser("new", help="start a news article, team record or studio record")
    n.add_argument("kind", choices=KINDS, help="what to start")
    n.add_argument("name", help="file name: e.g. pujiang-visit (news) or xinfan-calligraphy")
    n.add_argument("--site", metavar="SITE_DIR", default=".", help="the site folder")
    n.add_argument(
        "--lang", default=None, help="language of a news article (default: the site's first)"
    )
    return parser


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of processes (1 or more)")
    return int(text)


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date: write YYYY-MM-DD") from None


def default_language() -> str:
    """The editor's language from the locale: Chinese for zh_*, else English."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def print_diagnostics(diagnostics: Sequence[Diagnostic], lang: str = "en") -> None:
    for diagnostic in diagnostics:
        print(diagnostic.format(lang), file=sys.stderr)


def _counts(diagnostics: Sequence[Diagnostic], lang: str) -> str:
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
    warnings = sum(1 for d in diagnostics if d.severity is Severity.WARNING)
    text = summary("counts", lang, errors=errors, warnings=warnings)
    return text.replace("1 errors", "1 error").replace("1 warnings", "1 warning")


def _count_values(diagnostics: Sequence[Diagnostic]) -> dict[str, int]:
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
    warnings = sum(1 for d in diagnostics if d.severity is Severity.WARNING)
    return {"errors": errors, "warnings": warnings}


def _summary(result: BuildResult, out: Path, lang: str) -> str:
    counts = _counts(result.diagnostics, lang)
    problems = any(d.severity is not Severity.NOTE for d in result.diagnostics)
    if result.up_to_date:
        text = summary("up-to-date", lang, pages=result.pages, out=out)
        return text + (f" ({counts})" if problems else "")
    if result.ok:
        text = summary(
            "built",
            lang,
            pages=result.pages,
            files=result.files_written,
            out=out,
            seconds=f"{result.seconds:.2f}",
        )
        return text + (f" ({counts})" if problems else "")
    return summary("failed", lang, counts=counts, out=out)


def _build(args: argparse.Namespace) -> int:
    site_dir = Path(args.site_dir)
    if not site_dir.is_dir():
        print(f"sitegen: error: {site_dir} is not a folder", file=sys.stderr)
        return EXIT_USAGE
    out = args.out if args.out is not None else site_dir / "build"
    progress = (
        (lambda text: print(translate("progress", text, args.lang), file=sys.stderr))
        if sys.stderr.isatty()
        else None
    )
    result = build(
        site_dir,
        BuildOptions(
            out_dir=out,
            base_url=args.base_url,
            drafts=args.drafts,
            future=args.future,
            strict=args.strict,
            today=args.date,
            search=not args.no_search,
            cache=not args.no_cache,
            cache_dir=args.cache_dir,
            jobs=args.jobs,
            force=args.force,
            weigh=args.verbose,
        ),
        progress=None if args.quiet else progress,
    )
    if any(d.code == "unsafe-output" for d in result.diagnostics):  # nothing was built
        print_diagnostics(result.diagnostics, args.lang)
        return EXIT_USAGE
    print_diagnostics(result.diagnostics, args.lang)
    if args.verbose and result.ok:
        for template, (url, html, css, js) in result.weights.items():
            total = (html + css + js) / 1024
            print(
                f"  {template:<14} {total:6.1f} KB = HTML {html / 1024:.1f} + CSS "
                f"{css / 1024:.1f} + JS {js / 1024:.1f}  (heaviest: {url})"
            )
        if result.plan is not None and result.plan.images:
            total = len(set(result.plan.images.values()))
            print(f"  pictures: {result.images_made} of {total} smaller copies made, others cached")
    if (result.ok and not args.quiet) or not result.ok:
        print(_summary(result, out, args.lang), file=sys.stdout if result.ok else sys.stderr)
    return EXIT_OK if result.ok else EXIT_FAILED


def _check(args: argparse.Namespace) -> int:
    site_dir = Path(args.site_dir)
    if not site_dir.is_dir():
        print(f"sitegen: error: {site_dir} is not a folder", file=sys.stderr)
        return EXIT_USAGE
    result = check_site(site_dir, drafts=args.drafts)
    if args.translations:
        text = format_translations(result.translations, args.format)
        if text:
            print(text)
        return EXIT_OK if result.ok else EXIT_FAILED
    if args.format == "json":
        print(format_json(result.diagnostics))
    elif args.format == "github":
        if result.diagnostics:
            print(format_github(result.diagnostics, args.lang))
    else:
        for diagnostic in result.diagnostics:
            print(diagnostic.format(args.lang))
        print(
            summary("checked", args.lang, **_count_values(result.diagnostics))
            .replace("1 errors", "1 error")
            .replace("1 warnings", "1 warning")
        )
    return EXIT_OK if result.ok else EXIT_FAILED


def _serve(args: argparse.Namespace) -> int:
    site_dir = Path(args.site_dir)
    if not (site_dir / "site.yaml").is_file():
        print(f"sitegen: error: no site.yaml in {site_dir}", file=sys.stderr)
        return EXIT_USAGE

    def report(result: BuildResult) -> None:
        print_diagnostics(result.diagnostics, args.lang)
        when = dt.datetime.now().strftime("%H:%M:%S")
        if result.ok:
            print(f"{when} built {result.pages} pages in {result.seconds:.2f} s", flush=True)
        else:
            print(f"{when} build failed; the last good pages stay served", flush=True)

    try:
        server = Server(
            site_dir,
            args.host,
            args.port,
            drafts=not args.no_drafts,
            report=report,
            lang=args.lang,
        )
    except OSError as exc:
        print(
            f"sitegen: error: cannot listen on {args.host}:{args.port}: {exc.strerror}; "
            f"try another port with --port",
            file=sys.stderr,
        )
        return EXIT_FAILED
    for signum in (signal.SIGINT, signal.SIGTERM):  # stop cleanly on Ctrl-C or a kill
        signal.signal(signum, signal.default_int_handler)
    try:
        server.start()  # the first build, here
        print(f"serving {site_dir.resolve()} at {server.url} (Ctrl-C stops)", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("stopping", flush=True)
    finally:
        server.stop()
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    site_dir = Path(args.site)
    diagnostics = Diagnostics()
    config = load_config(site_dir, diagnostics)
    if config is None:
        print_diagnostics(diagnostics.sorted())
        return EXIT_FAILED
    lang = args.lang or config.default_language
    if lang not in config.languages:
        print(
            f"sitegen: error: --lang must be one of {', '.join(config.languages)}", file=sys.stderr
        )
        return EXIT_USAGE
    try:
        path = new_file(
            site_dir, args.kind, args.name, lang, dt.date.today(), config.default_language
        )
    except ScaffoldError as exc:  # said in the language of the new file
        print(f"sitegen: error: {translate('new', str(exc), lang)}", file=sys.stderr)
        return EXIT_FAILED
    print(f"created {path}")
    return EXIT_OK


def _init(args: argparse.Namespace) -> int:
    folder = Path(args.folder)
    try:
        _written, pinned = init_site(folder, args.ci)
    except ScaffoldError as exc:
        print(f"sitegen: error: {translate('new', str(exc), args.lang)}", file=sys.stderr)
        return EXIT_FAILED
    print(summary("init", args.lang, folder=folder))
    if not pinned:
        print(summary("init-unpinned", args.lang))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if isinstance(exc.code, int) else EXIT_USAGE
    if args.command == "build":
        return _build(args)
    if args.command == "new":
        return _new(args)
    if args.command == "init":
        return _init(args)
    if args.command == "serve":
        return _serve(args)
    if args.command == "check":
        return _check(args)
    parser.error(f"unknown command {args.command}")
    return EXIT_USAGE

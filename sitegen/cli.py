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
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import sitegen.deploy.run as deploy_run
import sitegen.wechat as wechat
from sitegen import __version__
from sitegen.build import BuildOptions, BuildResult, build, cache_dir
from sitegen.check import (
    check_site,
    format_github,
    format_json,
    format_translations,
)
from sitegen.core.config import load_config
from sitegen.core.diagnostics import Diagnostic, Diagnostics, Severity
from sitegen.core.messages import LANGUAGES, phrase, summary, translate
from sitegen.deploy.plan import DeployError
from sitegen.scaffold import CI_RECIPES, KINDS, ScaffoldError, init_site, new_file
from sitegen.serve import Server

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def add_lang(command: argparse.ArgumentParser, h: Callable[[str], str]) -> None:
    command.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=default_language(),
        help=h("language of the messages (default: from the locale, zh_* gives Chinese)"),
    )


def _parser(lang: str = "en") -> argparse.ArgumentParser:
    """The command line's whole grammar, one argument after another: long,
    and read top to bottom like the ``--help`` it makes, which is in
    ``lang``."""

    def h(text: str) -> str:
        return phrase(text, lang)

    class Formatter(argparse.HelpFormatter):
        def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: Any = None) -> None:
            super().add_usage(usage, actions, groups, h("usage: ") if prefix is None else prefix)

    def prepared(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
        """``parser`` with its headings and its own -h said in ``lang``."""
        parser._positionals.title = h("positional arguments")
        parser._optionals.title = h("options")
        parser.add_argument(
            "-h", "--help", action="help", help=h("show this help message and exit")
        )
        return parser

    parser = prepared(
        argparse.ArgumentParser(
            prog="sitegen",
            description=h("Build a bilingual news-and-records website from Markdown and YAML."),
            formatter_class=Formatter,
            add_help=False,
        )
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"sitegen {__version__}",
        help=h("show sitegen's version and exit"),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title=h("commands"))
    commands.required = True

    def command(name: str, summary: str) -> argparse.ArgumentParser:
        return prepared(
            commands.add_parser(
                name,
                help=h(summary),
                description=h(summary),
                formatter_class=Formatter,
                add_help=False,
            )
        )

    def site_dir(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "site_dir",
            nargs="?",
            default=".",
            metavar="SITE_DIR",
            help=h("folder holding site.yaml (default: the current folder)"),
        )

    b = command("build", "build the site into an output folder")
    site_dir(b)
    b.add_argument(
        "--out", metavar="DIR", type=Path, help=h("output folder (default: SITE_DIR/build)")
    )
    b.add_argument(
        "--force",
        action="store_true",
        help=h("replace the output folder even if it holds files sitegen did not write"),
    )
    b.add_argument("--strict", action="store_true", help=h("fail on warnings too"))
    b.add_argument(
        "--base-url",
        metavar="URL",
        help=h("address the site is published at, e.g. https://example.org/xindu/"),
    )
    b.add_argument("--drafts", action="store_true", help=h("include articles marked draft: true"))
    b.add_argument(
        "--future",
        action="store_true",
        help=h("include articles dated after the build date, marked as scheduled"),
    )
    b.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        type=_iso_date,
        help=h(
            "the build date, which decides the articles published, pinned and expired, "
            "and the events shown as coming (default: today)"
        ),
    )
    b.add_argument("--no-search", action="store_true", help=h("skip building the search index"))
    b.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=0,
        metavar="N",
        help=h("processes that parse and render (default: one per core; 1: no extra processes)"),
    )
    b.add_argument(
        "--cache-dir",
        metavar="DIR",
        type=Path,
        help=h("the build cache's folder (default: $SITEGEN_CACHE_DIR or SITE_DIR/.sitegen-cache)"),
    )
    b.add_argument(
        "--no-cache",
        action="store_true",
        help=h("neither use nor keep SITE_DIR/.sitegen-cache: build everything from scratch"),
    )
    b.add_argument("-q", "--quiet", action="store_true", help=h("print only problems"))
    b.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help=h("also print what each kind of page weighs (HTML, CSS, JS)"),
    )
    add_lang(b, h)

    v = command("serve", "preview the site, rebuilding and reloading on save")
    site_dir(v)
    v.add_argument("--port", type=int, default=8000, help=h("port to listen on (default: 8000)"))
    v.add_argument(
        "--host",
        default="127.0.0.1",
        help=h("address to listen on (default: 127.0.0.1, this computer only)"),
    )
    v.add_argument("--no-drafts", action="store_true", help=h("leave out draft articles"))
    v.add_argument(
        "--admin",
        action="store_true",
        help=h("also serve the browser editor at /admin/, which edits this folder's files"),
    )
    add_lang(v, h)

    c = command("check", "report every problem of the site without writing")
    site_dir(c)
    c.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help=h("text for people, json for programs, github for Actions annotations"),
    )
    c.add_argument(
        "--translations",
        action="store_true",
        help=h("report missing and possibly stale translations instead"),
    )
    c.add_argument("--drafts", action="store_true", help=h("check draft articles too"))
    c.add_argument(
        "--wechat",
        action="store_true",
        help=h("also report what the 公众号 editor would not take of each article"),
    )
    add_lang(c, h)

    i = command("init", "start a new, empty site in a folder")
    i.add_argument("folder", nargs="?", default=".", help=h("the new site's folder (empty or new)"))
    i.add_argument(
        "--ci",
        choices=sorted(CI_RECIPES),
        help=h(
            "add the recipe that publishes the site from GitHub or GitLab: to their Pages, "
            "or with sitegen deploy to object storage or a server"
        ),
    )
    add_lang(i, h)

    n = command("new", "start a news article, team record or studio record")
    n.add_argument("kind", choices=KINDS, help=h("what to start"))
    n.add_argument("name", help=h("file name: e.g. pujiang-visit (news) or xinfan-calligraphy"))
    n.add_argument(
        "--site",
        metavar="SITE_DIR",
        default=".",
        help=h("the site folder (default: the current folder)"),
    )
    n.add_argument(
        "--in",
        dest="article_lang",
        metavar="zh|en",
        default=None,
        help=h("language of a news article (default: the site's first)"),
    )
    add_lang(n, h)

    x = command("export", "write an article's copy to paste elsewhere: its WeChat copy")
    x.add_argument(
        "form",
        choices=("wechat",),
        help=h("wechat: the copy for the 公众号 editor, styled inline"),
    )
    x.add_argument(
        "article",
        metavar="ARTICLE",
        help=h("the article's Markdown file or folder in content/news/"),
    )
    x.add_argument(
        "--in",
        dest="article_lang",
        metavar="zh|en",
        default=None,
        help=h("the language of the copy (default: the file's own, or the site's first)"),
    )
    x.add_argument(
        "--out",
        metavar="FILE",
        type=Path,
        help=h(
            "the file to write (default: <article>.wechat.<language>.html in the current folder)"
        ),
    )
    x.add_argument(
        "--site",
        metavar="SITE_DIR",
        default=None,
        help=h("the site folder (default: the folder above ARTICLE that holds site.yaml)"),
    )
    add_lang(x, h)

    d = command(
        "deploy",
        "publish the built site to object storage or a server named in site.yaml, "
        "uploading only what changed",
    )
    d.add_argument(
        "target",
        nargs="?",
        metavar="TARGET",
        help=h("a target under deploy: in site.yaml (default: the only one there is)"),
    )
    d.add_argument(
        "--site",
        metavar="SITE_DIR",
        default=".",
        help=h("the site folder (default: the current folder)"),
    )
    d.add_argument(
        "--dir",
        metavar="DIR",
        type=Path,
        help=h("the built site to publish (default: SITE_DIR/build); deploy does not build"),
    )
    d.add_argument(
        "--dry-run",
        action="store_true",
        help=h("list what would be uploaded and deleted, and change nothing"),
    )
    d.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help=h("list each file as it is uploaded or deleted"),
    )
    add_lang(d, h)
    return parser


def message_language(argv: Sequence[str]) -> str:
    """The language of the messages: ``--lang`` where the command line
    gives it, else the locale's; read before the command line is parsed,
    so that its help is in that language too."""
    for index, arg in enumerate(argv):
        value = arg.partition("=")[2] if arg.startswith("--lang=") else ""
        if arg == "--lang" and index + 1 < len(argv):
            value = argv[index + 1]
        if value in LANGUAGES:
            return value
    return default_language()


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
        print(
            f"sitegen: error: {phrase('{folder} is not a folder', args.lang, folder=site_dir)}",
            file=sys.stderr,
        )
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
        print(
            f"sitegen: error: {phrase('{folder} is not a folder', args.lang, folder=site_dir)}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    result = check_site(site_dir, drafts=args.drafts, wechat=args.wechat)
    if args.translations:
        text = format_translations(result.translations, args.format, args.lang)
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
        print(
            f"sitegen: error: {phrase('no site.yaml in {folder}', args.lang, folder=site_dir)}",
            file=sys.stderr,
        )
        return EXIT_USAGE

    def report(result: BuildResult) -> None:
        print_diagnostics(result.diagnostics, args.lang)
        when = dt.datetime.now().strftime("%H:%M:%S")
        if result.ok:
            said = phrase(
                "built {pages} pages in {seconds} s",
                args.lang,
                pages=result.pages,
                seconds=f"{result.seconds:.2f}",
            )
            print(f"{when} {said}", flush=True)
        else:
            print(
                f"{when} {phrase('build failed; the last good pages stay served', args.lang)}",
                flush=True,
            )

    try:
        server = Server(
            site_dir,
            args.host,
            args.port,
            drafts=not args.no_drafts,
            report=report,
            lang=args.lang,
            admin=args.admin,
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
        said = phrase(
            "serving {folder} at {url} (Ctrl-C stops)",
            args.lang,
            folder=site_dir.resolve(),
            url=server.url,
        )
        print(said, flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print(phrase("stopping", args.lang), flush=True)
    finally:
        server.stop()
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    site_dir = Path(args.site)
    diagnostics = Diagnostics()
    config = load_config(site_dir, diagnostics)
    if config is None:
        print_diagnostics(diagnostics.sorted(), args.lang)
        return EXIT_FAILED
    lang = args.article_lang or config.default_language
    if lang not in config.languages:
        languages = ", ".join(config.languages)
        said = phrase("--in must be one of {languages}", args.lang, languages=languages)
        print(f"sitegen: error: {said}", file=sys.stderr)
        return EXIT_USAGE
    try:
        path = new_file(
            site_dir, args.kind, args.name, lang, dt.date.today(), config.default_language
        )
    except ScaffoldError as exc:
        print(f"sitegen: error: {translate('new', str(exc), args.lang)}", file=sys.stderr)
        return EXIT_FAILED
    print(phrase("created {path}", args.lang, path=path))
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


def _export(args: argparse.Namespace) -> int:
    """``sitegen export wechat ARTICLE``: the article's WeChat copy, to a file."""
    article = Path(args.article).resolve()
    site_dir = Path(args.site).resolve() if args.site else wechat.site_of(article)
    if site_dir is None or not (site_dir / "site.yaml").is_file():
        said = phrase(
            "{path} is not in a site folder (no site.yaml above it); give --site",
            args.lang,
            path=args.article,
        )
        print(f"sitegen: error: {said}", file=sys.stderr)
        return EXIT_USAGE
    config = load_config(site_dir, Diagnostics())
    result = build(
        site_dir, BuildOptions(write=False, keep=True, search=False, drafts=True, future=True)
    )
    if not result.ok or config is None:
        print_diagnostics(
            [d for d in result.diagnostics if d.severity is Severity.ERROR], args.lang
        )
        print(summary("export-failed", args.lang), file=sys.stderr)
        return EXIT_FAILED
    found = wechat.find_article(result, site_dir, article, args.article_lang)
    if isinstance(found, str):
        said = phrase(found, args.lang, path=args.article, lang=args.article_lang or "")
        print(f"sitegen: error: {said}", file=sys.stderr)
        return EXIT_USAGE
    made = wechat.make(result, found, site_dir, config)
    print_diagnostics(made.problems, args.lang)
    if made.copy is None:
        return EXIT_FAILED
    out = args.out or Path(f"{found.view.article.slug}.wechat.{found.lang}.html")
    out.write_text(wechat.document(made, found.lang), encoding="utf-8")
    print(summary("exported", args.lang, path=out))
    return EXIT_OK


def _deploy(args: argparse.Namespace) -> int:
    site_dir = Path(args.site)
    diagnostics = Diagnostics()
    config = load_config(site_dir, diagnostics)
    print_diagnostics(diagnostics.sorted(), args.lang)
    if config is None or any(d.severity is Severity.ERROR for d in diagnostics.sorted()):
        return EXIT_FAILED
    try:
        target = deploy_run.choose(config.deploy, args.target)
    except DeployError as exc:
        _print_error(exc, args.lang)
        return EXIT_USAGE
    listed = {"upload": "would upload {path}", "delete": "would delete {path}"}
    if not args.dry_run:
        listed = {"upload": "uploaded {path}", "delete": "deleted {path}"}

    def report(what: str, path: str) -> None:
        if args.dry_run or args.verbose:
            print(phrase(listed[what], args.lang, path=path), flush=True)

    try:
        done = deploy_run.deploy(
            site_dir,
            target,
            args.dir if args.dir is not None else site_dir / "build",
            cache_dir(site_dir, BuildOptions()),
            dry_run=args.dry_run,
            report=report,
        )
    except DeployError as exc:
        _print_error(exc, args.lang)
        return EXIT_FAILED
    counts = {
        "target": target.name,
        "uploaded": f"{len(done.uploaded):,}",
        "deleted": f"{len(done.deleted):,}",
        "unchanged": f"{done.unchanged:,}",
    }
    print(summary("deploy-dry-run" if args.dry_run else "deployed", args.lang, **counts))
    return EXIT_OK


def _print_error(exc: DeployError, lang: str) -> None:
    print(f"sitegen: error: {translate(exc.code, exc.message, lang)}", file=sys.stderr)
    if exc.hint:
        label = "提示" if lang == "zh" else "hint"
        print(f"    {label}: {translate(exc.code, exc.hint, lang)}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    parser = _parser(message_language(arguments))
    try:
        args = parser.parse_args(arguments)
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
    if args.command == "export":
        return _export(args)
    if args.command == "deploy":
        return _deploy(args)
    parser.error(f"unknown command {args.command}")
    return EXIT_USAGE

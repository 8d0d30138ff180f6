"""``sitegen check``: the whole build in memory, plus what only a finished
site can show, without writing anything.

- every problem the build finds (YAML, fields, ids, alt text, …);
- internal links and ``#anchors`` that lead nowhere: those written in an
  article are reported at the article's line, any other at the page;
- the translation report: per article, each language translated, missing,
  or possibly stale (the original changed after the translation: by git
  history when the site is in a git repository, else by file times; a
  translation may name the revision it follows with ``translated_from:``);
  per record, the reader-facing texts that lack a language.
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import unquote

import sitegen.core.wechat as wechat_copy
from sitegen.build import BuildOptions, BuildResult, build
from sitegen.core.attachments import names_a_file
from sitegen.core.config import SiteConfig, load_config
from sitegen.core.diagnostics import Diagnostic, Diagnostics, Severity
from sitegen.core.links import file_at, link_target
from sitegen.core.messages import phrase, translate
from sitegen.core.model import Article, Site, Studio, Team, Text
from sitegen.core.pages import article_url

_LINK = re.compile(rb'(href|src)="([^"]*)"')
_ID = re.compile(rb'\sid="([^"]+)"')


@dataclass(frozen=True, slots=True)
class Translation:
    """One article or record in one language."""

    kind: str  # "article", "team" or "studio"
    id: str  # the article's stem or the record's id
    lang: str
    state: str  # "original", "translated", "missing", "stale"
    path: str  # the file, or "" when missing
    detail: str = ""  # for records: the fields that lack this language


@dataclass(frozen=True, slots=True)
class CheckResult:
    diagnostics: list[Diagnostic]
    translations: list[Translation]

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)


def check_site(site_dir: Path, drafts: bool = False, wechat: bool = False) -> CheckResult:
    """Every problem of the site, its links and its translations; with
    ``wechat``, also what the 公众号 editor would not take of each article
    (see :mod:`sitegen.core.wechat`), for a college that posts them there."""
    # articles dated later are checked too: they are published by a later build
    result = build(site_dir, BuildOptions(write=False, drafts=drafts, future=True, keep=True))
    diagnostics = Diagnostics()
    # a link that leads nowhere, a warning in a build, fails a check, as
    # with ``build --strict``
    diagnostics.extend(
        dataclasses.replace(d, severity=Severity.ERROR) if d.code == "broken-link" else d
        for d in result.diagnostics
    )
    config = load_config(site_dir, Diagnostics())
    translations: list[Translation] = []
    if result.site is not None and result.plan is not None and config is not None:
        check_links(result, config, diagnostics)
        translations = translation_report(result.site, config, site_dir)
    if wechat and result.site is not None and config is not None:
        missing = wechat_copy.no_address(config)
        if missing is not None:
            diagnostics.add(missing)
        for versions in result.site.translations.values():
            for article in versions.values():
                found = wechat_copy.source_problems(site_dir, article.path, article.bundle_dir)
                diagnostics.extend(found)
    return CheckResult(diagnostics.sorted(), translations)


# -- links -------------------------------------------------------------------


def check_links(result: BuildResult, config: SiteConfig, diagnostics: Diagnostics) -> None:
    assert result.plan is not None and result.site is not None
    files = result.files
    ids: dict[str, set[str]] = {}

    def anchor_ok(out: str, fragment: str) -> bool:
        if not fragment or not out.endswith(".html"):
            return True
        if out not in ids:
            ids[out] = {m.decode() for m in _ID.findall(result.output.get(out, b""))}
        return unquote(fragment) in ids[out]

    # An article's own links are checked by the build, at their lines, with
    # the files of its folder followed to their media folders; those it
    # found broken are not said again of the page they are rendered on.
    reported: set[tuple[str, str]] = set()
    said = {(d.path, d.line, d.column) for d in diagnostics if d.code == "broken-link"}
    for article in result.site.articles:
        address = article_url(article, article.lang, config)
        for line, column, href in article.links:
            name = unquote(href.partition("#")[0].partition("?")[0])
            if names_a_file(name):  # in its folder, or missing from it: said by parse
                reported.add((address, name))
            if (article.path, line, column) in said:
                reported.add((address, href))
                if href.startswith("/") and not href.startswith("//"):  # as rendered
                    reported.add((address, config.base_path.rstrip("/") + href))
    for page in result.plan.pages:
        body = result.output.get(page.output_path, b"")
        an_article = page.template == "article.html"
        for attribute, raw in _LINK.findall(body):
            if an_article and attribute == b"src":
                continue  # an article's pictures: each is checked, at its line, as it is read
            href = raw.decode().replace("&amp;", "&")
            if (page.url, href) in reported or (page.url, unquote(href)) in reported:
                continue
            target = link_target(
                href.split("?", 1)[0] if "?" in href else href, page.url, config.base_path
            )
            if target is None or target[0].startswith("/pagefind/"):
                continue  # the search index is written by Pagefind with the site
            out = file_at(target[0], files)
            if out is None or not anchor_ok(out, target[1]):
                reported.add((page.url, href))
                diagnostics.error(
                    page.sources[0] if page.sources else page.template,
                    0,
                    "broken-link",
                    f"page {page.url} links to '{href}', which leads nowhere",
                    "a template or an article builds a wrong address",
                )


# -- translations --------------------------------------------------------------


def _git(site_dir: Path, *args: str) -> str | None:
    """The output of a git command in the site folder, or None when git or
    the repository is not there."""
    try:
        done = subprocess.run(
            ["git", "-C", str(site_dir), *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


class ChangeTimes:
    """When each file last changed: its last commit, or its file time when it
    has uncommitted changes or the site is not in a git repository. Git is
    asked twice for the whole site, not once per file."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self.committed: dict[str, int] = {}
        self.dirty: set[str] = set()
        prefix = _git(site_dir, "rev-parse", "--show-prefix")
        log = _git(site_dir, "log", "--format=@%ct", "--name-only", "--relative", "--", ".")
        status = _git(site_dir, "status", "--porcelain", "--untracked-files=all", ".")
        self.in_git = prefix is not None and log is not None and status is not None
        when = 0
        for line in (log or "").splitlines():
            if line.startswith("@"):
                when = int(line[1:])
            elif line and line not in self.committed:
                self.committed[line] = when  # newest first: the first time seen is the last
        base = (prefix or "").strip()
        for line in (status or "").splitlines():
            name = line[3:].split(" -> ")[-1].strip('"')
            self.dirty.add(name.removeprefix(base))

    def time(self, path: str) -> int:
        if self.in_git and path in self.committed and path not in self.dirty:
            return self.committed[path]
        return int((self.site_dir / path).stat().st_mtime)

    def changed_since(self, revision: str, path: str) -> bool | None:
        """Whether ``path`` changed after commit ``revision`` (None: unknown revision)."""
        log = _git(self.site_dir, "log", "--format=%H", f"{revision}..HEAD", "--", path)
        if log is None:
            return None
        return bool(log.strip()) or path in self.dirty


def is_stale(times: ChangeTimes, original: Article, translation: Article) -> bool:
    if translation.translated_from:
        changed = times.changed_since(translation.translated_from, original.path)
        if changed is not None:
            return changed
    return times.time(original.path) > times.time(translation.path)


def translation_report(site: Site, config: SiteConfig, site_dir: Path) -> list[Translation]:
    times = ChangeTimes(site_dir)
    report: list[Translation] = []
    for key in sorted(site.translations):
        versions = site.translations[key]
        original = next(versions[lang] for lang in config.languages if lang in versions)
        for lang in config.languages:
            version = versions.get(lang)
            if version is None:
                state, path = "missing", original.path
            elif version is original:
                state, path = "original", version.path
            else:
                stale = is_stale(times, original, version)
                state, path = ("stale" if stale else "translated"), version.path
            report.append(Translation("article", original.stem, lang, state, path))
    for kind, records in (("team", site.teams), ("studio", site.studios)):
        for record in records.values():
            texts = _texts(record)
            for lang in config.languages:
                lacking = [name for name, text in texts if text.values and not text.has(lang)]
                state = (
                    "missing"
                    if lacking
                    else ("original" if lang == config.default_language else "translated")
                )
                report.append(
                    Translation(kind, record.id, lang, state, record.path, ", ".join(lacking))
                )
    return report


def _texts(record: Team | Studio) -> list[tuple[str, Text]]:
    texts = [("name", record.name), ("leader", record.leader)]
    if isinstance(record, Team):
        texts += [("description", record.description)]
        texts += [(f"honours[{h.year}]", h.title) for h in record.honours]
        texts += [(f"activities[{a.date}]", a.title) for a in record.activities]
    else:
        texts += [("focus", record.focus)]
        texts += [(f"members[{i + 1}]", m) for i, m in enumerate(record.members)]
    return texts


# -- output --------------------------------------------------------------------


def format_json(diagnostics: list[Diagnostic]) -> str:
    rows = [
        {
            "path": d.path,
            "line": d.line,
            "column": d.column,
            "severity": d.severity.value,
            "code": d.code,
            "message": d.message,
            "hint": d.hint,
        }
        for d in diagnostics
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2)


def _escape_github(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(diagnostics: list[Diagnostic], lang: str = "en") -> str:
    """GitHub Actions workflow commands: one annotation per problem."""
    lines = []
    for d in diagnostics:
        where = [f"file={_escape_github(d.path, True)}"]
        if d.line > 0:
            where += [f"line={d.line}", f"col={max(d.column, 1)}"]
        where.append(f"title={_escape_github(d.code, True)}")
        message = translate(d.code, d.message, lang) + (
            f"\n{translate(d.code, d.hint, lang)}" if d.hint else ""
        )
        level = "notice" if d.severity is Severity.NOTE else d.severity.value
        lines.append(f"::{level} {','.join(where)}::{_escape_github(message)}")
    return "\n".join(lines)


def format_translations(report: list[Translation], style: str, lang: str = "en") -> str:
    """The translation report for people (``text``), programs (``json``) or
    GitHub Actions (``github``), its words in ``lang``."""
    if style == "json":
        return json.dumps([asdict(t) for t in report], ensure_ascii=False, indent=2)
    lines: list[str] = []
    for entry in report:
        if entry.state in ("original", "translated"):
            continue
        if style == "github":
            level = "warning"
            message = _translation_message(entry, lang)
            lines.append(
                f"::{level} file={_escape_github(entry.path or entry.id, True)},"
                f"title=translation::{_escape_github(message)}"
            )
        else:
            lines.append(f"{entry.path}: {_translation_message(entry, lang)}")
    counts: dict[str, int] = {}
    for entry in report:
        counts[entry.state] = counts.get(entry.state, 0) + 1
    if style == "text":
        lines.append(
            phrase(
                "translations: {translated} translated, {missing} missing, {stale} stale",
                lang,
                **{s: counts.get(s, 0) for s in ("translated", "missing", "stale")},
            )
        )
    return "\n".join(lines)


def _translation_message(entry: Translation, lang: str) -> str:
    if entry.state == "stale":
        return phrase(
            "the '{lang}' translation may be stale: the original changed after it",
            lang,
            lang=entry.lang,
        )
    if entry.kind == "article":
        return phrase("no '{lang}' translation yet", lang, lang=entry.lang)
    return phrase(
        "{kind} '{id}' lacks '{lang}' text in: {detail}",
        lang,
        kind=phrase(entry.kind, lang),
        id=entry.id,
        lang=entry.lang,
        detail=entry.detail,
    )

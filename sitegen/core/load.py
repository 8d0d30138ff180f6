"""The load stage: the site's settings, theme and strings, and its source
files read as text.

``load`` knows the folder layout and nothing about what the files mean:
it hands ``parse`` a list of :class:`Source` values (path, language, stem,
text) and the bundle files that belong to each.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from sitegen.core.attachments import FileInfo, kind_of
from sitegen.core.config import (
    CONFIG_FILE,
    LOCAL_ADMIN,
    SiteConfig,
    base_url_problem,
    load_config,
    normalize_base_url,
)
from sitegen.core.diagnostics import Diagnostic, Diagnostics
from sitegen.core.gitdates import last_corrections
from sitegen.core.i18n import Strings, load_strings
from sitegen.core.images import IMAGE_SUFFIXES, ImageError, ImageInfo, UnsafeDrawing, probe
from sitegen.core.textfile import (
    decode_text,
    outside_site,
    read_file,
    special_file,
    unreadable,
)
from sitegen.core.theme import Theme, find_theme

NEWS_DIR = "content/news"
TEAMS_DIR = "content/teams"
STUDIOS_DIR = "content/studios"
TAGS_FILE = "content/tags.yaml"
TOWNS_FILE = "content/towns.yaml"
SERIES_FILE = "content/series.yaml"

_LANG_SUFFIX = re.compile(r"^(?P<stem>.+?)(?:\.(?P<lang>[a-z]{2,3}(?:-[A-Za-z]+)?))?\.md$")


@dataclass(frozen=True, slots=True)
class Source:
    """One source file's text and what its name says about it."""

    path: str  # relative to the site folder, with "/"
    stem: str  # file (or bundle folder) name without language and suffix
    lang: str
    text: str
    assets: tuple[str, ...] = ()  # bundle files beside an index file, relative paths
    images: tuple[ImageInfo, ...] = ()  # the pictures among the assets, with their sizes
    files: tuple[FileInfo, ...] = ()  # the other assets that may be published (attachments)


@dataclass(frozen=True, slots=True)
class Sources:
    articles: tuple[Source, ...]
    tags: Source | None
    teams: tuple[Source, ...] = ()
    studios: tuple[Source, ...] = ()
    towns: Source | None = None
    series: Source | None = None
    unreadable: tuple[str, ...] = ()  # records that could not be read: "teams/<id>"
    # the day each article file was last corrected, by path, where the site
    # takes it from git (updated_from_git)
    corrected: dict[str, dt.date] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Settings:
    """What every later stage reads: the site's settings (site.yaml), its
    theme and the theme's strings; ``None`` where they could not be read
    (said in the diagnostics), and then no page is rendered."""

    config: SiteConfig
    theme: Theme | None
    strings: Strings | None


def load_site(
    site_dir: Path, diagnostics: Diagnostics, base_url: str | None = None, admin: bool = False
) -> tuple[Settings, Sources] | None:
    """The site's settings and source files; ``base_url`` (``--base-url``)
    replaces site.yaml's. ``None`` where site.yaml cannot be read or the
    address is not one."""
    config = load_config(site_dir, diagnostics)
    if config is None:
        return None
    if base_url is not None:
        problem = base_url_problem(normalize_base_url(base_url))
        if problem:
            diagnostics.error(
                "--base-url",
                0,
                "bad-base-url",
                problem,
                "give an absolute address, e.g. https://example.org/xindu/",
            )
            return None
        config = config.with_base_url(base_url)
    if admin and config.admin is None:  # serve --admin: edit this computer's files
        config = replace(config, admin=LOCAL_ADMIN)
    config = _checked_logo(site_dir, config, diagnostics)
    theme = find_theme(site_dir, config, diagnostics)
    strings = load_strings(theme, site_dir, config, diagnostics) if theme is not None else None
    return Settings(config, theme, strings), load_sources(site_dir, config, diagnostics)


def split_name(name: str, languages: tuple[str, ...]) -> tuple[str, str] | None:
    """``2020-04-27-visit.en.md`` → (``2020-04-27-visit``, ``en``).

    A name without a language code is in the default language. Returns
    ``None`` for a name that does not end in ``.md``.
    """
    match = _LANG_SUFFIX.match(name)
    if match is None:
        return None
    lang = match.group("lang")
    if lang is None:
        return match.group("stem"), languages[0]
    return match.group("stem"), lang


def _skip(path: Path) -> bool:
    return path.name.startswith((".", "_")) or path.name.endswith(("~", ".swp", ".tmp"))


def _refused(site_dir: Path, path: Path, diagnostics: Diagnostics, listed: bool = True) -> bool:
    """Whether ``path`` must not be read, which is then reported: it leads
    out of the site folder through a link (a build reads only the site's
    files), or it is a named pipe, socket or device (which would make the
    build wait forever).

    ``listed``: ``path`` was found in a folder already checked, so only a
    link of its own can lead out (and only a link needs the slower check).
    """
    outside = None if listed and not path.is_symlink() else outside_site(site_dir, path)
    problem = outside or special_file(site_dir, path)
    if problem is not None:
        diagnostics.add(problem)
    return problem is not None


def _listing(folder: Path) -> list[os.DirEntry[str]]:
    """The entries of ``folder`` by name. An entry knows whether it is a
    regular file without another look at the disk, which matters in a
    folder of thousands of articles."""
    with os.scandir(folder) as entries:
        return sorted(entries, key=lambda entry: entry.name)


def _read(
    site_dir: Path, path: Path, diagnostics: Diagnostics, rel: str | None = None
) -> str | None:
    """``path``'s text; ``rel``, where the caller knows it, is the path
    relative to ``site_dir``, and says that ``path`` is a regular file."""
    data = read_file(site_dir, path, rel)
    if isinstance(data, Diagnostic):
        diagnostics.add(data)
        return None
    decoded = decode_text(data, rel or path.relative_to(site_dir).as_posix())
    diagnostics.extend(decoded.problems)
    return decoded.text


def _article(
    site_dir: Path,
    path: Path,
    stem: str,
    lang: str,
    config: SiteConfig,
    diagnostics: Diagnostics,
    assets: tuple[str, ...] = (),
    images: tuple[ImageInfo, ...] = (),
    files: tuple[FileInfo, ...] = (),
    regular: bool = False,  # known to be a regular file, not a link
    rel: str = "",  # path relative to site_dir, where the caller knows it
) -> Source | None:
    rel = rel or path.relative_to(site_dir).as_posix()
    if lang not in config.languages:
        diagnostics.error(
            rel,
            1,
            "unknown-language",
            f"'{lang}' in the file name is not a language of this site",
            f"name the file {stem}.{config.default_language}.md or one of: "
            + ", ".join(config.languages),
        )
        return None
    text = _read(site_dir, path, diagnostics, rel if regular else None)
    if text is None:
        return None
    return Source(rel, stem, lang, text, assets, images, files)


def load_sources(site_dir: Path, config: SiteConfig, diagnostics: Diagnostics) -> Sources:
    """Find every article, record and vocabulary file under ``site_dir``."""
    news = site_dir / NEWS_DIR
    articles: list[Source] = []
    if news.is_dir() and not _refused(site_dir, news, diagnostics, listed=False):
        for found in _listing(news):
            entry = Path(found.path)
            if _skip(entry):
                continue
            # a regular file (not a link) can be neither outside nor special
            regular = found.is_file(follow_symlinks=False)
            if not regular and _refused(site_dir, entry, diagnostics):
                continue
            if not regular and entry.is_dir():
                articles.extend(_bundle(site_dir, entry, config, diagnostics))
                continue
            named = split_name(entry.name, config.languages)
            if named is None:
                diagnostics.warning(
                    entry.relative_to(site_dir).as_posix(),
                    0,
                    "ignored-file",
                    "not a Markdown file, so it is not published",
                    "articles end in .zh.md or .en.md; put images in an article's folder",
                )
                continue
            rel = f"{NEWS_DIR}/{found.name}"  # without pathlib's work, for thousands of files
            source = _article(
                site_dir, entry, *named, config, diagnostics, regular=regular, rel=rel
            )
            if source is not None:
                articles.append(source)
    unreadable: list[str] = []
    return Sources(
        articles=tuple(articles),
        tags=_single(site_dir, TAGS_FILE, diagnostics),
        teams=_records(site_dir, TEAMS_DIR, diagnostics, unreadable),
        studios=_records(site_dir, STUDIOS_DIR, diagnostics, unreadable),
        towns=_single(site_dir, TOWNS_FILE, diagnostics),
        series=_single(site_dir, SERIES_FILE, diagnostics),
        corrected=last_corrections(site_dir, NEWS_DIR) if config.updated_from_git else {},
        unreadable=tuple(unreadable),
    )


LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".svg")


def _checked_logo(site_dir: Path, config: SiteConfig, diagnostics: Diagnostics) -> SiteConfig:
    """``config``, without its logo where the logo is not a picture of the
    site folder that pages can show (which is said)."""
    logo = config.identity.logo
    if not logo:
        return config
    path = site_dir / logo
    problem = ""
    if PurePosixPath(logo).suffix.lower() not in LOGO_SUFFIXES or ".." in PurePosixPath(logo).parts:
        problem = f"the logo '{logo}' must be a PNG, JPEG, WebP or SVG file of the site folder"
    elif not path.is_file() or outside_site(site_dir, path) is not None:
        problem = f"the logo '{logo}' is not in the site folder"
    else:
        try:
            probe(path, logo)
        except (ImageError, UnsafeDrawing) as exc:
            problem = f"the logo '{logo}' cannot be shown: {exc}"
    if not problem:
        return config
    try:
        lines = (site_dir / CONFIG_FILE).read_text(encoding="utf-8").splitlines()
        line = next(n for n, text in enumerate(lines, 1) if text.startswith("logo:"))
    except (OSError, UnicodeDecodeError, StopIteration):
        line = 0
    diagnostics.error(
        CONFIG_FILE, line, "bad-logo", problem, "give the path of the picture, e.g. logo: logo.png"
    )
    return replace(config, identity=replace(config.identity, logo=""))


def _single(site_dir: Path, rel: str, diagnostics: Diagnostics) -> Source | None:
    path = site_dir / rel
    if not path.exists() or _refused(site_dir, path, diagnostics, listed=False):
        return None
    text = _read(site_dir, path, diagnostics)
    return None if text is None else Source(rel, path.stem, "", text)


def _records(
    site_dir: Path, rel: str, diagnostics: Diagnostics, unreadable: list[str]
) -> tuple[Source, ...]:
    """One YAML file per record; the stem is the id. A file that cannot be
    read is said, and its ``kind/id`` added to ``unreadable``."""
    folder = site_dir / rel
    if not folder.is_dir() or _refused(site_dir, folder, diagnostics, listed=False):
        return ()
    sources: list[Source] = []
    seen: dict[str, str] = {}
    for path in sorted(folder.iterdir()):
        if _skip(path) or _refused(site_dir, path, diagnostics):
            continue
        shown = path.relative_to(site_dir).as_posix()
        if path.is_dir() or path.suffix not in (".yaml", ".yml"):
            diagnostics.warning(
                shown,
                0,
                "ignored-file",
                "not a .yaml record, so it is not published",
                f"each record is one file such as {rel}/<id>.yaml",
            )
            continue
        key = path.stem.casefold()
        if key in seen:
            diagnostics.error(
                shown,
                1,
                "duplicate-id",
                f"this file and {seen[key]} have the same id '{path.stem}'",
                "ids must differ by more than letter case or .yml/.yaml; rename or merge one",
            )
            continue
        seen[key] = shown
        text = _read(site_dir, path, diagnostics)
        if text is not None:
            sources.append(Source(shown, path.stem, "", text))
        else:
            unreadable.append(f"{rel.rsplit('/', 1)[-1]}/{path.stem}")
    return tuple(sources)


def _bundle(
    site_dir: Path, folder: Path, config: SiteConfig, diagnostics: Diagnostics
) -> list[Source]:
    """An article folder: ``index.<lang>.md`` files plus the files beside them."""
    index_files: list[tuple[Path, str]] = []
    assets: list[str] = []
    # Links to folders are listed (to report one that leads out) but not
    # followed: rglob does not go into them.
    for path in sorted(p for p in folder.rglob("*") if p.is_symlink() or not p.is_dir()):
        if any(_skip(part) for part in path.relative_to(folder).parents if part.name) or _skip(
            path
        ):
            continue
        if _refused(site_dir, path, diagnostics) or not path.is_file():
            continue
        named = split_name(path.name, config.languages) if path.parent == folder else None
        if named is not None and named[0] == "index":
            index_files.append((path, named[1]))
        elif path.suffix == ".md":
            diagnostics.warning(
                path.relative_to(site_dir).as_posix(),
                0,
                "ignored-file",
                "Markdown file in an article folder that is not an index file; not published",
                "an article folder holds index.zh.md, index.en.md and its images",
            )
        else:
            assets.append(path.relative_to(folder).as_posix())
    if not index_files:
        diagnostics.warning(
            folder.relative_to(site_dir).as_posix(),
            0,
            "empty-bundle",
            "article folder has no index.zh.md or index.en.md, so nothing in it is published",
            f"add {folder.relative_to(site_dir).as_posix()}/index.zh.md",
        )
    images = tuple(_pictures(site_dir, folder, assets, diagnostics))
    files = tuple(_files(site_dir, folder, assets, diagnostics))
    sources: list[Source] = []
    for path, lang in index_files:
        source = _article(
            site_dir, path, folder.name, lang, config, diagnostics, tuple(assets), images, files
        )
        if source is not None:
            sources.append(source)
    return sources


def _files(
    site_dir: Path, folder: Path, assets: list[str], diagnostics: Diagnostics
) -> list[FileInfo]:
    """The size and digest of every file of an article folder that is not
    a picture; a kind of file that is not published is an error."""
    found: list[FileInfo] = []
    for name in assets:
        if PurePosixPath(name).suffix.lower() in IMAGE_SUFFIXES:
            continue
        shown = (folder / name).relative_to(site_dir).as_posix()
        if kind_of(name) is None:
            diagnostics.error(
                shown,
                0,
                "file-type",
                f"this kind of file ({PurePosixPath(name).suffix or 'no ending'}) is not "
                "published: it could run on the site's pages, or readers could not open it",
                "attach PDF, Word, Excel, PowerPoint, WPS, ODF, TXT, CSV, ZIP, RAR, 7Z, MP3, "
                "M4A or MP4 files; move other files out of the article's folder",
            )
            continue
        try:
            data = (folder / name).read_bytes()
        except OSError as exc:
            diagnostics.add(unreadable(shown, exc))
            continue
        found.append(FileInfo(name, len(data), hashlib.sha256(data).hexdigest()))
    return found


def _pictures(
    site_dir: Path, folder: Path, assets: list[str], diagnostics: Diagnostics
) -> list[ImageInfo]:
    """The size and kind of every picture in an article folder."""
    found: list[ImageInfo] = []
    for name in assets:
        try:
            info = probe(folder / name, name)
        except UnsafeDrawing as exc:
            diagnostics.error(
                (folder / name).relative_to(site_dir).as_posix(),
                exc.line,
                "unsafe-svg",
                f"this drawing holds {exc.what}, which would run or load on the site's pages",
                "remove it in the drawing program and save again, or export the drawing as PNG",
            )
            continue
        except ImageError as exc:
            diagnostics.error(
                (folder / name).relative_to(site_dir).as_posix(),
                0,
                "bad-image",
                f"this picture cannot be read: {exc}",
                "open it in a photo editor and save it again as JPEG or PNG",
            )
            continue
        if info is not None:
            found.append(info)
    return found

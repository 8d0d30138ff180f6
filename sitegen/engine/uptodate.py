"""Whether the site in the output folder is already what a build would write.

After a successful build into a folder, a manifest of it is kept in the
build cache, under the folder's resolved path: a digest of everything that
decides the output apart from files (this version of sitegen and of the
libraries it uses, the options, the build date, the site folder), every
file the build reads with its size, time, inode and a digest of its bytes,
and every file and folder of the output with its size, time and inode. The
next build into the same folder first compares the two. When they agree,
nothing the build would read has changed and nobody has changed the output,
so the build leaves the site as it is and says so.

As in make or git, an input whose size, time and inode are as recorded is
taken to be unchanged, except one whose time lies within two seconds of the
moment the manifest's record was taken: a file saved again within that
moment may keep its time, so its bytes are compared instead. An input whose
stat differs is read and its digest compared, so that a file only touched
leaves the site up to date.

Inputs are ``site.yaml``, everything under ``content/`` and ``themes/``,
and the built-in themes. Links are never followed into folders: a link to a
file inside the site is watched through the file it names, and a link to a
folder, a link out of the site or a special file makes every build a real
build, which then reports it. Anything that goes wrong while checking means
"not up to date": a real build is never wrong, only slower.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import stat
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path
from typing import Protocol

import sitegen.engine.cache
from sitegen.core.diagnostics import Diagnostic
from sitegen.core.gitdates import head
from sitegen.core.theme import builtin_themes
from sitegen.engine.cache import BuildStore
from sitegen.engine.write import MARKER

KIND = "uptodate"  # the manifests' folder in the build cache
_FORMAT = 1  # of the manifest; another format is never compared
_RACY_NS = 2_000_000_000  # an input saved this close to the record is always read
# Libraries whose output ends up in the site, beyond those in code_version().
_LIBRARIES = (
    "icalendar",
    "jinja2",
    "markdown-it-py",
    "markupsafe",
    "mdit-py-plugins",
    "nh3",
    "pagefind",
    "pagefind_bin_extended",
    "pillow",
    "pillow-heif",
    "pypinyin",
    "pyyaml",
)

Stat = tuple[int, int, int]  # size, mtime_ns, inode
Weights = dict[str, tuple[str, int, int, int]]


class Settings(Protocol):
    """What the check needs of the build's options (``BuildOptions``)."""

    @property
    def base_url(self) -> str | None: ...
    @property
    def drafts(self) -> bool: ...
    @property
    def future(self) -> bool: ...
    @property
    def strict(self) -> bool: ...
    @property
    def write(self) -> bool: ...
    @property
    def today(self) -> dt.date | None: ...
    @property
    def search(self) -> bool: ...
    @property
    def cache(self) -> bool: ...
    @property
    def keep(self) -> bool: ...
    @property
    def weigh(self) -> bool: ...
    @property
    def admin(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class Inputs:
    """Every file a build reads, as it was when ``taken`` (``time.time_ns()``)."""

    taken: int
    stats: dict[str, Stat]
    digests: dict[str, bytes]  # sha256 of each file's bytes


@dataclass(frozen=True, slots=True)
class Outputs:
    """Everything in the output folder, as it was when recorded.

    A file added to a folder changes the folder's time, so the stats of
    the folders show what was added without listing each; only a folder
    changed moments before the record may gain a file without its time
    showing it, so the names in those folders are kept and compared.
    """

    paths: str  # every folder ("", "en/", …) and file, separated by NUL
    stats: bytes  # a digest of the (size, mtime_ns, inode) of each of them, in that order
    recent: dict[str, list[str]]  # folder: its names (folders' with "/")


@dataclass(frozen=True, slots=True)
class Manifest:
    """What a successful build read and wrote."""

    format: int
    settings: str  # digest of what decides the output apart from files
    inputs: Inputs
    outputs: Outputs
    marker: bytes  # the output's .sitegen-output
    pages: int
    diagnostics: tuple[Diagnostic, ...]  # the warnings it printed, printed again
    weights: Weights | None  # None: not measured


class _CannotVouch(Exception):
    """An input whose changes a stat cannot show: every build is a real one."""


@dataclass
class Check:
    """What :func:`check_output` found, and the way to record the build that
    follows when it is not up to date."""

    store: BuildStore | None  # None: this build keeps no manifest
    key: str
    out_dir: Path
    settings: str = ""
    inputs: Inputs | None = None  # None: the site cannot be vouched for
    seconds: float = 0.0
    unchanged: Manifest | None = None  # the last build's, when the site is up to date

    @property
    def timings(self) -> dict[str, float]:
        return {"check": self.seconds} if self.store is not None else {}

    def record(
        self, pages: int, diagnostics: Sequence[Diagnostic], weights: Weights | None
    ) -> None:
        """Keep the manifest of the site just put in place. Call it while the
        output folder is still locked, so that no other build's site is taken
        for this one's."""
        if self.store is None or self.inputs is None:
            return
        try:
            outputs = _outputs(self.out_dir)
            marker = (self.out_dir / MARKER).read_bytes()
        except OSError:  # the site is in place; only the next build is slower
            return
        manifest = Manifest(
            _FORMAT,
            self.settings,
            self.inputs,
            outputs,
            marker,
            pages,
            tuple(diagnostics),
            weights,
        )
        self.store.put(KIND, self.key, manifest)


def check_output(site_dir: Path, options: Settings, out_dir: Path, cache_dir: Path) -> Check:
    """Whether a build of ``site_dir`` with ``options`` would write what
    ``out_dir`` holds: ``Check.unchanged`` is then the last build's manifest.

    Only a written build with the cache on, that hands back no pages
    (``keep``, as the preview server needs), is checked and
    recorded. Any build that may write ``out_dir`` and is not up to date
    first forgets its manifest, so that a build that fails leaves none.
    """
    started = time.perf_counter()
    key = hashlib.sha256(b"output\0" + os.fsencode(os.path.realpath(out_dir))).hexdigest()
    check = Check(None, key, out_dir)
    if not options.write:
        return check
    store = BuildStore(cache_dir)
    if options.cache and not options.keep:
        check.store = store
        try:
            _compare(check, site_dir, options, cache_dir)
        # Whatever went wrong (a file gone or unreadable, a link the check
        # cannot vouch for, a damaged or foreign manifest), a real build
        # follows, and reports any real problem itself.
        except Exception:
            check.unchanged = None
    if check.unchanged is None:
        store.discard(KIND, key)
    check.seconds = time.perf_counter() - started
    return check


def _compare(check: Check, site_dir: Path, options: Settings, cache_dir: Path) -> None:
    assert check.store is not None
    stored = check.store.get(KIND, check.key)
    last = stored if isinstance(stored, Manifest) and stored.format == _FORMAT else None
    check.settings = _settings(site_dir, options)
    skip = frozenset(os.path.realpath(p) for p in (check.out_dir, cache_dir))
    check.inputs = _inputs(site_dir, skip, last.inputs if last else None)
    if (
        last is None
        or last.settings != check.settings
        or last.inputs.digests != check.inputs.digests
        or (options.weigh and last.weights is None)
        or _beside(check.out_dir)
        or not _same_outputs(check.out_dir, last.outputs)
        or (check.out_dir / MARKER).read_bytes() != last.marker
    ):
        return
    if check.inputs.stats != last.inputs.stats:  # touched, not changed: remember the new stats
        last = replace(last, inputs=check.inputs)
        check.store.put(KIND, check.key, last)
    check.unchanged = last


def _settings(site_dir: Path, options: Settings) -> str:
    """A digest of all that decides the output besides the files read."""
    today = options.today or dt.date.today()  # as the build's plan takes it
    parts = [
        str(_FORMAT),
        sitegen.engine.cache.code_version(),
        sys.version,
        *(f"{name}={_version(name)}" for name in _LIBRARIES),
        repr(
            (options.base_url, options.drafts, options.strict, options.search, options.future)
            + ((options.admin,) if options.admin else ())
        ),
        today.isoformat(),
        os.path.realpath(site_dir),
        _commit(site_dir),
    ]
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def _commit(site_dir: Path) -> str:
    """The commit checked out, for a site whose updated dates come from
    git (``updated_from_git`` in site.yaml): a new commit may change them
    without changing a file. Looked for in site.yaml's text, so that other
    sites start no process; a mention that is not the setting only makes
    the build a real one."""
    try:
        settings = (site_dir / "site.yaml").read_bytes()
    except OSError:
        return ""
    return head(site_dir) if b"updated_from_git" in settings else ""


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def _stats(paths: Iterable[str]) -> list[Stat]:
    return [(st.st_size, st.st_mtime_ns, st.st_ino) for st in map(os.lstat, paths)]


def _inputs(site_dir: Path, skip: frozenset[str], last: Inputs | None) -> Inputs:
    """Every file the build reads, with its stat and digest: the last
    digest where the stat is the same and the file was not saved within
    moments of the last record, else its bytes' own."""
    taken = time.time_ns()
    files: dict[str, str] = {}  # name: path
    links: dict[str, tuple[str, str]] = {}  # name: (path, the folder it must stay in)
    site = os.path.realpath(site_dir)
    config = os.path.join(site, "site.yaml")
    if os.path.islink(config):
        links["site.yaml"] = (config, site)
    elif os.path.lexists(config):
        files["site.yaml"] = config
    _scan(os.path.join(site, "content"), "content/", _never, site, skip, files, links)
    themes = os.path.join(site, "themes")
    _scan(themes, "themes/", _in_static, site, skip, files, links)
    builtin = os.path.realpath(builtin_themes())
    if builtin != themes:  # the example site's own themes are the built-in ones
        _scan(builtin, "builtin:", _in_static, builtin, skip, files, links)

    stats = dict(zip(files, _stats(files.values()), strict=True))
    for name, (path, within) in links.items():
        if not os.path.realpath(path).startswith(within + os.sep):
            raise _CannotVouch(path)
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            raise _CannotVouch(path)
        stats[name] = (st.st_size, st.st_mtime_ns, st.st_ino)
        files[name] = path

    known = last.stats if last is not None else {}
    old = last.digests if last is not None else {}
    racy = (last.taken if last is not None else 0) - _RACY_NS
    digests: dict[str, bytes] = {}
    for name, now in stats.items():
        if now[1] < racy and known.get(name) == now and name in old:
            digests[name] = old[name]
        else:
            digests[name] = _digest(files[name], follow=name in links)
    return Inputs(taken, stats, digests)


def _never(folder: str) -> bool:
    return False


def _in_static(folder: str) -> bool:
    """Whether ``folder`` (``theme/…/``) is inside a theme's ``static/``, whose
    files are published whatever their folders are called (``.well-known``)."""
    parts = folder.split("/")
    return len(parts) > 2 and parts[1] == "static"


def _scan(
    top: str,
    prefix: str,
    hidden: Callable[[str], bool],
    within: str,
    skip: frozenset[str],
    files: dict[str, str],
    links: dict[str, tuple[str, str]],
) -> None:
    """Add the files under ``top`` to ``files`` and the links to ``links``,
    named ``prefix`` + their path below ``top``, without following links.
    Hidden files and the folders in ``skip`` are left out, and hidden
    folders unless ``hidden(the folder holding it)``."""
    if not os.path.lexists(top):
        return
    if os.path.islink(top) or not os.path.isdir(top):
        raise _CannotVouch(top)
    folders = [(prefix, top)]
    while folders:
        rel, path = folders.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                name = entry.name
                if entry.is_file(follow_symlinks=False):
                    if not name.startswith("."):
                        files[rel + name] = entry.path
                elif entry.is_dir(follow_symlinks=False):
                    inner = rel.removeprefix(prefix)
                    if entry.path not in skip and (not name.startswith(".") or hidden(inner)):
                        folders.append((f"{rel}{name}/", entry.path))
                elif name.startswith("."):
                    continue
                elif entry.is_symlink():
                    links[rel + name] = (entry.path, within)
                else:
                    raise _CannotVouch(entry.path)  # a pipe, socket or device


def _digest(path: str, follow: bool) -> bytes:
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow else os.O_NOFOLLOW)
    fd = os.open(path, flags)  # O_NONBLOCK: a pipe put in its place never waits
    with open(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _CannotVouch(path)
        return hashlib.file_digest(file, "sha256").digest()


def _outputs(out_dir: Path) -> Outputs:
    """Everything in the output folder, with its stat."""
    taken = time.time_ns()
    base = os.path.join(os.fspath(out_dir), "")
    folders, files = [""], []
    listed: list[list[str]] = []  # each folder's names, "/" after a folder's
    for folder in folders:  # the loop reaches the folders it appends too
        names = []
        with os.scandir(base + folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(f"{folder}{entry.name}/")
                    names.append(entry.name + "/")
                else:
                    files.append(folder + entry.name)
                    names.append(entry.name)
        listed.append(names)
    paths = folders + files
    stats = _stats(base + path for path in paths)
    racy = taken - _RACY_NS
    changed = zip(folders, stats[: len(folders)], listed, strict=True)
    # listed after ``taken``, as the next build's check lists them
    recent = {folder: sorted(names) for folder, st, names in changed if st[1] >= racy}
    return Outputs("\0".join(paths), _stats_digest(stats), recent)


def _same_outputs(out_dir: Path, last: Outputs) -> bool:
    """Whether the output folder holds what it held at ``last``: every file
    and folder with the same stat, and nothing more."""
    base = os.path.join(os.fspath(out_dir), "")
    stats = _stats(base + path for path in last.paths.split("\0"))
    if _stats_digest(stats) != last.stats:
        return False
    return all(_names(base + folder) == names for folder, names in last.recent.items())


def _stats_digest(stats: list[Stat]) -> bytes:
    # pickle writes equal lists of fresh tuples of ints as equal bytes
    # (marshal would not: it marks objects by how often they are shared)
    return hashlib.sha256(pickle.dumps(stats, protocol=5)).digest()


def _names(folder: str) -> list[str]:
    with os.scandir(folder) as entries:
        return sorted(e.name + ("/" if e.is_dir(follow_symlinks=False) else "") for e in entries)


def _beside(out_dir: Path) -> bool:
    """Whether a build's lock or unfinished folder is beside the output folder:
    another build is writing it, or a killed one left what the next cleans up."""
    out = Path(os.path.realpath(out_dir))
    prefix = f".{out.name}."
    with os.scandir(out.parent) as entries:
        return any(entry.name.startswith(prefix) for entry in entries)

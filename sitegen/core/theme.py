"""Where a theme's files are: the site's own folder first, then the built-in.

A site overrides any template, string file or static file of the built-in
theme by placing a file with the same relative path in
``<site>/themes/<name>/``.

Templates are read by Jinja2 and static files copied by path, both well
after this module has found the folders, so the site's theme folder is
checked whole here: a link anywhere in it that leads out of the site folder,
or a named pipe or device (which Jinja2 would wait on forever), is
reported, and the theme is then not used at all, so that nothing outside
the site, and nothing but regular files, is read. So is a template that is
not UTF-8 text, which Jinja2 would otherwise stop at with a traceback.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

from sitegen.core.config import SiteConfig
from sitegen.core.diagnostics import Diagnostic, Diagnostics
from sitegen.core.textfile import decode_source, outside_site, read_file, special_file, unreadable


def builtin_themes() -> Path:
    """The folder of themes shipped with sitegen (``themes/`` in the source tree)."""
    spec = importlib.util.find_spec("sitegen.themes")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(__file__).resolve().parents[2] / "themes"


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    dirs: tuple[Path, ...]  # highest priority first

    @property
    def template_dirs(self) -> list[str]:
        return [str(d / "templates") for d in self.dirs if (d / "templates").is_dir()]

    def files(self, sub: str) -> dict[str, Path]:
        """Every file under ``sub/`` by relative path, overrides applied."""
        found: dict[str, Path] = {}
        for folder in reversed(self.dirs):
            root = folder / sub
            if not root.is_dir():
                continue
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    found[path.relative_to(root).as_posix()] = path
        return dict(sorted(found.items()))


def refused_files(site_dir: Path, folder: Path) -> list[Diagnostic]:
    """Everything under ``folder`` (a folder inside ``site_dir``, links to
    folders inside the site followed) that must not or cannot be read:
    links that lead out of the site folder, named pipes, sockets and
    devices, and templates that are not UTF-8 text."""
    outside = outside_site(site_dir, folder)
    if outside is not None:
        return [outside]
    found: list[Diagnostic] = []
    seen: set[str] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(root)
        if real in seen:  # a link back to a folder already looked at
            dirs.clear()
            continue
        seen.add(real)
        dirs.sort()
        for name in [*dirs, *sorted(files)]:
            path = Path(root, name)
            problem = outside_site(site_dir, path) if path.is_symlink() else None
            problem = problem or special_file(site_dir, path)
            if problem is None and name in files and _template(folder, path):
                problem = _not_text(site_dir, path)
            elif problem is None and name in files:
                problem = _unreadable(site_dir, path)
            if problem is not None:
                found.append(problem)
                if name in dirs:
                    dirs.remove(name)
    return found


def _template(folder: Path, path: Path) -> bool:
    return path.relative_to(folder).parts[0] == "templates"


def _not_text(site_dir: Path, path: Path) -> Diagnostic | None:
    """Why the template at ``path`` cannot be read as UTF-8 text, if it
    cannot: Jinja2 would stop the build at it with a traceback."""
    data = read_file(site_dir, path)
    shown = path.relative_to(site_dir).as_posix()
    text = data if isinstance(data, Diagnostic) else decode_source(data, shown)
    return text if isinstance(text, Diagnostic) else None


def _unreadable(site_dir: Path, path: Path) -> Diagnostic | None:
    """Why the file at ``path`` cannot be opened for reading, if it cannot
    (its mode forbids it): copying it, or reading a style sheet for its
    version, would stop the build with a traceback."""
    try:
        os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC))
    except OSError as exc:
        return unreadable(path.relative_to(site_dir).as_posix(), exc)
    return None


def find_theme(site_dir: Path, config: SiteConfig, diagnostics: Diagnostics) -> Theme | None:
    """The theme's folders, or ``None`` (with errors) when it is missing or
    the site's own folder of it holds something that must not be read."""
    own = site_dir / "themes" / config.theme
    if own.is_dir():
        refused = refused_files(site_dir, own)
        if refused:
            diagnostics.extend(refused)
            return None
    candidates = [own, builtin_themes() / config.theme]
    dirs: list[Path] = []
    for folder in candidates:
        if folder.is_dir() and all(folder.resolve() != d.resolve() for d in dirs):
            dirs.append(folder)
    if not dirs:
        diagnostics.error(
            "site.yaml",
            0,
            "no-theme",
            f"theme '{config.theme}' was not found",
            f"create themes/{config.theme}/ in the site folder, or remove 'theme' from site.yaml",
        )
        return None
    return Theme(config.theme, tuple(dirs))

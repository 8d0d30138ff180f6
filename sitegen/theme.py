"""Where a theme's files are: the site's own folder first, then the built-in.

A site overrides any template, string file or static file of the built-in
theme by placing a file with the same relative path in
``<site>/themes/<name>/``.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from sitegen.config import SiteConfig
from sitegen.diagnostics import Diagnostics


def builtin_themes() -> Path:
    """The folder of themes shipped with sitegen (``themes/`` in the source tree)."""
    spec = importlib.util.find_spec("sitegen.themes")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(__file__).resolve().parent.parent / "themes"


@dataclass(frozen=True)
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


def find_theme(site_dir: Path, config: SiteConfig, diagnostics: Diagnostics) -> Theme | None:
    candidates = [site_dir / "themes" / config.theme, builtin_themes() / config.theme]
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

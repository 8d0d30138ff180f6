"""Each module imports only modules below it in the pipeline."""

from __future__ import annotations

import ast
from pathlib import Path

import sitegen

# Top to bottom; a module may import only modules on later lines.
LAYERS = [
    "cli",
    "serve",
    "preview",
    "check",
    "build",
    "scaffold",
    "ics",
    "feeds",
    "sitemap",
    "render",
    "plan",
    "plan_records",
    "plan_timeline",
    "pages",
    "resolve",
    "events",
    "parse",
    "records",
    "load",
    "i18n",
    "search",
    "uptodate",
    "theme",
    "markdown",
    "mdtree",
    "write",
    "config",
    "fields",
    "text",
    "textfile",
    "yamldoc",
    "model",
    "bodies",
    "images",
    "cache",
    "parallel",
    "diagnostics",
    "messages",
]


def imports_of(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sitegen."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("sitegen."))
    return found


def test_every_module_is_in_the_layer_list() -> None:
    package = Path(sitegen.__file__).parent
    modules = {p.stem for p in package.glob("*.py")} - {"__init__", "__main__"}
    assert modules == set(LAYERS)


def test_imports_go_one_way() -> None:
    package = Path(sitegen.__file__).parent
    wrong = []
    for name in LAYERS:
        for imported in imports_of(package / f"{name}.py"):
            if LAYERS.index(imported) <= LAYERS.index(name):
                wrong.append(f"{name} imports {imported}")
    assert wrong == []

"""Each module imports only modules below it: the commands over the engine,
the engine over the core, and within each, the stages in pipeline order.
The core (the stages and their values) never imports the engine (how they
are run fast), nor anything above it."""

from __future__ import annotations

import ast
from pathlib import Path

import sitegen

# Top to bottom; a module may import only modules on later lines.
LAYERS = [
    # the commands, and the build that runs the stages
    "cli",
    "serve",
    "wechat",
    "check",
    "build",
    "scaffold",
    # publishing a built site (sitegen deploy): beside the build, reading its output
    "deploy.run",
    "deploy.s3",
    "deploy.ssh",
    "deploy.plan",
    "deploy.headers",
    # the engine: how the stages are run fast and small
    "engine.apart",
    "engine.job",
    "engine.incremental",
    "engine.outputs",
    "engine.calendars",
    "engine.rendering",
    "engine.parsing",
    "engine.fastmd",
    "engine.fastrender",
    "engine.publish",
    "engine.pictures",
    "engine.uptodate",
    "engine.write",
    "engine.cache",
    "engine.bodies",
    "engine.runners",
    "engine.parallel",
    # the core: the stages and their values
    "core.wechat",
    "core.ics",
    "core.feeds",
    "core.finder",
    "core.sitemap",
    "core.links",
    "core.render",
    "core.plan",
    "core.plan_records",
    "core.plan_timeline",
    "core.plan_stats",
    "core.related",
    "core.admin",
    "core.pages",
    "core.resolve",
    "core.events",
    "core.parse",
    "core.records",
    "core.load",
    "core.gitdates",
    "core.i18n",
    "core.search",
    "core.theme",
    "core.markdown",
    "core.mdtree",
    "core.cjk",
    "core.config",
    "core.fields",
    "core.text",
    "core.textfile",
    "core.yamldoc",
    "core.schema",
    "core.model",
    "core.attachments",
    "core.images",
    "core.diagnostics",
    "core.messages",
    "core.charts",
]
PACKAGE = Path(sitegen.__file__).parent


def module_names() -> set[str]:
    return {
        path.relative_to(PACKAGE).with_suffix("").as_posix().replace("/", ".")
        for path in PACKAGE.rglob("*.py")
        if path.stem not in ("__init__", "__main__")
    }


def imports_of(path: Path) -> set[str]:
    """The sitegen modules ``path`` imports, as named in LAYERS."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        found.update(name.removeprefix("sitegen.") for name in names if name.startswith("sitegen."))
    return found


def test_every_module_is_in_the_layer_list() -> None:
    assert module_names() == set(LAYERS)


def test_imports_go_one_way() -> None:
    wrong = []
    for name in LAYERS:
        for imported in imports_of(PACKAGE / f"{name.replace('.', '/')}.py"):
            if imported not in LAYERS or LAYERS.index(imported) <= LAYERS.index(name):
                wrong.append(f"{name} imports {imported}")
    assert wrong == []


def test_the_core_imports_only_the_core() -> None:
    wrong = [
        f"{name} imports {imported}"
        for name in LAYERS
        if name.startswith("core.")
        for imported in imports_of(PACKAGE / f"{name.replace('.', '/')}.py")
        if not imported.startswith("core.")
    ]
    assert wrong == []


def test_the_core_forks_pickles_and_frees_nothing() -> None:
    """What makes a build fast or small (processes, pickling, the garbage
    collector, C calls, scratch files) is the engine's, not the stages'."""
    machinery = {"multiprocessing", "pickle", "gc", "ctypes", "tempfile", "concurrent"}
    wrong = []
    for path in sorted((PACKAGE / "core").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                used = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                used = {node.module.split(".")[0]}
            else:
                continue
            wrong += [f"core/{path.name} imports {name}" for name in sorted(used & machinery)]
    assert wrong == []

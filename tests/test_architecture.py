"""The package's layout says its pipeline: stages, each importing only from earlier ones.

``src/flowmap`` is split into stage subpackages, in this order: ``core`` (languages, errors,
budgets, paths, safe text), ``text`` (the catalogue, numbers, periods, place names), ``io``
(reading files), ``engine`` (the general flow engine), ``render`` (the flow layer, pages,
images), ``batken`` (the preset), then ``cli`` and ``app`` (the two front ends). The rules,
checked on the import graph read from the source (no import is run):

- a module imports from its own stage or an earlier one, never a later one;
- no import cycle between modules;
- no function-level import of a flowmap module (a lazy import of an optional third-party
  extra is fine);
- a flowmap module is imported by name at run time (``importlib.import_module``) only from
  the tables of :data:`NAME_TABLES` (the package's lazy public names, the command line's
  commands), and each name in them counts as an import of the module holding the table,
  under every rule above; libraries are imported by name on first use only through
  :data:`LIBRARIES_BY_NAME`, each named as a literal;
- no module over 400 lines, Python or JavaScript;
- ``engine`` and ``text`` never import the Batken preset.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "flowmap"
STAGES = ("core", "text", "io", "engine", "render", "batken", "cli", "app")
FRONT_ENDS = {"cli", "app"}
MAX_LINES = 400


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _imported(node: ast.Import | ast.ImportFrom, here: str, is_package: bool) -> Iterator[str]:
    """Yield the flowmap modules an import statement names (``from flowmap.x import y`` gives
    ``flowmap.x.y`` when that is a module, else ``flowmap.x``)."""
    modules = _modules()
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name == "flowmap" or alias.name.startswith("flowmap."):
                yield alias.name
        return
    if node.level:
        base = here.split(".")
        base = base if is_package else base[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join([*base, node.module] if node.module else base)
    else:
        target = node.module or ""
    if target != "flowmap" and not target.startswith("flowmap."):
        return
    for alias in node.names:
        full = f"{target}.{alias.name}"
        yield full if full in modules else target


NAME_TABLES: dict[str, str] = {
    "flowmap": "LAZY",
    "flowmap.cli.commands": "COMMANDS",
}
"""The modules that import flowmap modules by name when first needed, and the module-level
table (a dict whose values are ``"flowmap.x.y"`` or ``"flowmap.x.y:function"``) that names
them: ``import flowmap`` and ``flowmap --help`` then load no pandas, folium, matplotlib or
Babel (issue 20)."""

LIBRARIES_BY_NAME = "flowmap.core.lazy"
"""The module that imports libraries, never flowmap modules, by name on first use (an
image is drawn without pandas, issue 20): each call of its ``module`` names the library
as a literal."""


def _table_targets(tree: ast.Module, table: str) -> list[str]:
    """Return the modules a name table (a module-level ``NAME: dict[...] = {...}``) names."""
    for node in tree.body:
        target: ast.expr
        value: ast.expr | None
        if isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id == table:
            assert isinstance(value, ast.Dict), f"{table} is not a dict literal"
            values = [v.value for v in value.values if isinstance(v, ast.Constant)]
            assert len(values) == len(value.values), f"{table} holds a non-literal"
            return [str(v).partition(":")[0] for v in values]
    raise AssertionError(f"no table {table}")


def _imports_by_name(tree: ast.Module) -> bool:
    """Whether the module calls ``importlib.import_module``/``__import__`` anywhere."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__"):
                return True
    return False


@cache
def _graph() -> tuple[dict[str, set[str]], list[str]]:
    """Return module -> imported flowmap modules, and every function-level flowmap import."""
    graph: dict[str, set[str]] = {}
    late: list[str] = []
    for name, path in _modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        is_package = path.name == "__init__.py"
        deps: set[str] = set()
        for node in tree.body:  # module level, also inside `if` and `try` blocks
            for stmt in ast.walk(node) if isinstance(node, (ast.If, ast.Try)) else [node]:
                if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                    deps.update(_imported(stmt, name, is_package))
        for func in ast.walk(tree):
            if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for stmt in ast.walk(func):
                    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                        for target in _imported(stmt, name, is_package):
                            late.append(f"{name}:{stmt.lineno} imports {target}")
        if name in NAME_TABLES:
            deps.update(_table_targets(tree, NAME_TABLES[name]))
        graph[name] = deps - {name}
    return graph, late


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def _rank(stage: str) -> int:
    return (
        min(STAGES.index(stage), STAGES.index("cli"))
        if stage in FRONT_ENDS
        else STAGES.index(stage)
    )


def test_every_module_lives_in_a_stage() -> None:
    """Only the package's own ``__init__`` sits at the top; every other module is in a stage."""
    loose = [m for m in _modules() if m != "flowmap" and _stage(m) is None]
    assert loose == []


def test_no_import_from_a_later_stage() -> None:
    graph, _ = _graph()
    wrong = [
        f"{module} ({_stage(module)}) imports {dep} ({_stage(dep)})"
        for module, deps in graph.items()
        if (here := _stage(module)) is not None
        for dep in sorted(deps)
        if (there := _stage(dep)) is not None and _rank(there) > _rank(here)
    ]
    assert wrong == []


def test_front_ends_do_not_import_each_other() -> None:
    graph, _ = _graph()
    wrong = [
        f"{module} imports {dep}"
        for module, deps in graph.items()
        for dep in deps
        if {_stage(module), _stage(dep)} == FRONT_ENDS
    ]
    assert wrong == []


def test_the_engine_and_text_never_import_the_preset() -> None:
    graph, _ = _graph()
    wrong = [
        f"{module} imports {dep}"
        for module, deps in graph.items()
        if _stage(module) in {"engine", "text", "core", "io", "render"}
        for dep in deps
        if _stage(dep) == "batken"
    ]
    assert wrong == []


def test_no_import_cycles() -> None:
    graph, _ = _graph()
    # Imports of a package's ``__init__`` count as imports of the package only.
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                cycles.append([*path[path.index(dep) :], dep] if dep in path else [node, dep])
            elif dep not in state:
                visit(dep, [*path, dep])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


LAZY = {
    ("flowmap.render.image", "flowmap.render._picture"): "the [image] extra: matplotlib is "
    "imported when the first image is drawn, so the command line and HTML maps start without it",
    ("flowmap.cli.painter", "flowmap.render.image"): "only the drawing process of an image "
    "export imports the drawing code, while the command reads the data (issue 20)",
}
"""The function-level imports allowed, each for a reason other than dodging a cycle."""


def _pair(entry: str) -> tuple[str, str]:
    """Return (module, target) of a late-import entry ``"module:line imports target"``."""
    where, target = entry.split(" imports ")
    return where.split(":")[0], target


def test_no_function_level_imports_of_flowmap() -> None:
    _, late = _graph()
    assert [entry for entry in late if _pair(entry) not in LAZY] == []
    # Each allowed one is still there: an entry that no longer applies is removed.
    assert {_pair(entry) for entry in late} == set(LAZY)


def test_modules_are_imported_by_name_only_from_the_name_tables() -> None:
    """``importlib.import_module`` only where a table names what it imports, and every name
    in a table is a module of the package (so a renamed module fails here, not at run time)."""
    by_name = [
        name
        for name, path in _modules().items()
        if _imports_by_name(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert sorted(by_name) == sorted([*NAME_TABLES, LIBRARIES_BY_NAME])
    for name, table in NAME_TABLES.items():
        tree = ast.parse(_modules()[name].read_text(encoding="utf-8"))
        missing = [m for m in _table_targets(tree, table) if m not in _modules()]
        assert missing == []
        assert name not in _table_targets(tree, table)


def test_modules_imported_on_first_use_are_libraries_named_as_literals() -> None:
    named = []
    for path in _modules().values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "module"
                and getattr(node.func.value, "id", "") == "lazy"
            ):
                (arg,) = node.args
                assert isinstance(arg, ast.Constant), path
                assert isinstance(arg.value, str), path
                named.append(arg.value)
    assert named  # the drawing's modules use it (tests/test_lazy_imports.py)
    assert [name for name in named if name.partition(".")[0] == "flowmap"] == []


@pytest.mark.parametrize("suffix", [".py", ".js"])
def test_no_module_over_400_lines(suffix: str) -> None:
    long = {
        str(path.relative_to(SRC)): n
        for path in sorted(SRC.rglob(f"*{suffix}"))
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_rules_catch_what_they_name(tmp_path: Path) -> None:
    """The checker itself: a later-stage import, a cycle and a late import are all seen."""
    tree = ast.parse(
        "from flowmap.batken.data import x\ndef f():\n    from flowmap.core import errors\n"
    )
    top = [n for n in tree.body if isinstance(n, ast.ImportFrom)]
    assert list(_imported(top[0], "flowmap.engine.flows", False)) == ["flowmap.batken.data"]
    assert _rank("batken") > _rank("engine")
    assert _rank("cli") == _rank("app")
    table = ast.parse('T: dict[str, str] = {"x": "flowmap.batken.export:f", "y": "flowmap.io"}\n')
    assert _table_targets(table, "T") == ["flowmap.batken.export", "flowmap.io"]
    assert _imports_by_name(ast.parse("import importlib\nimportlib.import_module('m')\n"))
    assert not _imports_by_name(tree)

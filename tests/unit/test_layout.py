"""The package layout DESIGN.md promises, checked on the source tree.

- Every module imports the project by its one name, ``newsgraph.*``: a bare
  ``engine``/``api``/``graph_schema`` import would load a second copy of a module.
- No import cycles among the project's modules (imports inside functions count:
  a function-level import is still a dependency; ``if TYPE_CHECKING:`` blocks do not).
- One direction of dependency: ``api`` -> ``engine`` -> ``graph_schema``; nothing in
  ``engine`` imports FastAPI.
- pyproject.toml's explicit package list names every package folder.
"""

from __future__ import annotations

import ast
import functools
import tomllib
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = ("engine", "api", "graph_schema")
BARE = set(FOLDERS)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(["newsgraph", *parts])


def _sources() -> dict[str, Path]:
    return {_module_name(p): p for folder in FOLDERS for p in sorted((ROOT / folder).rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return getattr(test, "id", None) == "TYPE_CHECKING" or getattr(test, "attr", None) == "TYPE_CHECKING"


def _imports(path: Path, module: str) -> list[tuple[str, int]]:
    """(imported module name, line) for every import in ``path``, relative ones resolved."""
    found = []
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                found.extend((alias.name, child.lineno) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.rsplit(".", child.level - 1)[0] if child.level > 1 else package
                    base = f"{anchor}.{base}" if base else anchor
                # "from a.b import c" names the module a.b.c if there is one, else a name in a.b
                found.extend((f"{base}.{alias.name}", child.lineno) for alias in child.names)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return found


@functools.cache
def _import_graph() -> nx.DiGraph:
    sources = _sources()
    graph = nx.DiGraph()
    graph.add_nodes_from(sources)
    for module, path in sources.items():
        for name, _ in _imports(path, module):
            target = name if name in sources else name.rpartition(".")[0]
            if target in sources and target != module:
                graph.add_edge(module, target)
    return graph


def _python_files() -> list[Path]:
    return [p for folder in (*FOLDERS, "tests", "scripts") for p in sorted((ROOT / folder).rglob("*.py"))]


def test_every_import_of_the_project_uses_the_newsgraph_name():
    bare = [f"{p.relative_to(ROOT)}:{line}: import {name}"
            for p in _python_files() for name, line in _imports(p, _module_name(p) if p.parts[len(ROOT.parts)] in BARE else "x")
            if name.split(".")[0] in BARE]
    assert not bare, "bare top-level imports (use newsgraph.<...>):\n" + "\n".join(bare)


def test_no_import_cycles():
    graph = _import_graph()
    cycles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert not cycles, "import cycles:\n" + "\n".join(", ".join(c) for c in cycles)


def test_the_cycle_check_sees_a_cycle(tmp_path):
    # the check above must be able to fail: two modules importing each other are one component
    graph = nx.DiGraph([("newsgraph.engine.a", "newsgraph.engine.b"), ("newsgraph.engine.b", "newsgraph.engine.a")])
    assert [len(c) for c in nx.strongly_connected_components(graph)] == [2]
    a = tmp_path / "a.py"
    a.write_text("def f():\n    from newsgraph.engine import b\n")
    assert ("newsgraph.engine.b", 2) in _imports(a, "newsgraph.engine.a")


@pytest.mark.parametrize("lower, upper", [("engine", "api"), ("graph_schema", "engine"), ("graph_schema", "api")])
def test_dependencies_point_one_way(lower, upper):
    graph = _import_graph()
    wrong = sorted((a, b) for a, b in graph.edges
                   if a.startswith(f"newsgraph.{lower}") and b.startswith(f"newsgraph.{upper}"))
    assert not wrong, f"{lower} must not import {upper}: {wrong}"


def test_engine_does_not_import_fastapi():
    users = sorted({_module_name(p) for p in sorted((ROOT / "engine").rglob("*.py"))
                    for name, _ in _imports(p, _module_name(p)) if name.split(".")[0] in ("fastapi", "starlette")})
    assert not users, f"engine modules importing FastAPI: {users}"


def test_pyproject_lists_every_package():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    folders = {_module_name(p) for folder in FOLDERS for p in (ROOT / folder).rglob("__init__.py")}
    assert set(config["packages"]) == folders
    assert config["package-dir"] == {f"newsgraph.{f}": f for f in FOLDERS}

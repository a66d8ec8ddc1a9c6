"""Packages depend one way: inspect_svc -> rules -> inspect_core, and devices on none of them.

A walk over every import statement (nested ones included) builds the graph
between the top-level packages and fails on a cycle; the pure layers
(`inspect_core`, `rules`) must not import the service, Flask, SQLAlchemy or
the settings, directly or when imported.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("inspect_svc", "inspect_core", "rules", "devices")
PURE = ("inspect_core", "rules")
NOT_IN_PURE = ("inspect_svc", "flask", "sqlalchemy", "alembic", "werkzeug", "marshmallow")


def imported_modules(source: str) -> Iterator[str]:
    """Every absolute module an import statement in `source` names, however nested."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def package_graph() -> dict[str, set[str]]:
    """Top-level package -> the other top-level packages its modules import."""
    graph: dict[str, set[str]] = {package: set() for package in PACKAGES}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue  # Alembic scripts run inside the service, never imported by code
            for module in imported_modules(path.read_text(encoding="utf-8")):
                top = module.split(".")[0]
                if top in PACKAGES and top != package:
                    graph[package].add(top)
    return graph


def cycle_in(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of the graph as a path of nodes, or None.

    >>> cycle_in({"a": {"b"}, "b": {"a"}})
    ['a', 'b', 'a']
    >>> cycle_in({"a": {"b"}, "b": set()}) is None
    True
    """
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return [*path[path.index(nxt) :], nxt] if nxt in path else [node, nxt]
            if nxt not in state and (found := visit(nxt, [*path, nxt])):
                return found
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start, [start])):
            return found
    return None


def test_the_walk_sees_each_packages_imports() -> None:
    graph = package_graph()
    assert "rules" in graph["inspect_svc"]
    assert "inspect_core" in graph["rules"]


def test_no_cycle_between_top_level_packages() -> None:
    assert cycle_in(package_graph()) is None


def test_devices_stand_alone() -> None:
    """The scanner agent runs on a workstation without the service installed."""
    assert package_graph()["devices"] == set()


@pytest.mark.parametrize("package", PURE)
def test_pure_layers_import_nothing_of_the_service_or_its_frameworks(package: str) -> None:
    offenders = sorted(
        f"{path.relative_to(ROOT)}: {module}"
        for path in (ROOT / package).rglob("*.py")
        for module in imported_modules(path.read_text(encoding="utf-8"))
        if module.split(".")[0] in NOT_IN_PURE
    )
    assert offenders == []


def test_importing_the_pure_layers_loads_no_framework() -> None:
    modules = [
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for package in PURE
        for path in (ROOT / package).rglob("*.py")
    ]
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(NOT_IN_PURE)!r}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"

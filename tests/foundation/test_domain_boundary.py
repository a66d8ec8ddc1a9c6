"""The domain knows nothing of HTTP: triage, cases and rules import no Flask and no problems.

Cases and triage depend one way only (triage -> cases).

Domain code raises `inspect_svc.domain_errors`; `problems.DOMAIN_PROBLEMS`
maps them to problem types at the edge, and the app factory or the CLI
builds the triage runtime and passes it in.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from inspect_svc import domain_errors
from inspect_svc.problems import DOMAIN_PROBLEMS

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = (ROOT / "inspect_svc" / "triage", ROOT / "inspect_svc" / "cases", ROOT / "rules")
FORBIDDEN_MODULES = ("flask", "flask_smorest", "flask_wtf", "werkzeug", "webargs")
FORBIDDEN_OWN = (
    "inspect_svc.problems",
    "inspect_svc.current",
    "inspect_svc.api",
    "inspect_svc.web",
)
FORBIDDEN_NAMES = frozenset({"Problem", "current_app"})


def _imports(tree: ast.AST) -> Iterator[tuple[int, str, tuple[str, ...]]]:
    """(line, module, names) of every import statement, however deeply nested."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, ()
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module, tuple(alias.name for alias in node.names)


def _is_under(module: str, roots: tuple[str, ...]) -> bool:
    return any(module == root or module.startswith(root + ".") for root in roots)


def http_imports(source: str) -> list[str]:
    """The imports in `source` that tie it to HTTP, as 'line: module names' strings."""
    return [
        f"{line}: {module} {', '.join(names)}".rstrip()
        for line, module, names in _imports(ast.parse(source))
        if _is_under(module, FORBIDDEN_MODULES + FORBIDDEN_OWN) or FORBIDDEN_NAMES & set(names)
    ]


def domain_files() -> list[Path]:
    return sorted(path for package in DOMAIN for path in package.rglob("*.py"))


def test_the_walk_sees_every_domain_package() -> None:
    files = domain_files()
    for package in DOMAIN:
        assert any(path.parent == package for path in files), package
    assert ROOT / "inspect_svc" / "cases" / "exports" / "csv.py" in files


@pytest.mark.parametrize(
    "source",
    [
        "from flask import current_app\n",
        "import flask\n",
        "def f():\n    from inspect_svc.problems import Problem\n",
        "from inspect_svc.current import settings\n",
        "from werkzeug.exceptions import NotFound\n",
        "from somewhere import Problem\n",
    ],
)
def test_the_walk_finds_an_http_import(source: str) -> None:
    assert http_imports(source)


def test_domain_source_imports_nothing_of_http() -> None:
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in domain_files()
        if (found := http_imports(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_importing_the_domain_loads_no_web_framework() -> None:
    """Not even indirectly (through auth, audit or the reference loaders)."""
    modules = [
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in domain_files()
    ]
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN_MODULES!r}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_cases_do_not_import_triage() -> None:
    """One direction between the two: triage runs the cases' follow-ups, cases never call back."""
    cases = ROOT / "inspect_svc" / "cases"
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in sorted(cases.rglob("*.py"))
        if (
            found := [
                f"{line}: {module}"
                for line, module, _ in _imports(ast.parse(path.read_text(encoding="utf-8")))
                if _is_under(module, ("inspect_svc.triage",))
            ]
        )
    }
    assert offenders == {}


def test_every_domain_error_has_a_problem_type() -> None:
    errors = [
        value
        for value in vars(domain_errors).values()
        if isinstance(value, type)
        and issubclass(value, domain_errors.DomainError)
        and value is not domain_errors.DomainError
    ]
    assert len(errors) >= 6
    assert sorted(e.__name__ for e in errors) == sorted(e.__name__ for e in DOMAIN_PROBLEMS)

"""The examples in docstrings are tests: every module's doctests run and must pass."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from types import ModuleType

import pytest

PACKAGES = ("inspect_svc", "inspect_core", "rules", "devices")
# Importing these has effects beyond definitions (an app built, a migration context).
SKIPPED = ("inspect_svc.wsgi", "inspect_svc.migrations")


def modules() -> list[str]:
    names = []
    for package in PACKAGES:
        root = importlib.import_module(package)
        names.append(package)
        for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
            if not info.name.startswith(SKIPPED):
                names.append(info.name)
    return sorted(names)


def examples_in(module: ModuleType) -> list[doctest.DocTest]:
    finder = doctest.DocTestFinder(exclude_empty=True)
    return [test for test in finder.find(module) if test.examples]


WITH_EXAMPLES = [name for name in modules() if examples_in(importlib.import_module(name))]


def test_doctests_are_collected() -> None:
    """The walk finds the modules known to hold examples (guards against a silent empty run)."""
    assert {"inspect_core.ndc", "inspect_core.interpret.dates", "rules.dates"} <= set(WITH_EXAMPLES)


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_doctests(name: str) -> None:
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in examples_in(module):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"

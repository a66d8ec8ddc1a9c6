"""The rule catalog lists every rule once, in evaluation order; policy and README agree with it."""

from __future__ import annotations

import importlib
import pkgutil
import re
import tomllib
from pathlib import Path

import rules
from rules.base import spec_of
from rules.catalog import RULES, SPECS

ROOT = Path(__file__).resolve().parents[2]
RULE_ID = re.compile(r"R(\d+)([a-z]?)")


def number_then_letter(rule_id: str) -> tuple[int, str]:
    match = RULE_ID.fullmatch(rule_id)
    assert match, rule_id
    return int(match.group(1)), rule_id


def catalog_ids() -> list[str]:
    return [spec_of(rule).id for rule in RULES]


def test_each_rule_is_listed_once() -> None:
    ids = catalog_ids()
    assert len(ids) == len(set(ids)) == len(SPECS)
    assert len({id(rule) for rule in RULES}) == len(RULES)


def test_rules_run_by_number_then_letter() -> None:
    ids = catalog_ids()
    assert ids == sorted(ids, key=number_then_letter)
    assert ids[:3] == ["R0", "R1", "R1b"]


def test_every_decorated_rule_is_in_the_catalog() -> None:
    """A rule written but not listed would never run: every decorated function is listed."""
    listed = {id(rule) for rule in RULES}
    decorated = []
    for info in pkgutil.iter_modules(rules.__path__, prefix="rules."):
        module = importlib.import_module(info.name)
        decorated += [
            value
            for value in vars(module).values()
            if callable(value)
            and "rule_spec" in getattr(value, "__dict__", {})
            and value.__module__ == module.__name__
        ]
    assert len(decorated) == len(RULES)
    assert [f.__qualname__ for f in decorated if id(f) not in listed] == []


def test_every_rule_the_policy_names_exists_once() -> None:
    policy = tomllib.loads((ROOT / "config" / "rules.toml").read_text())
    named = [*policy["rules"], *policy["recommendation"]["hard_detain"]]
    assert sorted(set(named) - set(SPECS)) == []
    assert len(set(policy["recommendation"]["hard_detain"])) == len(
        policy["recommendation"]["hard_detain"]
    )


def readme_rule_ids() -> list[str]:
    """The ids in the README's rule table, ranges (R30-R36) spelled out."""
    text = (ROOT / "README.md").read_text()
    table = text[text.index("### Rules") :].split("\n\n")[1]
    ids: list[str] = []
    for row in table.splitlines()[2:]:
        cell = row.split("|")[1]
        for part in cell.split(","):
            first, _, last = part.strip().partition("-")
            if last:
                low, high = number_then_letter(first)[0], number_then_letter(last)[0]
                ids += [f"R{n}" for n in range(low, high + 1)]
            else:
                ids.append(first)
    return ids


def test_the_readme_table_names_every_rule_exactly_once() -> None:
    ids = readme_rule_ids()
    assert sorted(ids, key=number_then_letter) == sorted(SPECS, key=number_then_letter)

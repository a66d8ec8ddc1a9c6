"""Readable names of the risk rules, for labels next to their ids."""

from __future__ import annotations

from functools import cache

from rules.catalog import SPECS

_ACRONYMS = frozenset({"NDC", "GTIN", "GS1", "PI", "US", "DLS", "DA", "HTS", "AOFC"})


@cache
def _names() -> dict[str, str]:
    return {rule_id: _readable(spec.name) for rule_id, spec in SPECS.items()}


def _readable(constant: str) -> str:
    """`SERIAL_CLONED` -> `Serial cloned`; acronyms stay upper case."""
    words = [w if w in _ACRONYMS else w.lower() for w in constant.split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def rule_name(rule_id: str) -> str:
    """The rule's readable name, or its id when no rule of that id is registered."""
    return _names().get(rule_id, rule_id)


def rule_ids() -> list[str]:
    """Every registered rule id, in a stable order (R1, R1b, R2, ..., R25)."""

    def key(rule_id: str) -> tuple[int, str]:
        digits = "".join(c for c in rule_id[1:] if c.isdigit())
        return int(digits or 0), rule_id

    return sorted(_names(), key=key)

"""Findings, and the decorators that name a rule (the rules are listed in `rules.catalog`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal, TypeVar

Scope = Literal["unit", "shipment"]


class Severity(StrEnum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


@dataclass(frozen=True)
class Finding:
    """What a rule found, in words an inspector understands, with its evidence.

    `severity` is the rule's own judgement for this case (some rules grade,
    e.g. recall class I/II/III); the policy may override it.
    """

    rule: str
    severity: Severity
    message: str
    evidence: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": str(self.severity),
            "message": self.message,
            "evidence": dict(self.evidence),
        }


@dataclass(frozen=True)
class RuleSpec:
    id: str
    name: str
    scope: Scope


RuleFunction = Callable[[Any], Iterable[Finding]]
R = TypeVar("R", bound=RuleFunction)
_SPEC = "rule_spec"


def _spec(rule_id: str, name: str, scope: Scope) -> Callable[[R], R]:
    def decorator(func: R) -> R:
        setattr(func, _SPEC, RuleSpec(rule_id, name, scope))
        return func

    return decorator


def unit_rule(rule_id: str, name: str) -> Callable[[R], R]:
    """Name a rule that sees one scan (`ScanContext`); `rules.catalog` lists it."""
    return _spec(rule_id, name, "unit")


def shipment_rule(rule_id: str, name: str) -> Callable[[R], R]:
    """Name a rule that sees the whole shipment (`ShipmentContext`); `rules.catalog` lists it."""
    return _spec(rule_id, name, "shipment")


def spec_of(rule: RuleFunction) -> RuleSpec:
    """The spec `unit_rule` or `shipment_rule` attached to `rule`."""
    spec = vars(rule).get(_SPEC)
    if not isinstance(spec, RuleSpec):
        raise TypeError(f"{rule!r} is not a rule: decorate it with unit_rule or shipment_rule")
    return spec

"""Findings and the registry that rule modules add themselves to."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

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
    func: Callable[[Any], Iterable[Finding]]


REGISTRY: dict[str, RuleSpec] = {}


def _register(rule_id: str, name: str, scope: Scope) -> Callable[[Any], Any]:
    def decorator(func: Callable[[Any], Iterable[Finding]]) -> Callable[[Any], Iterable[Finding]]:
        if rule_id in REGISTRY:
            raise ValueError(f"rule {rule_id} registered twice")
        REGISTRY[rule_id] = RuleSpec(rule_id, name, scope, func)
        return func

    return decorator


def unit_rule(rule_id: str, name: str) -> Callable[[Any], Any]:
    """Register a rule that sees one scan (`ScanContext`)."""
    return _register(rule_id, name, "unit")


def shipment_rule(rule_id: str, name: str) -> Callable[[Any], Any]:
    """Register a rule that sees the whole shipment (`ShipmentContext`)."""
    return _register(rule_id, name, "shipment")

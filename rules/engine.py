"""Run the registered rules under a policy and turn findings into a score and a verdict."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rules.base import REGISTRY, Finding, Scope, Severity
from rules.context import ScanContext, ShipmentContext
from rules.policy import RulePolicy


@dataclass(frozen=True)
class ScoredFinding:
    """A finding with the severity and weight the policy gives it."""

    finding: Finding
    severity: Severity
    weight: float

    @property
    def rule(self) -> str:
        return self.finding.rule

    def to_dict(self) -> dict[str, Any]:
        return {**self.finding.to_dict(), "severity": str(self.severity), "weight": self.weight}


@dataclass(frozen=True)
class UnitResult:
    findings: tuple[ScoredFinding, ...]
    score: float
    verdict: str


@dataclass(frozen=True)
class ShipmentResult:
    findings: tuple[ScoredFinding, ...]
    risk_score: float
    recommendation: str


def _run(scope: Scope, context: Any, policy: RulePolicy) -> tuple[ScoredFinding, ...]:
    scored: list[ScoredFinding] = []
    for spec in sorted(REGISTRY.values(), key=lambda s: _rule_order(s.id)):
        if spec.scope != scope or not policy.enabled(spec.id):
            continue
        for finding in spec.func(context):
            severity = policy.severity_of(spec.id, finding.severity)
            scored.append(ScoredFinding(finding, severity, policy.weight_of(spec.id, severity)))
    return tuple(scored)


def _rule_order(rule_id: str) -> tuple[int, str]:
    digits = "".join(ch for ch in rule_id[1:] if ch.isdigit())
    return (int(digits) if digits else 0, rule_id)


def evaluate_unit(context: ScanContext, policy: RulePolicy) -> UnitResult:
    findings = _run("unit", context, policy)
    score = sum(f.weight for f in findings)
    return UnitResult(findings, score, verdict_for(findings, score, policy))


def verdict_for(findings: Iterable[ScoredFinding], score: float, policy: RulePolicy) -> str:
    if any(f.severity is Severity.CRITICAL for f in findings) or score >= policy.red_at:
        return "red"
    if score >= policy.amber_at:
        return "amber"
    return "green"


def evaluate_shipment(
    context: ShipmentContext, unit_findings: Iterable[ScoredFinding], policy: RulePolicy
) -> ShipmentResult:
    """Shipment rules, then the risk score over unit and shipment findings.

    Each rule counts once, at the highest weight it reached anywhere in the
    shipment, so a hundred clean packs and one clone score like the clone.
    """
    shipment_findings = _run("shipment", context, policy)
    everything = [*unit_findings, *shipment_findings]
    top: dict[str, float] = {}
    for scored in everything:
        top[scored.rule] = max(top.get(scored.rule, 0.0), scored.weight)
    risk = sum(top.values())
    hard = any(f.rule in policy.hard_detain and f.severity is Severity.CRITICAL for f in everything)
    if hard or risk >= policy.detain_at:
        recommendation = "detain"
    elif risk >= policy.exam_at:
        recommendation = "exam"
    else:
        recommendation = "release"
    return ShipmentResult(shipment_findings, risk, recommendation)

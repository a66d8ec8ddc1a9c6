"""Run the catalogued rules under a policy and turn findings into a score and a verdict."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, get_args

from rules.base import Finding, RuleFunction, RuleSpec, Scope, Severity, spec_of
from rules.catalog import RULES
from rules.context import ScanContext, ShipmentContext
from rules.policy import RulePolicy


@dataclass(frozen=True)
class RuleWeight:
    """What a shipment score counts of a finding: its rule, severity and weight.

    `shadow` marks a shadow rule's weight: reported, never counted unless asked.
    """

    rule: str
    severity: Severity
    weight: float
    shadow: bool = False

    @classmethod
    def under(cls, policy: RulePolicy, rule: str, severity: str, weight: float) -> RuleWeight:
        """A stored weight (no shadow flag kept) read under `policy`, which says what is shadow."""
        return cls(rule, Severity(severity), float(weight), policy.is_shadow(rule))

    def to_dict(self) -> dict[str, Any]:
        """The stored form, without the shadow flag (the policy in force decides it)."""
        return {"rule": self.rule, "severity": str(self.severity), "weight": self.weight}


@dataclass(frozen=True)
class ScoredFinding:
    """A finding with the severity and weight the policy gives it."""

    finding: Finding
    severity: Severity
    weight: float
    # A shadow rule's finding: shown and reported, never counted in a score.
    shadow: bool = False

    @property
    def rule(self) -> str:
        return self.finding.rule

    @property
    def rule_weight(self) -> RuleWeight:
        """What the shipment score counts of this finding."""
        return RuleWeight(self.rule, self.severity, self.weight, self.shadow)

    def to_dict(self) -> dict[str, Any]:
        scored = {**self.finding.to_dict(), "severity": str(self.severity), "weight": self.weight}
        return {**scored, "shadow": True} if self.shadow else scored


@dataclass(frozen=True)
class UnitResult:
    findings: tuple[ScoredFinding, ...]
    score: float
    verdict: str

    @property
    def weights(self) -> tuple[RuleWeight, ...]:
        """The findings as the shipment score counts them."""
        return tuple(f.rule_weight for f in self.findings)


@dataclass(frozen=True)
class ShipmentResult:
    findings: tuple[ScoredFinding, ...]
    risk_score: float
    recommendation: str
    # What the recommendation would be if the policy's shadow rules counted.
    shadow_recommendation: str | None = None


# Each scope's rules with their specs, in catalog order; looked up once, not per scan.
_RULES_OF_SCOPE: dict[Scope, tuple[tuple[RuleFunction, RuleSpec], ...]] = {
    scope: tuple((rule, spec_of(rule)) for rule in RULES if spec_of(rule).scope == scope)
    for scope in get_args(Scope)
}


def _run(scope: Scope, context: Any, policy: RulePolicy) -> tuple[ScoredFinding, ...]:
    scored: list[ScoredFinding] = []
    for rule, spec in _RULES_OF_SCOPE[scope]:
        if not policy.enabled(spec.id):
            continue
        for finding in rule(context):
            severity = policy.severity_of(spec.id, finding.severity)
            weight = policy.weight_of(spec.id, severity)
            scored.append(ScoredFinding(finding, severity, weight, policy.is_shadow(spec.id)))
    return tuple(scored)


def evaluate_unit(context: ScanContext, policy: RulePolicy) -> UnitResult:
    findings = _run("unit", context, policy)
    counted = [f for f in findings if not f.shadow]
    score = sum(f.weight for f in counted)
    return UnitResult(findings, score, verdict_for(counted, score, policy))


def verdict_for(findings: Iterable[ScoredFinding], score: float, policy: RulePolicy) -> str:
    if any(f.severity is Severity.CRITICAL for f in findings) or score >= policy.red_at:
        return "red"
    if score >= policy.amber_at:
        return "amber"
    return "green"


def evaluate_shipment(
    context: ShipmentContext, unit_weights: Iterable[RuleWeight], policy: RulePolicy
) -> ShipmentResult:
    """Shipment rules, then the risk score over the unit weights and the shipment findings.

    Each rule counts once, at the highest weight it reached anywhere in the
    shipment, so a hundred clean packs and one clone score like the clone.
    """
    shipment_findings = _run("shipment", context, policy)
    everything = [*unit_weights, *(f.rule_weight for f in shipment_findings)]
    risk, recommendation = recommend(everything, policy)
    shadow = (
        recommend(everything, policy, count_shadow=True)[1]
        if any(w.shadow for w in everything)
        else None
    )
    return ShipmentResult(shipment_findings, risk, recommendation, shadow)


def recommend(
    weights: Iterable[RuleWeight], policy: RulePolicy, *, count_shadow: bool = False
) -> tuple[float, str]:
    """Risk score and recommendation over rule weights; shadow ones count only when asked.

    Each rule counts once, at the highest weight it reached.
    """
    counted = [w for w in weights if count_shadow or not w.shadow]
    top: dict[str, float] = {}
    for w in counted:
        top[w.rule] = max(top.get(w.rule, 0.0), w.weight)
    risk = sum(top.values())
    hard = any(w.rule in policy.hard_detain and w.severity is Severity.CRITICAL for w in counted)
    if hard or risk >= policy.detain_at:
        return risk, "detain"
    if risk >= policy.exam_at:
        return risk, "exam"
    return risk, "release"

"""Reopen a decided shipment when a new assessment is stricter than its decision.

A release followed by a scan that finds a clone must not stay released: the
shipment goes back to the officer queue with the reason, and the audit
trail records it. A recommendation the decision already saw (an officer's
justified override) does not reopen it again.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from inspect_svc.audit import EventInput
from inspect_svc.cases.decisions import SEVERITY, latest_decision
from inspect_svc.models.case import Decision
from inspect_svc.models.triage import Assessment, Shipment

RULES_NAMED = 5


def reopen_if_stricter(
    session: Session, shipment: Shipment, assessment: Assessment, actor: str
) -> EventInput | None:
    """Reopen `shipment` if `assessment` is stricter than its current decision; the audit event."""
    if shipment.status == "open":
        return None
    decision = latest_decision(session, shipment.id)
    if decision is None:
        return None
    stricter = SEVERITY[assessment.recommendation]
    if (
        stricter <= SEVERITY[decision.action]
        or stricter <= SEVERITY[decision.recommendation_at_decision]
    ):
        return None
    reason = reopen_reason(assessment, decision)
    shipment.status = "open"
    shipment.reopened_reason = reason
    shipment.updated_at = datetime.now(UTC)
    return EventInput(
        actor=actor,
        action="shipment.reopened",
        subject=f"shipment:{shipment.id}",
        shipment_id=shipment.id,
        payload={
            "reason": reason,
            "assessment_id": assessment.id,
            "recommendation": assessment.recommendation,
            "risk_score": assessment.risk_score,
            "decision_id": decision.id,
            "decided_action": decision.action,
        },
    )


def reopen_reason(assessment: Assessment, decision: Decision) -> str:
    """One line for the queue: what the new assessment says and which rules drove it."""
    fired: dict[str, tuple[float, str]] = {}
    for finding in [*assessment.unit_findings, *assessment.findings]:
        if finding.get("severity") == "info":
            continue
        weight = float(finding.get("weight") or 0.0)
        if weight >= fired.get(finding["rule"], (-1.0, ""))[0]:
            fired[finding["rule"]] = (weight, str(finding.get("severity")))
    ranked = sorted(fired.items(), key=lambda item: (-item[1][0], item[0]))[:RULES_NAMED]
    rules = ", ".join(f"{rule} ({severity})" for rule, (_, severity) in ranked) or "none"
    return (
        f"Re-assessed to {assessment.recommendation} (risk {assessment.risk_score:g}) after a "
        f"{assessment.cause}, stricter than the {decision.action} decided by "
        f"{decision.actor_name}; rules: {rules}."
    )

"""What the audit chain records of each domain object, built from the object itself.

These payloads are hashed into the chain, so their shape is fixed: an API
view may change, a payload may not (stored chains must still verify, and
`audit verify` compares rows with what their events recorded).
"""

from __future__ import annotations

from typing import Any

from inspect_svc.models.case import Decision
from inspect_svc.models.triage import Assessment


def assessment_payload(assessment: Assessment) -> dict[str, Any]:
    """The payload of `shipment.assessed`: what each decision stood on."""
    return {
        "id": assessment.id,
        "shipment_id": assessment.shipment_id,
        "cause": assessment.cause,
        "risk_score": assessment.risk_score,
        "recommendation": assessment.recommendation,
        "findings": list(assessment.findings),
        "unit_findings": list(assessment.unit_findings),
        "scan_count": assessment.scan_count,
        "ruleset_version": assessment.ruleset_version,
        "reference_as_of": dict(assessment.reference_as_of),
        "created_at": assessment.created_at.isoformat(),
    }


def decision_payload(decision: Decision) -> dict[str, Any]:
    """The payload of `decision.recorded`: the decision and what it was made against."""
    return {
        "id": decision.id,
        "shipment_id": decision.shipment_id,
        "action": decision.action,
        "reason_codes": list(decision.reason_codes),
        "notes": decision.notes,
        "justification": decision.justification,
        "actor_id": decision.actor_id,
        "actor_name": decision.actor_name,
        "role": decision.role,
        "decided_at": decision.decided_at.isoformat(),
        "recommendation_at_decision": decision.recommendation_at_decision,
        "risk_score_at_decision": decision.risk_score_at_decision,
        "findings_at_decision": list(decision.findings_at_decision),
        "ruleset_version": decision.ruleset_version,
        "supersedes_id": decision.supersedes_id,
        "override": decision.override,
        "assessment_id": decision.assessment_id,
    }

"""Audit payloads are built apart from API views and keep their bytes.

The chain hashes these payloads; stored chains must still verify, so the
expected JSON below is what the chain held before views and payloads were
separated, byte for byte.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from inspect_svc.audit_payloads import assessment_payload, decision_payload
from inspect_svc.models.case import Decision
from inspect_svc.models.triage import Assessment

DECISION = Decision(
    id=7,
    shipment_id=3,
    action="release",
    reason_codes=["DOC_OK"],
    notes=None,
    justification="Shortage import, see letter",
    actor_id=2,
    actor_name="olga",
    role="officer",
    decided_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    recommendation_at_decision="exam",
    risk_score_at_decision=60.0,
    findings_at_decision=[
        {"rule": "R9", "severity": "critical", "weight": 100.0, "scan_id": 4, "message": "m"}
    ],
    ruleset_version="v1",
    supersedes_id=None,
    override=True,
    assessment_id=5,
)
ASSESSMENT = Assessment(
    id=5,
    shipment_id=3,
    cause="scan",
    risk_score=60.0,
    recommendation="exam",
    findings=[{"rule": "R19", "severity": "low", "weight": 10.0}],
    unit_findings=[{"rule": "R9", "severity": "critical", "weight": 100.0}],
    scan_count=2,
    ruleset_version="v1",
    reference_as_of={"ndc": "2026-01-01", "recalls": None},
    created_at=datetime(2026, 1, 2, 3, 0, 0, tzinfo=UTC),
)


def test_decision_payload_bytes_are_unchanged() -> None:
    assert json.dumps(decision_payload(DECISION)) == (
        '{"id": 7, "shipment_id": 3, "action": "release", "reason_codes": ["DOC_OK"], '
        '"notes": null, "justification": "Shortage import, see letter", "actor_id": 2, '
        '"actor_name": "olga", "role": "officer", "decided_at": "2026-01-02T03:04:05+00:00", '
        '"recommendation_at_decision": "exam", "risk_score_at_decision": 60.0, '
        '"findings_at_decision": [{"rule": "R9", "severity": "critical", "weight": 100.0, '
        '"scan_id": 4, "message": "m"}], "ruleset_version": "v1", "supersedes_id": null, '
        '"override": true, "assessment_id": 5}'
    )


def test_assessment_payload_bytes_are_unchanged() -> None:
    assert json.dumps(assessment_payload(ASSESSMENT)) == (
        '{"id": 5, "shipment_id": 3, "cause": "scan", "risk_score": 60.0, '
        '"recommendation": "exam", "findings": [{"rule": "R19", "severity": "low", '
        '"weight": 10.0}], "unit_findings": [{"rule": "R9", "severity": "critical", '
        '"weight": 100.0}], "scan_count": 2, "ruleset_version": "v1", '
        '"reference_as_of": {"ndc": "2026-01-01", "recalls": null}, '
        '"created_at": "2026-01-02T03:00:00+00:00"}'
    )

"""Assessments: every run of the shipment rules, kept; the shipment points at the current one.

A shipment is assessed when it is created (entry, party and origin rules,
no scans yet) and after every scan batch. Decisions name the assessment
they were made on, so nobody decides on a state they have not seen.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from inspect_svc.audit import EventInput
from inspect_svc.audit_payloads import assessment_payload
from inspect_svc.models.triage import Assessment, Shipment
from inspect_svc.triage.runtime import TriageRuntime
from inspect_svc.triage.shipment_eval import CountedRows, evaluate_and_store_findings

_INSERT = insert(cast(Table, Assessment.__table__)).returning(Assessment.__table__.c.id)
_SHIPMENTS = cast(Table, Shipment.__table__)
# The columns an assessment sets come from the parameters given on execution.
_ASSESS_SHIPMENT = update(_SHIPMENTS).where(_SHIPMENTS.c.id == bindparam("sid"))


def assess(
    session: Session,
    shipment: Shipment,
    runtime: TriageRuntime,
    cause: str,
    counted: CountedRows | None = None,
) -> Assessment:
    """Evaluate `shipment` over its stored scans and make the result its current assessment.

    `counted`: the tally and weight rows a scan batch just updated (else they are read).
    """
    evaluation = evaluate_and_store_findings(session, shipment, runtime, counted)
    result = evaluation.result
    values = {
        "shipment_id": shipment.id,
        "cause": cause,
        "risk_score": result.risk_score,
        "recommendation": result.recommendation,
        "findings": evaluation.findings,
        "unit_findings": [
            w.to_dict() for w in sorted(evaluation.unit_weights, key=lambda w: (-w.weight, w.rule))
        ],
        "scan_count": evaluation.scan_count,
        "ruleset_version": runtime.policy.version,
        "reference_as_of": runtime.reference_as_of(),
        "created_at": datetime.now(UTC),
    }
    # A Core insert: an assessment is only ever added, and the ORM's unit of work
    # would flush the whole session for its id. The object describes the stored row.
    assessment = Assessment(id=session.execute(_INSERT, values).scalar_one(), **values)
    # The shipment row is written once, with its assessment, by a Core update:
    # the loaded object is told the same values, so the unit of work has
    # nothing left to flush for it.
    assessed: dict[str, Any] = {
        "risk_score": result.risk_score,
        "recommendation": result.recommendation,
        "ruleset_version": assessment.ruleset_version,
        "reference_as_of": dict(assessment.reference_as_of),
        "updated_at": assessment.created_at,
        "assessment_id": assessment.id,
    }
    if evaluation.findings != shipment.findings:
        assessed["findings"] = list(evaluation.findings)
    session.execute(_ASSESS_SHIPMENT, {"sid": shipment.id, **assessed})
    for column, value in assessed.items():
        set_committed_value(shipment, column, value)
    return assessment


def assessed_event(actor: str, assessment: Assessment) -> EventInput:
    """The audit event of an assessment: the chain keeps what each decision stood on."""
    return EventInput(
        actor=actor,
        action="shipment.assessed",
        subject=f"assessment:{assessment.id}",
        shipment_id=assessment.shipment_id,
        payload=assessment_payload(assessment),
    )

"""Record decisions on shipments.

A decision is never changed in place: a new one supersedes the shipment's
latest decision by reference, the shipment's status follows the newest
decision, and each decision keeps the recommendation, risk score, findings
and ruleset version it was made against. A decision less severe than the
recommendation (release when exam or detain was recommended, exam when
detain was) is an override: it needs the officer role and a justification.
Superseding a decision an officer made needs the officer role too. A
decision names the assessment it was made on; naming one that is no longer
current is refused with the current one, so nobody decides unseen.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_svc.actors import Actor
from inspect_svc.audit import append_event
from inspect_svc.audit_payloads import decision_payload
from inspect_svc.cases.visible_text import has_visible_text, visible_or_none
from inspect_svc.domain_errors import (
    IdempotencyKeyReused,
    InvalidRequest,
    OverrideForbidden,
    StaleAssessment,
    SupersedeForbidden,
)
from inspect_svc.models.case import STATUS_AFTER, Decision
from inspect_svc.models.triage import Assessment, Finding, Shipment

SEVERITY = {"release": 0, "exam": 1, "detain": 2}
OVERRIDE_ROLE = "officer"
OFFICER_ROLES = frozenset({"officer", "admin"})


@dataclass(frozen=True)
class DecisionInput:
    action: str
    reason_codes: Sequence[str]
    notes: str | None = None
    justification: str | None = None
    idempotency_key: str | None = None
    assessment_id: int | None = None

    def digest(self, shipment_id: int) -> str:
        """What a replay must match: the same shipment and the same decision."""
        fields: list[Any] = [
            shipment_id,
            self.action,
            list(self.reason_codes),
            self.notes,
            self.justification,
        ]
        if self.assessment_id is not None:
            fields.append(self.assessment_id)
        return hashlib.sha256(json.dumps(fields).encode()).hexdigest()


@dataclass(frozen=True)
class RecordedDecision:
    decision: Decision
    replayed: bool


def is_override(action: str, recommendation: str) -> bool:
    return SEVERITY[action] < SEVERITY[recommendation]


def latest_decision(session: Session, shipment_id: int) -> Decision | None:
    return session.scalar(
        select(Decision)
        .where(Decision.shipment_id == shipment_id)
        .order_by(Decision.id.desc())
        .limit(1)
    )


def record_decision(
    session: Session, shipment: Shipment, data: DecisionInput, actor: Actor
) -> RecordedDecision:
    """Store `data` as the shipment's newest decision; `shipment` should be locked FOR UPDATE.

    With an idempotency key, a retry returns the decision first stored under it.
    """
    digest = data.digest(shipment.id)
    if data.idempotency_key:
        stored = session.scalar(
            select(Decision).where(Decision.idempotency_key == data.idempotency_key)
        )
        if stored is not None:
            if stored.request_digest != digest:
                raise IdempotencyKeyReused(
                    f"Idempotency key {data.idempotency_key!r} was already used for another "
                    "decision.",
                    "Idempotency-Key",
                )
            return RecordedDecision(stored, replayed=True)
    justification = _justification(data.justification)
    _check_assessment(session, shipment, data.assessment_id)
    override = is_override(data.action, shipment.recommendation)
    if override:
        _check_override(shipment, data.action, actor, justification)
    previous = latest_decision(session, shipment.id)
    if previous is not None:
        _check_supersede(previous, actor)
    now = datetime.now(UTC)
    decision = Decision(
        shipment_id=shipment.id,
        action=data.action,
        reason_codes=list(dict.fromkeys(data.reason_codes)),
        notes=visible_or_none(data.notes),
        justification=justification,
        actor_id=actor.user_id,
        actor_name=actor.name,
        role=actor.role,
        decided_at=now,
        recommendation_at_decision=shipment.recommendation,
        risk_score_at_decision=shipment.risk_score,
        findings_at_decision=_findings_snapshot(session, shipment.id),
        ruleset_version=shipment.ruleset_version,
        supersedes_id=previous.id if previous else None,
        override=override,
        idempotency_key=data.idempotency_key,
        request_digest=digest,
        assessment_id=shipment.assessment_id,
    )
    session.add(decision)
    shipment.status = STATUS_AFTER[data.action]
    shipment.reopened_reason = None
    shipment.updated_at = now
    session.flush()
    append_event(
        session,
        actor=actor.name,
        action="decision.recorded",
        subject=f"decision:{decision.id}",
        shipment_id=shipment.id,
        payload=decision_payload(decision),
    )
    return RecordedDecision(decision, replayed=False)


def _justification(text: str | None) -> str | None:
    """The stripped justification; text made only of invisible characters is refused."""
    if text is None or not text.strip():
        return None
    if not has_visible_text(text):
        raise InvalidRequest(
            "The justification holds only invisible characters (spaces, zero-width or "
            "format characters, lone combining marks); write it in visible text.",
            {"justification": ["must contain visible text"]},
        )
    return text.strip()


def _check_assessment(session: Session, shipment: Shipment, assessment_id: int | None) -> None:
    """A decision naming an assessment must name the current one; 409 shows the current one."""
    if assessment_id is None or assessment_id == shipment.assessment_id:
        return
    named = session.get(Assessment, assessment_id)
    if named is None or named.shipment_id != shipment.id:
        raise InvalidRequest(
            f"Assessment {assessment_id} is not an assessment of shipment {shipment.id}; its "
            f"current assessment is {shipment.assessment_id}.",
            {"assessment_id": [f"not an assessment of shipment {shipment.id}"]},
        )
    raise StaleAssessment(
        f"Assessment {assessment_id} is no longer current for shipment {shipment.id}: it was "
        f"re-assessed (now {shipment.recommendation}, risk {shipment.risk_score:g}). Review the "
        "current assessment and decide again.",
        {"assessment_id": [f"not the current assessment ({shipment.assessment_id})"]},
        session.get(Assessment, shipment.assessment_id)
        if shipment.assessment_id is not None
        else None,
    )


def _check_supersede(previous: Decision, actor: Actor) -> None:
    """An officer's decision may only be replaced by an officer (or admin)."""
    if previous.role in OFFICER_ROLES and not actor.may(OVERRIDE_ROLE):
        raise SupersedeForbidden(
            f"The current decision ({previous.action}, decision {previous.id}) was made by "
            f"{previous.actor_name} ({previous.role}); superseding it needs the "
            f"'{OVERRIDE_ROLE}' role; you have '{actor.role}'."
        )


def _check_override(
    shipment: Shipment, action: str, actor: Actor, justification: str | None
) -> None:
    recommended = shipment.recommendation
    if not actor.may(OVERRIDE_ROLE):
        raise OverrideForbidden(
            f"Deciding '{action}' against the recommendation '{recommended}' needs the "
            f"'{OVERRIDE_ROLE}' role; you have '{actor.role}'."
        )
    if justification is None:
        raise InvalidRequest(
            f"Deciding '{action}' against the recommendation '{recommended}' "
            "needs a justification.",
            {"justification": ["required when the decision overrides the recommendation"]},
        )


def _findings_snapshot(session: Session, shipment_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(Finding).where(Finding.shipment_id == shipment_id).order_by(Finding.id)
    )
    return [
        {
            "rule": row.rule,
            "severity": row.severity,
            "weight": row.weight,
            "scan_id": row.scan_id,
            "message": row.message,
        }
        for row in rows
    ]


def decisions_of(session: Session, shipment_id: int) -> list[Decision]:
    """The shipment's decisions, newest first."""
    return list(
        session.scalars(
            select(Decision).where(Decision.shipment_id == shipment_id).order_by(Decision.id.desc())
        )
    )

"""Record what an exam found: append-only rows, each one audited."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_svc.actors import Actor
from inspect_svc.audit import append_event
from inspect_svc.models.selectivity import ExamResult
from inspect_svc.models.triage import Shipment


def record_exam_result(
    session: Session,
    shipment: Shipment,
    result: str,
    charges: Sequence[str],
    notes: str | None,
    actor: Actor,
) -> ExamResult:
    row = ExamResult(
        shipment_id=shipment.id,
        result=result,
        charges=list(dict.fromkeys(charges)),
        notes=notes,
        actor_id=actor.user_id,
        actor_name=actor.name,
        role=actor.role,
        recorded_at=datetime.now(UTC),
        lane=shipment.lane,
        selected_by=shipment.selected_by,
    )
    session.add(row)
    session.flush()
    append_event(
        session,
        actor=actor.name,
        action="exam.recorded",
        subject=f"exam:{row.id}",
        shipment_id=shipment.id,
        payload={"result": result, "charges": row.charges, "lane": row.lane},
    )
    return row


def exam_results_of(session: Session, shipment_id: int) -> list[ExamResult]:
    """Oldest first; the last one is the shipment's outcome."""
    return list(
        session.scalars(
            select(ExamResult).where(ExamResult.shipment_id == shipment_id).order_by(ExamResult.id)
        )
    )

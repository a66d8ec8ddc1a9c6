"""Load exported cases in batches: a shipment with its scans, findings, decisions and events.

Each batch is read with one query per table (`IN` over the batch's shipment
ids), so memory stays bounded by the batch size however many cases an
export covers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from inspect_svc.cases.exports.cursor import CasePosition
from inspect_svc.epcis.export import InspectedContainer, inspected_aggregation
from inspect_svc.models.audit import AuditEvent
from inspect_svc.models.case import Decision
from inspect_svc.models.selectivity import ExamResult
from inspect_svc.models.triage import Finding, Scan, Shipment

BATCH = 500
T = TypeVar("T")


@dataclass
class CaseRecord:
    shipment: Shipment
    position: int
    scans: list[Scan] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)  # oldest first
    events: list[AuditEvent] = field(default_factory=list)
    exam_results: list[ExamResult] = field(default_factory=list)  # oldest first
    # The shipper's aggregation of the containers the inspection touched (docs/epcis.md).
    aggregation: list[InspectedContainer] = field(default_factory=list)

    @property
    def current_decision(self) -> Decision | None:
        return self.decisions[-1] if self.decisions else None

    @property
    def rules_fired(self) -> list[str]:
        return sorted({f.rule for f in self.findings})


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _grouped(session: Session, model: Any, key: Any, ids: Sequence[int], order: Any) -> Any:
    grouped: defaultdict[int, list[Any]] = defaultdict(list)
    for row in session.scalars(select(model).where(key.in_(ids)).order_by(order)):
        grouped[getattr(row, key.key)].append(row)
    return grouped


def load_cases(
    session: Session, positions: Iterable[CasePosition], batch_size: int = BATCH
) -> Iterator[CaseRecord]:
    """Yield the cases at `positions` in the given order, reading `batch_size` at a time."""
    for batch in _batches(positions, batch_size):
        ids = [p.shipment_id for p in batch]
        shipments = {
            s.id: s
            for s in session.scalars(
                select(Shipment)
                .where(Shipment.id.in_(ids))
                .options(selectinload(Shipment.declared_lines))
            )
        }
        scans = _grouped(session, Scan, Scan.shipment_id, ids, Scan.id)
        findings = _grouped(session, Finding, Finding.shipment_id, ids, Finding.id)
        decisions = _grouped(session, Decision, Decision.shipment_id, ids, Decision.id)
        events = _grouped(session, AuditEvent, AuditEvent.shipment_id, ids, AuditEvent.seq)
        exams = _grouped(session, ExamResult, ExamResult.shipment_id, ids, ExamResult.id)
        aggregation = inspected_aggregation(session, ids)
        for position in batch:
            shipment = shipments.get(position.shipment_id)
            if shipment is None:
                continue
            yield CaseRecord(
                shipment=shipment,
                position=position.seq,
                scans=scans[shipment.id],
                findings=findings[shipment.id],
                decisions=decisions[shipment.id],
                events=events[shipment.id],
                exam_results=exams[shipment.id],
                aggregation=aggregation.get(shipment.id, []),
            )
        session.expunge_all()

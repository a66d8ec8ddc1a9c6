"""Compare what the database holds now with what the audit chain recorded.

The hash chain proves the events were not changed, but the rows they
describe live in ordinary tables: someone with database access could edit
`decision.action`, `scan.raw` or `shipment.status` and leave the chain
intact. While the chain is walked, each batch of events is compared with the
rows it names; at the end every scan, decision and assessment must have its
event, and every shipment must hold the status, the assessment and the
recommendation the chain last recorded for it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_svc.models.audit import AuditEvent
from inspect_svc.models.case import STATUS_AFTER, Decision
from inspect_svc.models.triage import Assessment, Scan, Shipment

ROW_BATCH = 2000
Recorded = type[Scan] | type[Decision] | type[Assessment]

# Per kind of row: its event action, its model and the fields the event recorded.
RECORDED: dict[str, tuple[str, Recorded, tuple[str, ...]]] = {
    "scan": (
        "scan.stored",
        Scan,
        ("shipment_id", "idempotency_key", "raw", "device_id", "verdict", "ruleset_version"),
    ),
    "decision": (
        "decision.recorded",
        Decision,
        (
            "shipment_id",
            "action",
            "reason_codes",
            "notes",
            "justification",
            "actor_id",
            "actor_name",
            "role",
            "recommendation_at_decision",
            "risk_score_at_decision",
            "findings_at_decision",
            "ruleset_version",
            "supersedes_id",
            "override",
            "assessment_id",
        ),
    ),
    "assessment": (
        "shipment.assessed",
        Assessment,
        (
            "shipment_id",
            "cause",
            "risk_score",
            "recommendation",
            "findings",
            "unit_findings",
            "scan_count",
            "ruleset_version",
        ),
    ),
}
KIND_OF_ACTION = {action: kind for kind, (action, _, _) in RECORDED.items()}
OPENING_ACTIONS = frozenset({"shipment.created", "shipment.reopened"})


@dataclass(frozen=True)
class StateMismatch:
    subject: str  # e.g. "decision:12"
    reason: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.reason}"


@dataclass(frozen=True)
class _Recorded:
    """What the chain last said about a shipment."""

    seq: int
    value: Any


def _differs(stored: Any, recorded: Any) -> bool:
    """Whether a column differs from the payload value, compared as JSON holds them."""
    if stored == recorded:
        return False
    return bool(_normal(stored) != _normal(recorded))


def _normal(value: Any) -> Any:
    return json.loads(json.dumps(value, sort_keys=True, default=str))


def _subject_id(subject: str) -> int | None:
    _, _, ident = subject.partition(":")
    return int(ident) if ident.isdigit() else None


class StateCheck:
    """Fed the chain's events in order (`observe`), then asked for every mismatch (`finish`)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.seen: dict[str, set[int]] = {kind: set() for kind in RECORDED}
        self.status: dict[int, _Recorded] = {}
        self.assessment: dict[int, _Recorded] = {}
        self.found: list[StateMismatch] = []

    def observe(self, events: Sequence[AuditEvent]) -> None:
        """Compare the rows named by this batch of events with what the events recorded."""
        by_kind: dict[str, dict[int, AuditEvent]] = {kind: {} for kind in RECORDED}
        for event in events:
            ident = _subject_id(event.subject)
            kind = KIND_OF_ACTION.get(event.action)
            if kind is not None and ident is not None:
                by_kind[kind][ident] = event
                self.seen[kind].add(ident)
            self._follow_shipment(event, ident)
        for kind, recorded in by_kind.items():
            if recorded:
                self._compare(kind, recorded)

    def _follow_shipment(self, event: AuditEvent, ident: int | None) -> None:
        shipment_id = event.shipment_id
        if shipment_id is None:
            return
        if event.action in OPENING_ACTIONS:
            self.status[shipment_id] = _Recorded(event.seq, "open")
        elif event.action == "decision.recorded":
            action = event.payload.get("action")
            self.status[shipment_id] = _Recorded(event.seq, STATUS_AFTER.get(str(action)))
        elif event.action == "shipment.assessed" and ident is not None:
            self.assessment[shipment_id] = _Recorded(event.seq, (ident, event.payload))

    def _compare(self, kind: str, recorded: dict[int, AuditEvent]) -> None:
        _, model, fields = RECORDED[kind]
        columns = [getattr(model, name) for name in fields]
        named = select(model.id, *columns).where(model.id.in_(list(recorded)))
        rows = {
            row[0]: dict(zip(fields, row[1:], strict=True)) for row in self.session.execute(named)
        }
        for ident, event in sorted(recorded.items()):
            row = rows.get(ident)
            if row is None:
                self._add(f"{kind}:{ident}", f"recorded by event {event.seq} but missing")
                continue
            changed = [
                name
                for name in fields
                if name in event.payload and _differs(row[name], event.payload[name])
            ]
            if changed:
                self._add(
                    f"{kind}:{ident}",
                    f"{', '.join(changed)} differ(s) from what event {event.seq} recorded",
                )

    def finish(self) -> list[StateMismatch]:
        """Rows the chain never recorded, and shipments not as the chain last left them."""
        for kind, (action, model, _) in RECORDED.items():
            seen = self.seen[kind]
            for ident in _ids(self.session, select(model.id)):
                if ident not in seen:
                    self._add(f"{kind}:{ident}", f"has no '{action}' event in the audit trail")
        columns = select(
            Shipment.id,
            Shipment.status,
            Shipment.assessment_id,
            Shipment.recommendation,
            Shipment.risk_score,
        )
        for rows in _batched(self.session, columns, Shipment.id):
            for shipment_id, status, assessment_id, recommendation, risk_score in rows:
                self._check_shipment(shipment_id, status, assessment_id, recommendation, risk_score)
        return self.found

    def _check_shipment(
        self,
        shipment_id: int,
        status: str,
        assessment_id: int | None,
        recommendation: str,
        risk_score: float,
    ) -> None:
        subject = f"shipment:{shipment_id}"
        expected = self.status.get(shipment_id)
        if expected is None:
            self._add(subject, "has no 'shipment.created' event in the audit trail")
        elif status != expected.value:
            self._add(
                subject,
                f"status is '{status}' but event {expected.seq} left it '{expected.value}'",
            )
        assessed = self.assessment.get(shipment_id)
        if assessed is None:
            if assessment_id is not None:
                self._add(subject, f"points at assessment {assessment_id}, never recorded")
            return
        ident, payload = assessed.value
        if assessment_id != ident:
            self._add(
                subject,
                f"points at assessment {assessment_id} but event {assessed.seq} made "
                f"assessment {ident} current",
            )
        elif (recommendation, risk_score) != (
            payload.get("recommendation"),
            payload.get("risk_score"),
        ):
            self._add(
                subject,
                f"recommendation or risk score differs from assessment {ident} "
                f"(event {assessed.seq})",
            )

    def _add(self, subject: str, reason: str) -> None:
        self.found.append(StateMismatch(subject, reason))


def _ids(session: Session, statement: Any) -> Iterator[int]:
    column = statement.selected_columns[0]
    for rows in _batched(session, statement, column):
        for (ident,) in rows:
            yield int(ident)


def _batched(session: Session, statement: Any, key: Any) -> Iterable[Sequence[Any]]:
    """Rows of `statement` in pages ordered by `key` (an integer id)."""
    last = 0
    while True:
        rows = session.execute(statement.where(key > last).order_by(key).limit(ROW_BATCH)).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]

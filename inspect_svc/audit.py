"""Append audit events to the hash chain and verify the chain.

Appends lock the single `audit_head` row (SELECT ... FOR UPDATE on
PostgreSQL; SQLite transactions are already serialised), so concurrent
writers queue up and the chain never forks. Callers append as the last
step of their transaction to hold that lock briefly. Each append also
stamps the shipments it concerns with the new seq (`shipment.change_seq`),
the clock that export cursors page by.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from inspect_svc.audit_state import StateCheck, StateMismatch
from inspect_svc.models.audit import AuditEvent, AuditHead
from inspect_svc.models.triage import Shipment
from inspect_svc.upsert import add_rows_if_absent

GENESIS_HASH = "0" * 64
HEAD_ID = 1
VERIFY_BATCH = 2000
MISMATCHES_KEPT = 50
HEX64 = re.compile(r"[0-9a-fA-F]{64}")


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def payload_digest(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(payload).encode()).hexdigest()


def event_hash(
    prev_hash: str,
    seq: int,
    occurred_at: datetime,
    actor: str,
    action: str,
    subject: str,
    shipment_id: int | None,
    digest: str,
) -> str:
    when = occurred_at.astimezone(UTC).isoformat()
    material = canonical_json([prev_hash, seq, when, actor, action, subject, shipment_id, digest])
    return hashlib.sha256(material.encode()).hexdigest()


@dataclass(frozen=True)
class EventInput:
    actor: str
    action: str
    subject: str
    payload: dict[str, Any]
    shipment_id: int | None = None


def append_event(
    session: Session,
    *,
    actor: str,
    action: str,
    subject: str,
    payload: dict[str, Any],
    shipment_id: int | None = None,
) -> None:
    """Add the next event of the chain to `session` (committed with the caller's transaction)."""
    append_events(session, [EventInput(actor, action, subject, payload, shipment_id)])


def append_events(session: Session, inputs: Sequence[EventInput]) -> None:
    """Add events to the chain in order, under one lock of its head.

    Core statements built once: an append is on every scan's path, and
    building and keying ORM statements cost more than running them. Pending
    ORM changes are written first, so the head stays locked only for the append.
    """
    session.flush()
    head = session.execute(_LOCK_HEAD).first()
    if head is None:  # the very first event: writers racing here agree on one head row
        add_rows_if_absent(
            session, AuditHead, [{"id": HEAD_ID, "seq": 0, "hash": GENESIS_HASH}], ["id"]
        )
        head = session.execute(_LOCK_HEAD).one()
    occurred_at = datetime.now(UTC)
    rows: list[dict[str, Any]] = []
    seq, prev_hash = head.seq, head.hash
    for item in inputs:
        seq += 1
        text = canonical_json(item.payload)
        digest = hashlib.sha256(text.encode()).hexdigest()
        event_hash_ = event_hash(
            prev_hash,
            seq,
            occurred_at,
            item.actor,
            item.action,
            item.subject,
            item.shipment_id,
            digest,
        )
        rows.append(
            {
                "seq": seq,
                "occurred_at": occurred_at,
                "actor": item.actor,
                "action": item.action,
                "subject": item.subject,
                "shipment_id": item.shipment_id,
                "payload": json.loads(text),
                "payload_digest": digest,
                "prev_hash": prev_hash,
                "hash": event_hash_,
            }
        )
        prev_hash = event_hash_
    if not rows:
        return
    session.execute(_INSERT_EVENT, rows)
    session.execute(_MOVE_HEAD, {"new_seq": seq, "new_hash": prev_hash})
    latest = {r["shipment_id"]: r["seq"] for r in rows if r["shipment_id"] is not None}
    if latest:
        session.execute(
            _STAMP_SHIPMENT, [{"sid": sid, "new_seq": value} for sid, value in latest.items()]
        )
        _sync_loaded_shipments(session, latest)


_HEAD = cast(Table, AuditHead.__table__)
_SHIPMENT = cast(Table, Shipment.__table__)
_LOCK_HEAD = select(_HEAD.c.seq, _HEAD.c.hash).where(_HEAD.c.id == HEAD_ID).with_for_update()
_INSERT_EVENT = insert(cast(Table, AuditEvent.__table__))
_MOVE_HEAD = (
    update(_HEAD)
    .where(_HEAD.c.id == HEAD_ID)
    .values(seq=bindparam("new_seq"), hash=bindparam("new_hash"))
)
_STAMP_SHIPMENT = (
    update(_SHIPMENT)
    .where(_SHIPMENT.c.id == bindparam("sid"))
    .values(change_seq=bindparam("new_seq"))
)


def _sync_loaded_shipments(session: Session, change_seqs: dict[int, int]) -> None:
    """Shipments loaded in `session` see their new change_seq without being marked dirty."""
    for shipment_id, value in change_seqs.items():
        loaded = session.identity_map.get(identity_key(Shipment, shipment_id))
        if loaded is not None:
            set_committed_value(loaded, "change_seq", value)


@dataclass(frozen=True)
class Checkpoint:
    """A chain position kept outside the database: `<seq> <sha256>`."""

    seq: int
    hash: str

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        """Read `<seq> <sha256>` as `audit checkpoint` prints it.

        >>> Checkpoint.parse(" 12  " + "ab" * 32).seq
        12
        """
        parts = text.split()
        if (
            len(parts) != 2
            or not parts[0].isascii()
            or not parts[0].isdigit()
            or not HEX64.fullmatch(parts[1])
        ):
            raise ValueError(
                f"expected '<seq> <sha256>' (a number and 64 hex digits), got {text!r}"
            )
        return cls(int(parts[0]), parts[1].lower())

    def __str__(self) -> str:
        return f"{self.seq} {self.hash}"


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


@dataclass(frozen=True)
class VerifyResult:
    events: int
    first_break: ChainBreak | None
    mismatches: tuple[StateMismatch, ...] = ()
    mismatch_count: int = 0

    @property
    def ok(self) -> bool:
        return self.first_break is None and self.mismatch_count == 0


def _batches(session: Session) -> Iterator[Sequence[AuditEvent]]:
    last = 0
    while True:
        batch = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.seq > last)
            .order_by(AuditEvent.seq)
            .limit(VERIFY_BATCH)
        ).all()
        if not batch:
            return
        yield batch
        last = batch[-1].seq


def _event_break(event: AuditEvent, expected_seq: int, expected_prev: str) -> ChainBreak | None:
    if event.seq != expected_seq:
        return ChainBreak(expected_seq, f"event {expected_seq} is missing")
    if payload_digest(event.payload) != event.payload_digest:
        return ChainBreak(event.seq, "payload does not match its digest")
    if event.prev_hash != expected_prev:
        return ChainBreak(event.seq, "previous-hash link is broken")
    recomputed = event_hash(
        event.prev_hash,
        event.seq,
        event.occurred_at,
        event.actor,
        event.action,
        event.subject,
        event.shipment_id,
        event.payload_digest,
    )
    if recomputed != event.hash:
        return ChainBreak(event.seq, "event fields do not match its hash")
    return None


def verify_chain(
    session: Session, checkpoint: Checkpoint | None = None, *, check_state: bool = True
) -> VerifyResult:
    """Walk the chain from the start; report the first event that does not fit.

    With `checkpoint`, the chain must still hold that event with that hash
    (a truncated tail with a rewound head fits together otherwise). With
    `check_state`, decisions, scans, assessments and shipments must be as
    the chain recorded them.
    """
    expected_prev, expected_seq, count = GENESIS_HASH, 1, 0
    state = StateCheck(session) if check_state else None
    checkpoint_seen = checkpoint is None or checkpoint.seq == 0
    for batch in _batches(session):
        for event in batch:
            count += 1
            broken = _event_break(event, expected_seq, expected_prev)
            if broken is not None:
                return VerifyResult(count, broken)
            if checkpoint is not None and event.seq == checkpoint.seq:
                if event.hash != checkpoint.hash:
                    return VerifyResult(
                        count,
                        ChainBreak(
                            event.seq, "event hash differs from the checkpoint: history rewritten"
                        ),
                    )
                checkpoint_seen = True
            expected_prev, expected_seq = event.hash, event.seq + 1
        if state is not None:
            state.observe(batch)
    head = session.get(AuditHead, HEAD_ID)
    if head is not None and (head.seq != expected_seq - 1 or head.hash != expected_prev):
        return VerifyResult(count, ChainBreak(expected_seq, "events after this point were removed"))
    if checkpoint is not None and checkpoint.seq == 0 and checkpoint.hash != GENESIS_HASH:
        return VerifyResult(count, ChainBreak(0, "a checkpoint at 0 must hold the genesis hash"))
    if not checkpoint_seen:
        assert checkpoint is not None
        return VerifyResult(
            count,
            ChainBreak(
                expected_seq,
                f"the chain ends at event {expected_seq - 1} but the checkpoint holds event "
                f"{checkpoint.seq}: events were removed",
            ),
        )
    if state is None:
        return VerifyResult(count, None)
    found = state.finish()
    return VerifyResult(count, None, tuple(found[:MISMATCHES_KEPT]), len(found))


def chain_head(session: Session) -> Checkpoint:
    """The newest event's seq and hash, which the head row must agree with."""
    last = session.scalar(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
    head = session.get(AuditHead, HEAD_ID)
    current = Checkpoint(last.seq, last.hash) if last else Checkpoint(0, GENESIS_HASH)
    if head is not None and (head.seq, head.hash) != (current.seq, current.hash):
        raise ChainHeadMismatch(
            f"the head row says event {head.seq} but the newest event is {current.seq}; "
            "run `inspect-svc audit verify`"
        )
    return current


class ChainHeadMismatch(Exception):
    """The head row and the newest event disagree: the chain was tampered with."""

"""Incremental export cursors, with the audit event sequence as the change clock.

A case's change position is the highest audit `seq` among the events that
carry its `shipment_id`. A page holds the cases whose position is above the
cursor, ordered by position; the next cursor is the last case's position.
Audit sequence numbers are assigned under the `audit_head` lock in commit
order, so the committed positions always form a gap-free prefix: a consumer
paging while decisions arrive sees each case once per change (a case
changed after it was exported comes back later with its new position).

Cursors look like `v1.<seq>`; clients pass them back unchanged and should
not build them (the `v1.` prefix leaves room for another clock later).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_svc.models.triage import Shipment

START = 0
MAX_SEQ = 2**31 - 1
CURSOR_PATTERN = r"^v1\.(0|[1-9][0-9]{0,17})$"
_CURSOR = re.compile(CURSOR_PATTERN)


class CursorError(ValueError):
    """The text is not a cursor this service issued."""


def encode_cursor(seq: int) -> str:
    return f"v1.{seq}"


def decode_cursor(text: str | None) -> int:
    """The audit seq a cursor stands for; an absent or empty cursor means the beginning."""
    if not text:
        return START
    match = _CURSOR.match(text)
    if match is None:
        raise CursorError("not a cursor issued by this service")
    # A position past any the audit column can hold simply means "after everything".
    return min(int(match.group(1)), MAX_SEQ)


@dataclass(frozen=True)
class CasePosition:
    shipment_id: int
    seq: int


@dataclass(frozen=True)
class CasePage:
    positions: list[CasePosition]
    next_seq: int
    more: bool


def changed_cases(session: Session, after: int, limit: int | None) -> CasePage:
    """Cases whose latest audit event is after `after`, in change order, at most `limit`.

    Reads the position stamped on each shipment by the audit append, through
    its index: a page costs the same however many events came before it.
    """
    statement = (
        select(Shipment.id, Shipment.change_seq)
        .where(Shipment.change_seq > after)
        .order_by(Shipment.change_seq)
    )
    if limit is not None:
        statement = statement.limit(limit + 1)
    rows = session.execute(statement).all()
    more = limit is not None and len(rows) > limit
    positions = [
        CasePosition(shipment_id, seq) for shipment_id, seq in rows[:limit] if seq is not None
    ]
    next_seq = positions[-1].seq if positions else after
    return CasePage(positions, next_seq, more)

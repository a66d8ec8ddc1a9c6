"""Entries of the same goods: a re-filed entry, an in-bond entry followed by consumption,
a warehouse or FTZ withdrawal.

Shipments are linked when one names the other's entry number among its
`related_entries` (either direction, and on through a chain) or when both
carry the same transport document. Their packs are re-sightings, not clones
(docs/entry-data.md). Every look-up goes through an indexed key column.
"""

from __future__ import annotations

import re

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from inspect_svc.models.triage import RelatedEntry, Shipment

MAX_LINKED = 50
"""Linked shipments followed at most (a chain of entries is short; this bounds a bad one)."""
MAX_ROUNDS = 5
"""Steps followed along a chain of related entries."""

_NOT_KEY = re.compile(r"[^0-9A-Z]")


def link_key(text: str | None) -> str | None:
    """The entry number or transport document as letters and digits, upper case.

    >>> link_key("k80-2162679-2")
    'K8021626792'
    >>> link_key(" - ") is None
    True
    """
    if not text:
        return None
    key = _NOT_KEY.sub("", text.upper())[:64]
    return key or None


def linked_shipment_ids(session: Session, shipment: Shipment) -> frozenset[int]:
    """Other shipments carrying the same goods as `shipment`, through related entries or
    the same transport document."""
    found: set[int] = set()
    if shipment.transport_key:
        found.update(
            session.scalars(
                select(Shipment.id)
                .where(Shipment.transport_key == shipment.transport_key)
                .limit(MAX_LINKED)
            )
        )
    frontier = {shipment.id}
    keys = {k for k in (shipment.entry_key,) if k}
    for _ in range(MAX_ROUNDS):
        if not frontier or len(found) >= MAX_LINKED:
            break
        named = set(
            session.scalars(
                select(RelatedEntry.entry_key).where(RelatedEntry.shipment_id.in_(frontier))
            )
        )
        conditions = []
        if named:
            conditions.append(Shipment.entry_key.in_(named))
        if keys:
            conditions.append(
                Shipment.id.in_(
                    select(RelatedEntry.shipment_id).where(RelatedEntry.entry_key.in_(keys))
                )
            )
        if not conditions:
            break
        rows = session.execute(
            select(Shipment.id, Shipment.entry_key).where(or_(*conditions)).limit(MAX_LINKED)
        ).all()
        new = {row.id for row in rows} - found - {shipment.id}
        found.update(new)
        frontier = new
        keys = {row.entry_key for row in rows if row.id in new and row.entry_key}
    found.discard(shipment.id)
    return frozenset(found)

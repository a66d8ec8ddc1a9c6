"""Entries of the same goods: a re-filed entry, an in-bond entry followed by consumption,
a warehouse or FTZ withdrawal.

Shipments are linked when one names the other's entry number among its
`related_entries` (either direction, and on through a chain) or when both
carry the same transport document. Their packs are re-sightings, not clones
(docs/entry-data.md). Every look-up goes through an indexed key column.
"""

from __future__ import annotations

import re

from sqlalchemy import bindparam, select, union_all
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


# Built once: these run on every scan.
_SAME_TRANSPORT = (
    select(Shipment.id).where(Shipment.transport_key == bindparam("key")).limit(MAX_LINKED)
)
# One round along the links, in one statement: shipments whose entry number the
# frontier names, and shipments naming one of the frontier's entry numbers. A
# UNION of two selects, not one OR: each takes its own index (an OR with a
# sub-select makes PostgreSQL scan the whole shipment table).
_ROUND = union_all(
    select(Shipment.id, Shipment.entry_key).where(
        Shipment.entry_key.in_(
            select(RelatedEntry.entry_key).where(
                RelatedEntry.shipment_id.in_(bindparam("ids", expanding=True))
            )
        )
    ),
    select(Shipment.id, Shipment.entry_key)
    .join(RelatedEntry, RelatedEntry.shipment_id == Shipment.id)
    .where(RelatedEntry.entry_key.in_(bindparam("keys", expanding=True))),
).limit(2 * MAX_LINKED)


def linked_shipment_ids(session: Session, shipment: Shipment) -> frozenset[int]:
    """Other shipments carrying the same goods as `shipment`, through related entries or
    the same transport document."""
    found: set[int] = set()
    if shipment.transport_key:
        found.update(session.scalars(_SAME_TRANSPORT, {"key": shipment.transport_key}))
    frontier = {shipment.id}
    keys = {k for k in (shipment.entry_key,) if k}
    for _ in range(MAX_ROUNDS):
        if not frontier or len(found) >= MAX_LINKED:
            break
        rows = session.execute(_ROUND, {"ids": sorted(frontier), "keys": sorted(keys)}).all()
        new = {shipment_id for shipment_id, _ in rows} - found - {shipment.id}
        found.update(new)
        frontier = new
        keys = {key for shipment_id, key in rows if shipment_id in new and key}
    found.discard(shipment.id)
    return frozenset(found)

"""Which shipments carry the same goods: related entries (both directions, along a chain)
and the same transport document, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from inspect_svc.models.triage import RelatedEntry, Shipment
from inspect_svc.triage.entry_links import link_key, linked_shipment_ids


def _shipment(session: Session, entry: str, *related: str, transport: str | None = None) -> Any:
    now = datetime.now(UTC)
    shipment = Shipment(
        entry_number=entry,
        port_code="2704",
        mode="air",
        origin_country="US",
        parties={},
        findings=[],
        reference_as_of={},
        created_at=now,
        updated_at=now,
        related_entries=list(related),
        entry_key=link_key(entry),
        transport_document=transport,
        transport_key=link_key(transport),
    )
    shipment.related_entry_links = [RelatedEntry(entry_key=link_key(r)) for r in related]
    session.add(shipment)
    session.flush()
    return shipment


def test_links_follow_related_entries_both_ways_and_the_transport_document(
    engine: Engine,
) -> None:
    with Session(engine) as session:
        in_bond = _shipment(session, "K80-2162679-2")
        consumption = _shipment(session, "K80-9034518-3", "k80 2162679 2")
        refiled = _shipment(session, "KL1-0283935-6", "K80-9034518-3")
        same_awb = _shipment(session, "ABC-1234567-6", transport="176-12345675")
        other_leg = _shipment(session, "AWB-2", transport="17612345675")
        unrelated = _shipment(session, "XYZ-0000001-0", transport="176-99999999")

        assert linked_shipment_ids(session, refiled) == {in_bond.id, consumption.id}
        assert linked_shipment_ids(session, in_bond) == {consumption.id, refiled.id}
        assert linked_shipment_ids(session, same_awb) == {other_leg.id}
        assert linked_shipment_ids(session, unrelated) == frozenset()

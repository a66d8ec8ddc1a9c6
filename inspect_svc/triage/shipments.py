"""Shipment operations: create, find, list with filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from inspect_core.ndc import normalise_declared_ndc
from inspect_svc.actors import Actor
from inspect_svc.audit import EventInput, append_events
from inspect_svc.cases.selectivity import update_lane
from inspect_svc.domain_errors import ShipmentNotFound
from inspect_svc.models.triage import (
    LINE_ENTRY_FIELDS,
    DeclaredLine,
    RelatedEntry,
    Scan,
    Shipment,
)
from inspect_svc.triage.assessments import assess, assessed_event
from inspect_svc.triage.entry_links import link_key
from inspect_svc.triage.reference_source import ReferenceSource
from inspect_svc.triage.runtime import TriageRuntime

PARTY_ROLES = ("manufacturer", "shipper", "importer", "consignee")


def create_shipment(
    session: Session, data: dict[str, Any], actor: Actor, runtime: TriageRuntime
) -> Shipment:
    """Store the shipment and assess it at once: entry, party and origin rules need no scan."""
    reference = runtime.reference
    now = datetime.now(UTC)
    shipment = Shipment(
        entry_number=data["entry_number"],
        port_code=data["port_code"],
        mode=data["mode"],
        origin_country=data["origin_country"],
        export_country=data.get("export_country"),
        parties={role: data[role] for role in PARTY_ROLES if data.get(role)},
        created_by=actor.user_id,
        created_at=now,
        updated_at=now,
        findings=[],
        reference_as_of={},
        entry_type=data.get("entry_type"),
        transport_document=data.get("transport_document"),
        related_entries=list(data.get("related_entries", [])),
        arrival_date=data.get("arrival_date"),
        entry_key=link_key(data["entry_number"]),
        transport_key=link_key(data.get("transport_document")),
    )
    related_keys = {link_key(number) for number in data.get("related_entries", [])}
    for key in sorted(k for k in related_keys if k and k != shipment.entry_key):
        shipment.related_entry_links.append(RelatedEntry(entry_key=key))
    for number, line in enumerate(data.get("declared_lines", []), start=1):
        affirmations = [dict(a) for a in line.get("affirmations", [])]
        shipment.declared_lines.append(
            DeclaredLine(
                line_number=number,
                ndc=line.get("ndc"),
                ndc10=_line_ndc10(line.get("ndc"), affirmations, reference),
                quantity=line["quantity"],
                unit=line.get("unit"),
                lots=list(line.get("lots", [])),
                affirmations=affirmations,
                **{name: line.get(name) for name in LINE_ENTRY_FIELDS},
            )
        )
    session.add(shipment)
    session.flush()
    assessment = assess(session, shipment, runtime, "created")
    created = EventInput(
        actor=actor.name,
        action="shipment.created",
        subject=f"shipment:{shipment.id}",
        shipment_id=shipment.id,
        payload={"entry_number": shipment.entry_number, "request": data},
    )
    append_events(session, [created, assessed_event(actor.name, assessment)])
    update_lane(
        session, shipment, assessment, runtime.policy, runtime.selectivity_secret, actor.name
    )
    return shipment


def _line_ndc10(
    ndc: str | None, affirmations: list[dict[str, str]], reference: ReferenceSource
) -> str | None:
    """The line's NDC: as declared, else the 10 digits of its Drug Listing (DLS) affirmation."""
    if ndc:
        return _declared_ndc10(ndc, reference)
    for affirmation in affirmations:
        qualifier = (affirmation.get("qualifier") or "").replace("-", "")
        if affirmation.get("code") == "DLS" and len(qualifier) == 10 and qualifier.isdigit():
            return qualifier
    return None


def _declared_ndc10(text: str, reference: ReferenceSource) -> str | None:
    """The 10 digits of a declared NDC; an ambiguous 11-digit form is settled by the directory."""
    declared = normalise_declared_ndc(text)
    if declared is None:
        return None
    if declared.ndc10 is not None:
        return declared.ndc10
    listed = [c for c in declared.candidates if reference.products_for(c)]
    return listed[0] if len(listed) == 1 else None


_SHIPMENT = select(Shipment).where(Shipment.id == bindparam("shipment_id"))
_SHIPMENT_FOR_UPDATE = _SHIPMENT.with_for_update()


def get_shipment(session: Session, shipment_id: int, *, for_update: bool = False) -> Shipment:
    statement = _SHIPMENT_FOR_UPDATE if for_update else _SHIPMENT
    shipment = session.scalar(statement, {"shipment_id": shipment_id})
    if shipment is None:
        raise ShipmentNotFound(shipment_id)
    return shipment


@dataclass(frozen=True)
class ShipmentPage:
    items: list[Shipment]
    total: int
    scan_counts: dict[int, int]


def list_shipments(session: Session, filters: dict[str, Any]) -> ShipmentPage:
    statement = select(Shipment)
    if "status" in filters:
        statement = statement.where(Shipment.status == filters["status"])
    if "recommendation" in filters:
        statement = statement.where(Shipment.recommendation == filters["recommendation"])
    if "origin" in filters:
        statement = statement.where(Shipment.origin_country == filters["origin"])
    if "port" in filters:
        statement = statement.where(Shipment.port_code == filters["port"])
    if "since" in filters:
        statement = statement.where(Shipment.updated_at >= filters["since"])
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    page, per_page = filters["page"], filters["per_page"]
    items = list(
        session.scalars(
            statement.order_by(Shipment.id.desc()).offset((page - 1) * per_page).limit(per_page)
        )
    )
    counts = dict(
        session.execute(
            select(Scan.shipment_id, func.count())
            .where(Scan.shipment_id.in_([s.id for s in items]))
            .group_by(Scan.shipment_id)
        ).all()
    )
    return ShipmentPage(items, total, {k: int(v) for k, v in counts.items()})

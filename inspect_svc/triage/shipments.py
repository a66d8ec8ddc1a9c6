"""Shipment operations: create, list with filters, and the views the API returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inspect_svc.audit import EventInput, append_events
from inspect_svc.auth import Actor
from inspect_svc.cases.selectivity import update_lane
from inspect_svc.models.triage import DeclaredLine, Scan, Shipment
from inspect_svc.ndc import normalise_declared_ndc
from inspect_svc.problems import Problem
from inspect_svc.triage.assessments import assess, assessed_event
from inspect_svc.triage.reference_source import ReferenceSource
from inspect_svc.triage.runtime import TriageRuntime

PARTY_ROLES = ("manufacturer", "shipper", "importer")


def create_shipment(
    session: Session, data: dict[str, Any], actor: Actor, runtime: TriageRuntime
) -> Shipment:
    """Store the shipment and assess it at once: entry, party and origin rules need no scan."""
    reference = runtime.reference
    now = datetime.now().astimezone()
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
    )
    for number, line in enumerate(data.get("declared_lines", []), start=1):
        shipment.declared_lines.append(
            DeclaredLine(
                line_number=number,
                ndc=line["ndc"],
                ndc10=_declared_ndc10(line["ndc"], reference),
                quantity=line["quantity"],
                unit=line.get("unit"),
                lots=list(line.get("lots", [])),
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
    update_lane(session, shipment, actor.name)
    return shipment


def _declared_ndc10(text: str, reference: ReferenceSource) -> str | None:
    """The 10 digits of a declared NDC; an ambiguous 11-digit form is settled by the directory."""
    declared = normalise_declared_ndc(text)
    if declared is None:
        return None
    if declared.ndc10 is not None:
        return declared.ndc10
    listed = [c for c in declared.candidates if reference.products_for(c)]
    return listed[0] if len(listed) == 1 else None


def get_shipment(session: Session, shipment_id: int, *, for_update: bool = False) -> Shipment:
    statement = select(Shipment).where(Shipment.id == shipment_id)
    if for_update:
        statement = statement.with_for_update()
    shipment = session.scalar(statement)
    if shipment is None:
        raise Problem(404, f"No shipment with id {shipment_id}.", problem="shipment-not-found")
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


def shipment_view(shipment: Shipment, scan_count: int) -> dict[str, Any]:
    return {
        "id": shipment.id,
        "entry_number": shipment.entry_number,
        "port_code": shipment.port_code,
        "mode": shipment.mode,
        "origin_country": shipment.origin_country,
        "export_country": shipment.export_country,
        "manufacturer": shipment.parties.get("manufacturer"),
        "shipper": shipment.parties.get("shipper"),
        "importer": shipment.parties.get("importer"),
        "declared_lines": [declared_line_view(line) for line in shipment.declared_lines],
        "status": shipment.status,
        "risk_score": shipment.risk_score,
        "recommendation": shipment.recommendation,
        "ruleset_version": shipment.ruleset_version,
        "findings": shipment.findings,
        "reference_as_of": shipment.reference_as_of,
        "assessment_id": shipment.assessment_id,
        "reopened_reason": shipment.reopened_reason,
        "created_at": shipment.created_at,
        "updated_at": shipment.updated_at,
        "scan_count": scan_count,
        "lane": shipment.lane,
        "selected_by": shipment.selected_by,
    }


def declared_line_view(line: DeclaredLine) -> dict[str, Any]:
    return {
        "line_number": line.line_number,
        "ndc": line.ndc,
        "ndc10": line.ndc10,
        "quantity": line.quantity,
        "unit": line.unit,
        "lots": line.lots,
    }


def scan_view(scan: Scan, product: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "scan_id": scan.id,
        "raw": scan.raw,
        "device_id": scan.device_id,
        "device_flags": scan.device_flags or [],
        "scanned_at": scan.scanned_at.isoformat() if scan.scanned_at else None,
        "verdict": scan.verdict,
        "score": scan.score,
        "duplicate": scan.duplicate,
        "interpretation": scan.interpretation,
        "findings": scan.findings,
        "product": product,
    }


def shipment_summary(shipment: Shipment) -> dict[str, Any]:
    return {
        "id": shipment.id,
        "risk_score": shipment.risk_score,
        "recommendation": shipment.recommendation,
        "ruleset_version": shipment.ruleset_version,
        "status": shipment.status,
        "findings": shipment.findings,
        "lane": shipment.lane,
        "selected_by": shipment.selected_by,
        "assessment_id": shipment.assessment_id,
        "reopened_reason": shipment.reopened_reason,
    }

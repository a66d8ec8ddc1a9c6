"""Everything the pages show about one shipment: the API's detail view plus its history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from inspect_svc.api.views import shipment_detail
from inspect_svc.cases.decisions import is_override
from inspect_svc.current import triage_runtime
from inspect_svc.db import db
from inspect_svc.models.audit import AuditEvent
from inspect_svc.models.triage import Shipment

AUDIT_EVENTS_SHOWN = 200
ENTRY_TYPE_NAMES = {
    "01": "consumption",
    "02": "consumption, quota/visa",
    "03": "consumption, AD/CVD",
    "06": "FTZ consumption",
    "11": "informal",
    "21": "warehouse",
    "31": "warehouse withdrawal for consumption",
    "61": "in-bond immediate transportation",
    "62": "in-bond transportation and exportation",
    "63": "in-bond immediate exportation",
    "86": "section 321 low value",
}
"""CBP entry type codes named on the case page (docs/entry-data.md)."""


def case_view(shipment: Shipment) -> dict[str, Any]:
    """The shipment as `GET /api/v1/shipments/{id}` shows it (decisions included), newest
    scan first, with its audit events and the actions that would override."""
    view = shipment_detail(db.session, shipment, triage_runtime())
    view["scans"] = list(reversed(view["scans"]))
    view["audit_events"] = audit_events(shipment.id)
    view["random_selected"] = bool(shipment.random_selected)
    view["entry_type_name"] = ENTRY_TYPE_NAMES.get((shipment.entry_type or "").strip())
    view["overrides"] = [
        action
        for action in ("release", "exam", "detain")
        if is_override(action, shipment.recommendation)
    ]
    return view


def audit_events(shipment_id: int) -> list[AuditEvent]:
    """The case's audit events in chain order."""
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.shipment_id == shipment_id)
            .order_by(AuditEvent.seq)
            .limit(AUDIT_EVENTS_SHOWN)
        )
    )

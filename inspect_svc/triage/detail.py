"""The full view of one shipment: declaration, scans with products, findings, decisions."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from inspect_svc.cases.decisions import decision_views, decisions_of
from inspect_svc.cases.exam_results import exam_result_view, exam_results_of
from inspect_svc.models.triage import Shipment
from inspect_svc.triage.runtime import TriageRuntime
from inspect_svc.triage.service import product_view
from inspect_svc.triage.shipments import scan_view, shipment_view


def shipment_detail(session: Session, shipment: Shipment, runtime: TriageRuntime) -> dict[str, Any]:
    products: dict[str, dict[str, Any] | None] = {}
    scans = []
    for scan in shipment.scans:
        if scan.ndc10 and scan.ndc10 not in products:
            products[scan.ndc10] = product_view(runtime, scan.ndc10)
        scans.append(scan_view(scan, products.get(scan.ndc10) if scan.ndc10 else None))
    view = shipment_view(shipment, len(scans))
    view["scans"] = scans
    view["decisions"] = decision_views(decisions_of(session, shipment.id))
    view["exam_results"] = [exam_result_view(r) for r in exam_results_of(session, shipment.id)]
    return view

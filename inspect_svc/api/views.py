"""Views the API (and the pages) show of stored shipments: plain dicts the schemas dump."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from inspect_svc.cases.decisions import decision_views, decisions_of
from inspect_svc.cases.exam_results import exam_result_view, exam_results_of
from inspect_svc.models.triage import Shipment
from inspect_svc.triage.runtime import TriageRuntime
from inspect_svc.triage.shipments import scan_view, shipment_view


def product_view(runtime: TriageRuntime, ndc10: str | None) -> dict[str, Any] | None:
    """What an inspector needs to recognise the product of a scan."""
    if not ndc10:
        return None
    products = runtime.reference.products_for(ndc10)
    if not products:
        return None
    product = products[0]
    return {
        "ndc": product.ndc,
        "name": product.proprietary_name,
        "generic_name": product.nonproprietary_name,
        "labeler": product.labeler_name,
        "dosage_form": product.dosage_form,
        "product_type": product.product_type,
        "package": product.package_description,
        "variant": product.variant,
    }


def shipment_detail(session: Session, shipment: Shipment, runtime: TriageRuntime) -> dict[str, Any]:
    """The full view of one shipment: declaration, scans with products, findings, decisions."""
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

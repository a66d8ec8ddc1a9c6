"""Views the API (and the pages) show of stored objects: plain dicts the schemas dump.

What the audit chain records is built apart (`inspect_svc.audit_payloads`),
so a view can change without touching a hashed payload.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from inspect_svc.audit_payloads import assessment_payload
from inspect_svc.cases.decisions import decisions_of
from inspect_svc.cases.exam_results import exam_results_of
from inspect_svc.models.case import Decision
from inspect_svc.models.triage import Assessment, Scan, Shipment
from inspect_svc.row_records import declared_line_record, exam_result_record
from inspect_svc.triage.runtime import TriageRuntime


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
    view["exam_results"] = [exam_result_record(r) for r in exam_results_of(session, shipment.id)]
    return view


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
        "consignee": shipment.parties.get("consignee"),
        "entry_type": shipment.entry_type,
        "transport_document": shipment.transport_document,
        "related_entries": shipment.related_entries,
        "arrival_date": shipment.arrival_date,
        "declared_lines": [declared_line_record(line) for line in shipment.declared_lines],
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


def decision_views(decisions: Sequence[Decision]) -> list[dict[str, Any]]:
    """Views of one shipment's decisions with `superseded_by` filled in from the chain."""
    superseded_by = {d.supersedes_id: d.id for d in decisions if d.supersedes_id is not None}
    views = []
    for decision in decisions:
        view = decision_view(decision)
        view["superseded_by"] = superseded_by.get(decision.id)
        view["current"] = decision.id not in superseded_by
        views.append(view)
    return views


def decision_view(decision: Decision) -> dict[str, Any]:
    return {
        "id": decision.id,
        "shipment_id": decision.shipment_id,
        "action": decision.action,
        "reason_codes": list(decision.reason_codes),
        "notes": decision.notes,
        "justification": decision.justification,
        "actor_id": decision.actor_id,
        "actor_name": decision.actor_name,
        "role": decision.role,
        "decided_at": decision.decided_at.isoformat(),
        "recommendation_at_decision": decision.recommendation_at_decision,
        "risk_score_at_decision": decision.risk_score_at_decision,
        "findings_at_decision": list(decision.findings_at_decision),
        "ruleset_version": decision.ruleset_version,
        "supersedes_id": decision.supersedes_id,
        "override": decision.override,
        "assessment_id": decision.assessment_id,
    }


def assessment_view(assessment: Assessment) -> dict[str, Any]:
    """An assessment as the API shows it: the same record the audit chain keeps."""
    return assessment_payload(assessment)

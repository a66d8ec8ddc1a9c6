"""JSON Lines export: one case per line.

Each line holds the shipment, its declared lines, its scans with their
interpretation and findings, the shipment's finding rows, its decisions
(oldest first) and references to its audit events (seq and hash), so a
consumer can check the case against the audit chain.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from inspect_svc.cases.decisions import decision_view
from inspect_svc.cases.exports.records import CaseRecord
from inspect_svc.models.triage import Scan
from inspect_svc.triage.shipments import declared_line_view

CONTENT_TYPE = "application/x-ndjson"


def _scan(scan: Scan) -> dict[str, Any]:
    return {
        "scan_id": scan.id,
        "raw": scan.raw,
        "device_id": scan.device_id,
        "scanned_at": scan.scanned_at.isoformat() if scan.scanned_at else None,
        "received_at": scan.received_at.isoformat(),
        "interpretation": scan.interpretation,
        "verdict": scan.verdict,
        "score": scan.score,
        "duplicate": scan.duplicate,
        "findings": scan.findings,
        "ruleset_version": scan.ruleset_version,
    }


def case_document(case: CaseRecord) -> dict[str, Any]:
    shipment = case.shipment
    return {
        "case_id": shipment.id,
        "change_seq": case.position,
        "shipment": {
            "id": shipment.id,
            "entry_number": shipment.entry_number,
            "port_code": shipment.port_code,
            "mode": shipment.mode,
            "origin_country": shipment.origin_country,
            "export_country": shipment.export_country,
            "parties": shipment.parties,
            "entry_type": shipment.entry_type,
            "transport_document": shipment.transport_document,
            "related_entries": shipment.related_entries,
            "arrival_date": shipment.arrival_date.isoformat() if shipment.arrival_date else None,
            "status": shipment.status,
            "risk_score": shipment.risk_score,
            "recommendation": shipment.recommendation,
            "ruleset_version": shipment.ruleset_version,
            "findings": shipment.findings,
            "reference_as_of": shipment.reference_as_of,
            "created_at": shipment.created_at.isoformat(),
            "updated_at": shipment.updated_at.isoformat(),
        },
        "declared_lines": [declared_line_view(line) for line in case.shipment.declared_lines],
        "scans": [_scan(scan) for scan in case.scans],
        "findings": [
            {
                "rule": f.rule,
                "severity": f.severity,
                "weight": f.weight,
                "message": f.message,
                "scan_id": f.scan_id,
                "evidence": f.evidence,
            }
            for f in case.findings
        ],
        "decisions": [decision_view(d) for d in case.decisions],
        "audit": [{"seq": e.seq, "hash": e.hash, "action": e.action} for e in case.events],
    }


def render_jsonl(cases: Iterable[CaseRecord]) -> Iterator[str]:
    for case in cases:
        yield json.dumps(case_document(case), ensure_ascii=False, default=str) + "\n"

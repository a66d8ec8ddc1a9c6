"""JSON Lines export: one case per line.

Each line holds the shipment, its declared lines, its scans with their
interpretation and findings, the shipment's finding rows, its decisions
(oldest first, as their `decision.recorded` events hold them) and references
to its audit events (seq and hash), so a consumer can check the case against
the audit chain. The records are this format's own: API views may change,
an export line may not.

Text is written as UTF-8, except the characters other than LF that line
splitters treat as line ends (U+0085, U+2028, U+2029; the C0 ones are
always escaped by JSON): they are written as `\\uXXXX` escapes, so
`str.splitlines()` and JavaScript readers see one case per line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from inspect_svc.audit_payloads import decision_payload
from inspect_svc.cases.exports.records import CaseRecord
from inspect_svc.models.triage import Scan
from inspect_svc.row_records import declared_line_record, exam_result_record

CONTENT_TYPE = "application/x-ndjson"
# Line ends that json.dumps(ensure_ascii=False) would leave raw; they only occur inside strings.
_RAW_LINE_ENDS = str.maketrans({c: f"\\u{ord(c):04x}" for c in "\x85\u2028\u2029"})


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
            "lane": shipment.lane,
            "selected_by": shipment.selected_by,
        },
        "declared_lines": [declared_line_record(line) for line in case.shipment.declared_lines],
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
        "decisions": [decision_payload(d) for d in case.decisions],
        "exam_results": [exam_result_record(r) for r in case.exam_results],
        "audit": [{"seq": e.seq, "hash": e.hash, "action": e.action} for e in case.events],
    }


def json_line(document: dict[str, Any]) -> str:
    """One JSON Lines record: compact JSON, no raw line-end character inside, then LF."""
    text = json.dumps(document, ensure_ascii=False, default=str)
    return text.translate(_RAW_LINE_ENDS) + "\n"


def render_jsonl(cases: Iterable[CaseRecord]) -> Iterator[str]:
    for case in cases:
        yield json_line(case_document(case))

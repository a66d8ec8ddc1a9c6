"""JSON records of stored rows that the API and the case exports show alike."""

from __future__ import annotations

from typing import Any

from inspect_svc.models.selectivity import ExamResult
from inspect_svc.models.triage import LINE_ENTRY_FIELDS, DeclaredLine


def declared_line_record(line: DeclaredLine) -> dict[str, Any]:
    return {
        "line_number": line.line_number,
        "ndc": line.ndc,
        "ndc10": line.ndc10,
        "quantity": line.quantity,
        "unit": line.unit,
        "lots": line.lots,
        "affirmations": line.affirmations,
        **{name: getattr(line, name) for name in LINE_ENTRY_FIELDS},
    }


def exam_result_record(row: ExamResult) -> dict[str, Any]:
    return {
        "id": row.id,
        "shipment_id": row.shipment_id,
        "result": row.result,
        "charges": row.charges,
        "notes": row.notes,
        "recorded_by": row.actor_name,
        "role": row.role,
        "recorded_at": row.recorded_at.isoformat(),
        "lane": row.lane,
        "selected_by": row.selected_by,
    }

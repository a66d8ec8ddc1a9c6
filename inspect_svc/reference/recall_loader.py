"""Load openFDA drug enforcement reports (recalls) as a snapshot.

Input is openFDA's download shape, `{"meta": {...}, "results": [...]}`, as
`.json`, `.json.gz` or the `.zip` openFDA publishes. NDCs come from the
recall text (`product_description`, `code_info`), which the firm wrote;
the `openfda.package_ndc` list is openFDA's harmonisation and is sometimes
wrong, so it is stored with source "openfda" as a hint only.
"""

from __future__ import annotations

import contextlib
import json
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, insert

from inspect_core.datasets import RECALLS
from inspect_core.ndc import parse_hyphenated
from inspect_svc.models.reference import Recall, RecallLot, RecallNdc
from inspect_svc.reference.lots import extract_lots, lot_key
from inspect_svc.reference.recall_scope import read_scope
from inspect_svc.reference.recall_text import ndcs_in_text
from inspect_svc.reference.report import LoadReport
from inspect_svc.reference.rows import BATCH_ROWS, ProgressHook, table_of, too_long
from inspect_svc.reference.snapshots import replacing_snapshot
from inspect_svc.reference.sources import (
    SourceFile,
    newest_past_date,
    parse_yyyymmdd,
    snapshot_date,
)

RECALLS_TABLE = table_of(Recall)
NDCS_TABLE = table_of(RecallNdc)
LOTS_TABLE = table_of(RecallLot)
_DATES = {
    "report_date": "report_date",
    "recall_initiation_date": "initiation_date",
    "termination_date": "termination_date",
}


class RecallLoadError(ValueError):
    """The input is not an openFDA enforcement download."""


def read_records(sources: list[SourceFile]) -> tuple[list[dict[str, Any]], date | None]:
    """All `results` of the JSON files among `sources`, and openFDA's `last_updated`."""
    records: list[dict[str, Any]] = []
    updated: list[date] = []
    for source in sources:
        if not source.base_name.endswith(".json"):
            continue
        try:
            document = json.loads(source.data)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise RecallLoadError(f"{source.name}: not JSON ({exc})") from exc
        if not isinstance(document, dict) or not isinstance(document.get("results"), list):
            raise RecallLoadError(f"{source.name}: no 'results' list (not an openFDA download)")
        records.extend(document["results"])
        last = (document.get("meta") or {}).get("last_updated")
        if isinstance(last, str):
            with contextlib.suppress(ValueError):
                updated.append(date.fromisoformat(last))
    if not any(source.base_name.endswith(".json") for source in sources):
        raise RecallLoadError("no .json file among the inputs")
    return records, max(updated) if updated else None


def load_recalls(
    engine: Engine,
    sources: list[SourceFile],
    as_of: date | None = None,
    progress: ProgressHook | None = None,
) -> LoadReport:
    """Replace the recalls snapshot with the records of `sources`, in one transaction.

    `as_of` defaults to openFDA's `meta.last_updated`, then the zip member
    dates, then the newest `report_date` in the data.
    """
    records, last_updated = read_records(sources)
    report = LoadReport(RECALLS)
    prepared = []
    for index, record in enumerate(records, start=1):
        report.rows_read += 1
        row = _recall_row(record, report, index)
        if row is not None:
            prepared.append((row, record))
    newest = newest_past_date(row["report_date"] for row, _record in prepared)
    snapshot_as_of = as_of or last_updated or snapshot_date(sources, None, newest)
    report.as_of = snapshot_as_of.isoformat()
    described = [s.describe() for s in sources]
    tables = (LOTS_TABLE, NDCS_TABLE, RECALLS_TABLE)
    with (
        engine.begin() as connection,
        replacing_snapshot(connection, report, snapshot_as_of, described, tables) as snapshot_id,
    ):
        for start in range(0, len(prepared), BATCH_ROWS):
            _insert_batch(connection, snapshot_id, prepared[start : start + BATCH_ROWS])
            if progress is not None:
                progress(min(start + BATCH_ROWS, len(prepared)), len(prepared))
        report.rows_loaded = len(prepared)
    return report


def _recall_row(record: Any, report: LoadReport, index: int) -> dict[str, Any] | None:
    where = f"results[{index - 1}]"
    if not isinstance(record, dict):
        report.reject(where, index, "record is not an object")
        return None
    number = _text(record.get("recall_number"))
    if not number:
        report.reject(where, index, "no recall_number")
        return None
    try:
        dates = {attr: parse_yyyymmdd(_text(record.get(key)) or "") for key, attr in _DATES.items()}
    except ValueError:
        report.reject(number, index, "malformed date")
        return None
    extraction = extract_lots(_text(record.get("code_info")), _text(record.get("more_code_info")))
    scope = read_scope(
        _text(record.get("code_info")),
        _text(record.get("more_code_info")),
        _text(record.get("product_description")),
        _text(record.get("distribution_pattern")),
        _text(record.get("reason_for_recall")),
    )
    row: dict[str, Any] = {
        "recall_number": number,
        "event_id": _text(record.get("event_id")),
        "classification": _text(record.get("classification")),
        "status": _text(record.get("status")),
        "recalling_firm": _text(record.get("recalling_firm")),
        "country": _text(record.get("country")),
        "reason": _text(record.get("reason_for_recall")),
        "product_description": _text(record.get("product_description")),
        "code_info": _text(record.get("code_info")),
        "more_code_info": _text(record.get("more_code_info")),
        "all_lots": extraction.all_lots,
        "lot_confidence": extraction.confidence,
        "distribution_pattern": _text(record.get("distribution_pattern")),
        "within_expiry": scope.within_expiry,
        "distributed_from": scope.distributed_from,
        "distributed_until": scope.distributed_until,
        "expiry_from": scope.expiry_from,
        "expiry_until": scope.expiry_until,
        "distribution_scope": scope.distribution_scope,
        "distribution_countries": ",".join(scope.distribution_countries[:40]) or None,
        **dates,
    }
    long_column = too_long(RECALLS_TABLE, row)
    if long_column:
        report.reject(number, index, f"value too long for {long_column}")
        return None
    row["_lots"] = [(lot, None) for lot in extraction.lots] + [
        (lot_range.first, lot_range.last) for lot_range in extraction.ranges
    ]
    return row


def _insert_batch(
    connection: Connection, snapshot_id: int, batch: list[tuple[dict[str, Any], Any]]
) -> None:
    rows = [
        {key: value for key, value in row.items() if not key.startswith("_")}
        | {"snapshot_id": snapshot_id}
        for row, _record in batch
    ]
    ids = (
        connection.execute(insert(Recall).returning(Recall.id, sort_by_parameter_order=True), rows)
        .scalars()
        .all()
    )
    ndc_rows: list[dict[str, Any]] = []
    lot_rows: list[dict[str, Any]] = []
    for recall_id, (row, record) in zip(ids, batch, strict=True):
        ndc_rows.extend(
            {"snapshot_id": snapshot_id, "recall_id": recall_id, **ndc} for ndc in _ndcs(record)
        )
        lot_rows.extend(
            {
                "snapshot_id": snapshot_id,
                "recall_id": recall_id,
                "lot": lot[:80],
                "lot_key": lot_key(lot)[:80],
                "range_last": last[:80] if last else None,
            }
            for lot, last in row["_lots"]
        )
    if ndc_rows:
        connection.execute(insert(RecallNdc), ndc_rows)
    if lot_rows:
        connection.execute(insert(RecallLot), lot_rows)


def _ndcs(record: dict[str, Any]) -> list[dict[str, Any]]:
    text = " ".join(_text(record.get(key)) or "" for key in ("product_description", "code_info"))
    found = {
        item.ndc10: {"ndc10": item.ndc10, "ndc": item.ndc, "source": "description"}
        for item in ndcs_in_text(text)
    }
    openfda = record.get("openfda") or {}
    for code in openfda.get("package_ndc") or []:
        ndc = parse_hyphenated(str(code))
        if ndc is not None and ndc.ndc10 not in found:
            found[ndc.ndc10] = {"ndc10": ndc.ndc10, "ndc": ndc.hyphenated, "source": "openfda"}
    return list(found.values())


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None

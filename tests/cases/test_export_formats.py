"""CSV and JSON Lines exports: columns, identifiers with leading zeros, formula injection."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

from inspect_svc.cases.exports.csv import COLUMNS, identifier_value
from tests.cases.export_kit import fetch

Auth = Callable[[str], dict[str, str]]


def decide(client: FlaskClient, headers: dict[str, str], shipment_id: int, **body: Any) -> None:
    body.setdefault("reason_codes", ["documents_ok"])
    response = client.post(f"/api/v1/shipments/{shipment_id}/decisions", json=body, headers=headers)
    assert response.status_code == 201, response.json


def test_csv_rows_keep_identifiers_and_defuse_formulas(
    client: FlaskClient, auth: Auth, make_case: Callable[..., int]
) -> None:
    shipment_id = make_case(
        entry_number="00012345678",
        port_code="0401",
        declared_ndcs=("0002-1407-01",),
        manufacturer='=HYPERLINK("http://x")',
    )
    undecided = make_case(entry_number='007"&A1&"', recommendation="release", rules=())
    decide(client, auth("inspector"), shipment_id, action="exam", notes="-2+3")
    decide(
        client,
        auth("officer"),
        shipment_id,
        action="release",
        justification="@SUM(A1:A2) checked",
        reason_codes=["documents_ok", "other"],
    )

    page = fetch(client, auth("officer"), "csv")
    assert page.content_type.startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(page.body, newline="")))
    assert tuple(rows[0]) == COLUMNS
    by_case = [r for r in rows if r["case_id"] == str(shipment_id)]
    assert len(by_case) == 2
    first, second = by_case
    assert identifier_value(first["entry_number"]) == "00012345678"
    assert first["entry_number"] == '="00012345678"'
    assert identifier_value(first["port_code"]) == "0401"
    assert identifier_value(first["declared_ndcs"]) == "0002-1407-01"
    assert identifier_value(first["scanned_gtins"]).split() == [
        "00300021407018",
        "00350458579307",
        "08712345678906",
    ]
    assert first["manufacturer"] == '\'=HYPERLINK("http://x")'
    assert first["notes"] == "'-2+3"
    assert second["justification"] == "'@SUM(A1:A2) checked"
    assert (first["decision_action"], second["decision_action"]) == ("exam", "release")
    assert (first["current"], second["current"]) == ("false", "true")
    assert second["supersedes_id"] == first["decision_id"]
    assert second["override"] == "true" and second["reason_codes"] == "documents_ok other"
    assert first["rules_fired"] == "R9_SERIAL_CLONED"

    lone = next(r for r in rows if r["case_id"] == str(undecided))
    assert lone["decision_id"] == ""
    assert identifier_value(lone["entry_number"]) == '007"&A1&"'
    assert lone["entry_number"] == '="007""&A1&"""'


def test_jsonl_has_one_case_per_line_with_audit_references(
    client: FlaskClient, auth: Auth, make_case: Callable[..., int]
) -> None:
    first = make_case(entry_number="A1")
    second = make_case(entry_number="A2")
    decide(client, auth("inspector"), first, action="exam")

    page = fetch(client, auth("officer"), "jsonl")
    assert page.content_type == "application/x-ndjson"
    cases = [json.loads(line) for line in page.body.splitlines()]
    assert [c["case_id"] for c in cases] == [second, first]  # change order
    case = cases[1]
    assert case["shipment"]["entry_number"] == "A1"
    assert case["declared_lines"][0]["ndc"] == "0002-1407-01"
    assert case["scans"][0]["interpretation"]["gtin"] == "00300021407018"
    assert case["findings"][0]["rule"] == "R9_SERIAL_CLONED"
    assert [d["action"] for d in case["decisions"]] == ["exam"]
    assert [a["action"] for a in case["audit"]] == [
        "shipment.created",
        *["scan.stored"] * 3,
        "shipment.assessed",
        "decision.recorded",
    ]
    assert case["change_seq"] == case["audit"][-1]["seq"]
    assert all(len(a["hash"]) == 64 for a in case["audit"])

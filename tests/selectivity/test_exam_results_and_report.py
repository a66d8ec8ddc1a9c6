"""Exam results, and the hit-rate report against a hand count over cases built through the API."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from inspect_svc.app import create_app
from inspect_svc.cases.wilson import wilson_interval
from inspect_svc.db import db
from inspect_svc.settings import Settings
from tests.selectivity.conftest import write_policy
from tests.triage.conftest import QUINIDINE_GTIN, pack

Headers = Callable[[str], dict[str, str]]
EXPIRED = {"expiry": "200131", "lot": "OLD1"}


def ci(violations: int, exams: int) -> list[float]:
    return [round(x, 4) for x in wilson_interval(violations, exams)]


def row(shipments: int, exams: int, violations: int) -> dict[str, Any]:
    return {
        "shipments": shipments,
        "exams": exams,
        "violations": violations,
        "hit_rate": round(violations / exams, 4) if exams else None,
        "ci95": ci(violations, exams),
    }


def record_exam(client: FlaskClient, auth: Headers, shipment_id: int, **body: Any) -> Any:
    return client.post(
        f"/api/v1/shipments/{shipment_id}/exam-results", json=body, headers=auth("inspector")
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"result": "violation", "charges": ["NOT LISTED", "SMUGGLED"]}, "charges"),
        ({"result": "guilty"}, "result"),
        ({"charges": ["NOT LISTED"]}, "result"),
        ({"result": "violation", "charges": "NOT LISTED"}, "charges"),
        ({"result": "violation", "notes": 7}, "notes"),
    ],
)
def test_bad_exam_results_are_refused_naming_the_field(
    client: FlaskClient, auth: Headers, new_shipment: Any, body: dict[str, Any], field: str
) -> None:
    response = record_exam(client, auth, new_shipment(), **body)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert field in response.get_json()["errors"]


def test_exam_results_are_stored_audited_shown_and_exported(
    app: Flask, client: FlaskClient, auth: Headers, new_shipment: Any, post_scan: Any
) -> None:
    shipment_id = new_shipment()
    post_scan(shipment_id, pack(QUINIDINE_GTIN, "X1"))
    assert record_exam(client, auth, 999_999, result="violation").status_code == 404
    first = record_exam(client, auth, shipment_id, result="inconclusive", notes="lab pending")
    assert first.status_code == 201
    second = record_exam(
        client, auth, shipment_id, result="violation", charges=["COUNTERFEIT", "NOT LISTED"]
    )
    assert second.status_code == 201
    assert second.get_json()["charges"] == ["COUNTERFEIT", "NOT LISTED"]
    assert second.get_json()["lane"] == "yellow"
    detail = client.get(f"/api/v1/shipments/{shipment_id}", headers=auth("inspector")).get_json()
    assert [r["result"] for r in detail["exam_results"]] == ["inconclusive", "violation"]
    listed = client.get(
        f"/api/v1/shipments/{shipment_id}/exam-results", headers=auth("inspector")
    ).get_json()["items"]
    assert [r["id"] for r in listed] == [first.get_json()["id"], second.get_json()["id"]]

    exported = client.get("/api/v1/exports/cases?format=csv", headers=auth("officer"))
    (line,) = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert (line["lane"], line["selected_by"]) == ("yellow", "rules")
    assert (line["exam_result"], line["exam_charges"]) == ("violation", "COUNTERFEIT;NOT LISTED")
    document = json.loads(
        client.get("/api/v1/exports/cases?format=jsonl", headers=auth("officer")).get_data()
    )
    assert document["shipment"]["lane"] == "yellow"
    assert [r["result"] for r in document["exam_results"]] == ["inconclusive", "violation"]
    assert "random_draw" not in json.dumps(document)
    assert [e["action"] for e in document["audit"]].count("exam.recorded") == 2

    with app.app_context(), pytest.raises(DBAPIError), db.engine.begin() as connection:
        connection.execute(text("UPDATE exam_result SET result = 'no_violation'"))


@pytest.fixture
def app_not_random(app: Flask, app_settings: Settings, tmp_path: Path) -> Iterator[Flask]:
    """A second app on the same database whose policy draws nobody (the first draws everyone)."""
    db.dispose()
    other = create_app(
        app_settings.replace(rules={"policy_file": str(write_policy(tmp_path, 0.0, name="never"))})
    )
    other.config["TESTING"] = True
    yield other


@pytest.mark.parametrize("policy_options", [{"random_rate": 1.0}])
def test_the_report_equals_a_hand_count(
    app: Flask,
    sample_reference: None,
    app_not_random: Flask,
    client: FlaskClient,
    auth: Headers,
    new_shipment: Any,
) -> None:
    start = datetime.now(UTC)
    # Drawn at random (policy rate 1): a1 violation, a2 clean, a3 not examined.
    a1, a2, _a3 = (new_shipment(entry_number=f"A-{n}") for n in (1, 2, 3))
    other = app_not_random.test_client()

    def create(entry: str) -> int:
        body = {
            "entry_number": entry,
            "port_code": "2704",
            "mode": "air",
            "origin_country": "DE",
            "manufacturer": {"name": "Example Manufacturer GmbH", "country": "DE"},
        }
        response = other.post("/api/v1/shipments", json=body, headers=auth("inspector"))
        assert response.status_code == 201
        assert response.get_json()["selected_by"] is None
        shipment_id: int = response.get_json()["id"]
        return shipment_id

    def scan(shipment_id: int, raw: str) -> None:
        response = other.post(
            f"/api/v1/shipments/{shipment_id}/scans", json={"raw": raw}, headers=auth("inspector")
        )
        assert response.status_code == 201

    # Selected by the rules: b1, b2, b5 exam (R7 = 50), b3 detain (R5 + R7 = 100).
    b1, b2, b3, _b4, b5 = (create(f"B-{n}") for n in range(1, 6))
    for shipment_id, serial in ((b1, "S1"), (b2, "S2"), (b5, "S5")):
        scan(shipment_id, pack(QUINIDINE_GTIN, serial))
    scan(b3, pack(QUINIDINE_GTIN, "S3", **EXPIRED))
    decision = {"action": "exam", "reason_codes": ["unknown_product"]}
    response = other.post(
        f"/api/v1/shipments/{b1}/decisions", json=decision, headers=auth("inspector")
    )
    assert response.status_code == 201, response.get_json()

    for shipment_id, results in (
        (a1, ["violation"]),
        (a2, ["no_violation"]),
        (b1, ["violation"]),
        (b2, ["inconclusive", "no_violation"]),  # the latest result counts
        (b3, ["violation"]),
        (b5, ["inconclusive"]),  # not a conclusive exam
    ):
        for result in results:
            assert record_exam(client, auth, shipment_id, result=result).status_code == 201

    url = "/api/v1/reports/hit-rates"
    assert client.get(url, headers=auth("inspector")).status_code == 403
    report = client.get(url, headers=auth("officer")).get_json()

    assert report["random"] == row(3, 2, 1)
    lanes = {r.pop("lane"): r for r in report["by_lane"]}
    assert {lane: {k: r[k] for k in row(0, 0, 0)} for lane, r in lanes.items()} == {
        "green": row(1, 0, 0),  # b4
        "yellow": row(6, 4, 2),  # a1 a2 a3 b1 b2 b5
        "red": row(1, 1, 1),  # b3
    }
    assert lanes["yellow"]["share"] == 0.75 and lanes["red"]["expected_rate"] == 0.03
    assert report["by_band"] == [
        {"band": "0-24", **row(4, 2, 1)},  # a1 a2 a3 b4
        {"band": "25-49", **row(0, 0, 0)},
        {"band": "50-99", **row(3, 2, 1)},  # b1 b2 b5
        {"band": "100+", **row(1, 1, 1)},  # b3
    ]
    rules = {r.pop("rule"): r for r in report["by_rule"]}
    assert rules == {
        "R5": {**row(1, 1, 1), "state": "active", "would_change": None},
        "R7": {**row(4, 3, 2), "state": "active", "would_change": None},
    }

    later = (start + timedelta(days=1)).isoformat()
    empty = client.get(url, query_string={"since": later}, headers=auth("officer")).get_json()
    assert empty["random"] == row(0, 0, 0) and empty["by_rule"] == []
    until = client.get(url, query_string={"until": later}, headers=auth("officer")).get_json()
    assert until["random"] == report["random"]
    naive = client.get(url, query_string={"since": "2026-01-01T00:00"}, headers=auth("officer"))
    assert naive.status_code == 422 and "since" in naive.get_json()["errors"]

    download = client.get(url, query_string={"format": "csv"}, headers=auth("officer"))
    assert download.mimetype == "text/csv"
    table = list(csv.DictReader(io.StringIO(download.get_data(as_text=True))))
    assert [(r["slice"], r["key"]) for r in table][:3] == [
        ("random", "random"),
        ("rule", "R5"),
        ("rule", "R7"),
    ]
    assert {(r["key"], r["shipments"], r["violations"]) for r in table if r["slice"] == "lane"} == {
        ("green", "1", "0"),
        ("yellow", "6", "2"),
        ("red", "1", "1"),
    }
    random_row = table[0]
    assert (random_row["hit_rate"], random_row["ci95_low"]) == ("0.5", str(ci(1, 2)[0]))

"""The scans endpoint: idempotency, batches, validation and errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from inspect_svc.api.shipment_schemas import TriageResultSchema
from inspect_svc.db import db
from inspect_svc.models import AuditEvent, Scan, Unit
from tests.triage.conftest import GS, QUINIDINE_GTIN, pack


def count(app: Any, model: Any) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_repeated_idempotency_key_returns_the_stored_result(
    app: Any, new_shipment: Callable[..., int], post_scan: Any
) -> None:
    shipment = new_shipment()
    first = post_scan(shipment, pack(QUINIDINE_GTIN, "K1"), key="agent-1:0001")
    again = post_scan(shipment, pack(QUINIDINE_GTIN, "K1"), key="agent-1:0001")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["scans"] == first.get_json()["scans"]
    assert count(app, Scan) == 1
    assert count(app, Unit) == 1
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    # created and assessed, its first lane, scan stored and re-assessed (once): the replay adds none
    assert [a for a in actions if a != "shipment.selected"] == [
        "shipment.created",
        "shipment.assessed",
        "scan.stored",
        "shipment.assessed",
    ]


def test_key_in_the_body_works_like_the_header(
    app: Any, new_shipment: Callable[..., int], post_scan: Any
) -> None:
    shipment = new_shipment()
    post_scan(shipment, pack(QUINIDINE_GTIN, "K2"), idempotency_key="body-key")
    replay = post_scan(shipment, pack(QUINIDINE_GTIN, "K2"), idempotency_key="body-key")
    assert replay.status_code == 200
    assert count(app, Scan) == 1


def test_reusing_a_key_for_another_scan_is_refused(
    app: Any, new_shipment: Callable[..., int], post_scan: Any
) -> None:
    shipment = new_shipment()
    post_scan(shipment, pack(QUINIDINE_GTIN, "A"), key="k-reuse")
    response = post_scan(shipment, pack(QUINIDINE_GTIN, "B"), key="k-reuse")
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert "idempotency_key" in response.get_json()["errors"]
    assert count(app, Scan) == 1


def test_without_a_key_every_post_is_a_new_scan(
    app: Any, new_shipment: Callable[..., int], post_scan: Any
) -> None:
    shipment = new_shipment()
    post_scan(shipment, pack(QUINIDINE_GTIN, "N1"))
    second = post_scan(shipment, pack(QUINIDINE_GTIN, "N1")).get_json()["scans"][0]
    assert count(app, Scan) == 2
    assert second["duplicate"] is True
    assert "R9" not in {f["rule"] for f in second["findings"]}  # same shipment: a re-scan


def test_batch_returns_one_result_per_scan_in_order(
    client: FlaskClient, auth: Any, new_shipment: Callable[..., int]
) -> None:
    shipment = new_shipment()
    raws = [pack(QUINIDINE_GTIN, f"B{i}") for i in range(5)] + ["garbage"]
    response = client.post(
        f"/api/v1/shipments/{shipment}/scans",
        json={"scans": [{"raw": raw} for raw in raws]},
        headers={**auth("inspector"), "Idempotency-Key": "batch-1"},
    )
    assert response.status_code == 201
    body = response.get_json()
    assert [s["raw"] for s in body["scans"]] == raws
    assert body["scans"][-1]["interpretation"]["errors"] == ["not_gs1"]
    assert body["scans"][-1]["verdict"] in {"amber", "red"}
    retry = client.post(
        f"/api/v1/shipments/{shipment}/scans",
        json={"scans": [{"raw": raw} for raw in raws]},
        headers={**auth("inspector"), "Idempotency-Key": "batch-1"},
    )
    assert retry.status_code == 200
    assert [s["scan_id"] for s in retry.get_json()["scans"]] == [
        s["scan_id"] for s in body["scans"]
    ]


def test_batch_validation_names_the_bad_item(
    client: FlaskClient, auth: Any, new_shipment: Callable[..., int]
) -> None:
    shipment = new_shipment()
    response = client.post(
        f"/api/v1/shipments/{shipment}/scans",
        json={"scans": [{"raw": "x"}, {"raw": 5}, {"device_id": "d"}]},
        headers=auth("inspector"),
    )
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) == {"scans.1.raw", "scans.2.raw"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "raw"),
        ({"raw": "x", "scans": [{"raw": "y"}]}, "scans"),
        ({"scans": []}, "scans"),
        ({"scans": "x"}, "scans"),
        ({"raw": "x", "scanned_at": "yesterday"}, "scanned_at"),
        ({"raw": "x", "idempotency_key": "has space"}, "idempotency_key"),
        ({"raw": "x", "device_seq": "7"}, "device_seq"),
    ],
)
def test_invalid_scan_bodies_are_422_with_the_field(
    client: FlaskClient,
    auth: Any,
    new_shipment: Callable[..., int],
    body: dict[str, Any],
    field: str,
) -> None:
    response = client.post(
        f"/api/v1/shipments/{new_shipment()}/scans", json=body, headers=auth("inspector")
    )
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_scan_for_an_unknown_shipment_is_404(client: FlaskClient, auth: Any) -> None:
    response = client.post(
        "/api/v1/shipments/999999/scans", json={"raw": "x"}, headers=auth("inspector")
    )
    assert response.status_code == 404
    assert response.get_json()["type"].endswith("/shipment-not-found")


def test_malformed_json_is_a_400_problem(
    client: FlaskClient, auth: Any, new_shipment: Callable[..., int]
) -> None:
    response = client.post(
        f"/api/v1/shipments/{new_shipment()}/scans",
        data="{raw: oops",
        content_type="application/json",
        headers=auth("inspector"),
    )
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"body": ["not valid JSON"]}


@pytest.mark.parametrize(
    "raw",
    ["", "\x01\x02\x7f", "]d2" + "9" * 5000, "é" * 300, GS * 50, "]Q1https://", "(01)"],
)
def test_hostile_scans_are_stored_and_explained_never_500(
    app: Any, new_shipment: Callable[..., int], post_scan: Any, raw: str
) -> None:
    response = post_scan(new_shipment(), raw)
    assert response.status_code == 201
    scan = response.get_json()["scans"][0]
    assert scan["raw"] == raw
    assert scan["interpretation"]["valid"] is False
    assert scan["findings"]


def test_scanning_needs_a_token(client: FlaskClient, new_shipment: Callable[..., int]) -> None:
    response = client.post(f"/api/v1/shipments/{new_shipment()}/scans", json={"raw": "x"})
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("origin_country", "XX"),
        ("origin_country", "india"),
        ("mode", "boat"),
        ("declared_lines", [{"ndc": "12-34", "quantity": 1}]),
        ("declared_lines", [{"ndc": "0002-1407-01", "quantity": 0}]),
        ("declared_lines", [{"ndc": "0002-1407-01", "quantity": 1, "lots": ["a b"]}]),
        ("manufacturer", {"name": ""}),
        ("entry_number", ""),
    ],
)
def test_invalid_shipments_are_422_naming_the_field(
    client: FlaskClient, auth: Any, field: str, value: Any
) -> None:
    body = {
        "entry_number": "E1",
        "port_code": "2704",
        "mode": "air",
        "origin_country": "IN",
        "manufacturer": {"name": "M"},
        field: value,
    }
    response = client.post("/api/v1/shipments", json=body, headers=auth("inspector"))
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_shipment_list_filters_and_paginates(
    client: FlaskClient, auth: Any, new_shipment: Callable[..., int]
) -> None:
    for origin in ("IN", "IN", "CN"):
        new_shipment(origin_country=origin)
    page = client.get(
        "/api/v1/shipments?origin=IN&per_page=1&page=2", headers=auth("inspector")
    ).get_json()
    assert page["total"] == 2
    assert len(page["items"]) == 1
    assert page["items"][0]["origin_country"] == "IN"


@pytest.mark.parametrize(("raw", "reason"), [("A\x00B", "NUL"), ("\ud800", "surrogate")])
def test_text_no_database_can_hold_is_refused_naming_the_field(
    app: Any, new_shipment: Callable[..., int], post_scan: Any, raw: str, reason: str
) -> None:
    response = post_scan(new_shipment(), raw)
    assert response.status_code == 422
    assert reason in response.get_json()["errors"]["raw"][0]
    assert count(app, Scan) == 0


def test_an_overlong_serial_is_kept_in_the_interpretation_only(
    app: Any, new_shipment: Callable[..., int], post_scan: Any
) -> None:
    raw = "(01)00300021407018(10)" + "L" * 25 + "(17)271231(21)S1"
    response = post_scan(new_shipment(), raw)
    assert response.status_code == 201
    scan = response.get_json()["scans"][0]
    assert scan["interpretation"]["lot"] == "L" * 25
    assert "lot_length" in scan["interpretation"]["errors"]
    with app.app_context():
        stored = db.session.scalars(select(Scan)).one()
        assert (stored.lot, stored.serial) == (None, "S1")


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"device_seq": 2**70}, "device_seq"),
        ({"scanned_at": "9999-12-31T23:59:59-05:00"}, "scanned_at"),
        ({"scanned_at": "0001-01-01T00:00:00+05:00"}, "scanned_at"),
    ],
)
def test_out_of_range_numbers_and_times_are_422(
    new_shipment: Callable[..., int], post_scan: Any, extra: dict[str, Any], field: str
) -> None:
    response = post_scan(new_shipment(), pack(QUINIDINE_GTIN, "R1"), **extra)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_credentials_are_checked_before_the_body(client: FlaskClient) -> None:
    response = client.post("/api/v1/shipments", json={"mode": "boat"})
    assert response.status_code == 401


def test_shipment_rules_count_stored_scans_only(
    app: Any, client: FlaskClient, auth: Any, new_shipment: Callable[..., int], post_scan: Any
) -> None:
    """A request refused with 409 adds no scan to what the shipment rules count."""
    shipment = new_shipment(declared_lines=[{"ndc": "0002-1407-01", "quantity": 1}])
    post_scan(shipment, pack(QUINIDINE_GTIN, "V1"))
    refused = post_scan(shipment, pack(QUINIDINE_GTIN, "V2"), key="k-v")
    conflict = post_scan(shipment, pack(QUINIDINE_GTIN, "V3"), key="k-v")  # rolled back
    assert (refused.status_code, conflict.status_code) == (201, 409)
    body = post_scan(shipment, pack(QUINIDINE_GTIN, "V4")).get_json()
    over = next(f for f in body["shipment"]["findings"] if f["rule"] == "R16")
    assert over["evidence"]["scanned_serials"] == 3  # V1, V2, V4; not the refused V3


def test_the_same_pack_twice_in_one_batch_has_one_first_sighting(
    app: Any, client: FlaskClient, auth: Any, new_shipment: Callable[..., int]
) -> None:
    raws = [
        pack(QUINIDINE_GTIN, "TWICE"),
        pack(QUINIDINE_GTIN, "ONCE"),
        pack(QUINIDINE_GTIN, "TWICE"),
    ]
    body = client.post(
        f"/api/v1/shipments/{new_shipment()}/scans",
        json={"scans": [{"raw": raw} for raw in raws]},
        headers=auth("inspector"),
    ).get_json()
    assert [s["duplicate"] for s in body["scans"]] == [False, False, True]
    assert count(app, Unit) == 2


def test_a_key_repeated_inside_a_batch_replays_or_conflicts(
    app: Any, client: FlaskClient, auth: Any, new_shipment: Callable[..., int]
) -> None:
    shipment = new_shipment()
    same = [{"raw": pack(QUINIDINE_GTIN, "K"), "idempotency_key": "dup"}] * 2
    body = client.post(
        f"/api/v1/shipments/{shipment}/scans", json={"scans": same}, headers=auth("inspector")
    ).get_json()
    assert body["scans"][0]["scan_id"] == body["scans"][1]["scan_id"]
    clash = [{"raw": "A", "idempotency_key": "clash"}, {"raw": "B", "idempotency_key": "clash"}]
    response = client.post(
        f"/api/v1/shipments/{shipment}/scans", json={"scans": clash}, headers=auth("inspector")
    )
    assert response.status_code == 409
    assert count(app, Scan) == 1  # the refused batch stored nothing


def test_scan_responses_have_exactly_the_documented_shape(
    new_shipment: Callable[..., int], client: FlaskClient, auth: Callable[[str], dict[str, str]]
) -> None:
    """The view is sent as built, not dumped through its schema: a dump of what was sent
    must change nothing (no undeclared field, no value of another type)."""
    shipment = new_shipment()
    raws = [
        pack(QUINIDINE_GTIN, "S1"),
        pack(QUINIDINE_GTIN, "S1"),
        f"]d201{QUINIDINE_GTIN}17301231",
        "https://id.gs1.org/01/00300021407018/21/DL1?17=301231&10=L1",
        "00123456789012345675",
        "0002-1407-01",
        "not a code",
        "",
    ]
    body = {
        "scans": [
            {
                "raw": raw,
                "device_flags": ["partial_read"] if index == 2 else [],
                "scanned_at": "2026-12-01T10:00:00Z",
                "device_id": "dev-1",
            }
            for index, raw in enumerate(raws)
        ]
    }
    response = client.post(
        f"/api/v1/shipments/{shipment}/scans", json=body, headers=auth("inspector")
    )
    assert response.status_code == 201, response.get_json()
    sent = response.get_json()
    assert len(sent["scans"]) == len(raws)
    assert TriageResultSchema().dump(sent) == sent
    assert TriageResultSchema().validate(sent) == {}

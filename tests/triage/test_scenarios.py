"""Realistic shipments end to end through the API, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.triage.conftest import QUINIDINE_GTIN, gtin_of, pack

pytestmark = pytest.mark.usefixtures("sample_reference")

PHISOHEX = "0024-1535-02"  # Rx, NDA, listed in the bundled 2014 directory sample
RECALLED_NDC = "57955-0001-2"  # openFDA D-0789-2019, Class I, ongoing: lot 040606L


def rules_of(scan: dict[str, Any]) -> set[str]:
    return {f["rule"] for f in scan["findings"]}


def test_clean_shipment_is_released(new_shipment: Callable[..., int], post_scan: Any) -> None:
    shipment = new_shipment(
        manufacturer={"name": "Sanofi-Aventis U.S. LLC", "country": "US"},
        declared_lines=[{"ndc": PHISOHEX, "quantity": 2}],
    )
    first = post_scan(shipment, pack(gtin_of(PHISOHEX), "SN0001")).get_json()
    body = post_scan(shipment, pack(gtin_of(PHISOHEX), "SN0002")).get_json()
    scan = body["scans"][0]
    assert scan["verdict"] == "green", scan["findings"]
    assert scan["duplicate"] is False
    assert scan["interpretation"]["ndc"] == PHISOHEX
    assert scan["product"]["name"] == "Phisohex"
    assert body["shipment"]["recommendation"] == "release", body["shipment"]
    assert first["scans"][0]["verdict"] == "green"


def test_cloned_serial_across_two_shipments_is_detained(
    new_shipment: Callable[..., int], post_scan: Any
) -> None:
    first = new_shipment(entry_number="ENT-A")
    second = new_shipment(entry_number="ENT-B")
    post_scan(first, pack(gtin_of(PHISOHEX), "CLONE1"))
    body = post_scan(second, pack(gtin_of(PHISOHEX), "CLONE1")).get_json()
    scan = body["scans"][0]
    assert scan["duplicate"] is True
    clone = next(f for f in scan["findings"] if f["rule"] == "R9")
    assert clone["severity"] == "critical"
    assert "ENT-A" in clone["message"]
    assert scan["verdict"] == "red"
    assert body["shipment"]["recommendation"] == "detain"


def test_same_serial_with_a_different_lot_is_a_data_conflict(
    new_shipment: Callable[..., int], post_scan: Any
) -> None:
    first, second = new_shipment(entry_number="E1"), new_shipment(entry_number="E2")
    post_scan(first, pack(gtin_of(PHISOHEX), "SNX", lot="LOT42"))
    scan = post_scan(second, pack(gtin_of(PHISOHEX), "SNX", lot="LOT43")).get_json()["scans"][0]
    conflict = next(f for f in scan["findings"] if f["rule"] == "R9b")
    assert conflict["severity"] == "critical"
    assert "LOT42" in conflict["message"] and "LOT43" in conflict["message"]


def test_recalled_lot_is_detained(new_shipment: Callable[..., int], post_scan: Any) -> None:
    shipment = new_shipment()
    body = post_scan(shipment, pack(gtin_of(RECALLED_NDC), "R1", lot="040606L")).get_json()
    recall = next(f for f in body["scans"][0]["findings"] if f["rule"] == "R13")
    assert recall["severity"] == "critical"
    assert "D-0789-2019" in recall["message"]
    assert body["shipment"]["recommendation"] == "detain"


def test_other_lot_of_a_recalled_product_is_not_flagged_as_recalled(
    new_shipment: Callable[..., int], post_scan: Any
) -> None:
    body = post_scan(new_shipment(), pack(gtin_of(RECALLED_NDC), "R2", lot="ZZ999")).get_json()
    assert "R13" not in rules_of(body["scans"][0])


def test_expired_pack(new_shipment: Callable[..., int], post_scan: Any) -> None:
    scan = post_scan(new_shipment(), pack(gtin_of(PHISOHEX), "E1", expiry="200131")).get_json()
    expired = next(f for f in scan["scans"][0]["findings"] if f["rule"] == "R5")
    assert expired["severity"] == "high"
    assert "2020-01-31" in expired["message"]
    assert scan["scans"][0]["verdict"] == "red"


def test_unknown_ndc_says_it_is_not_listed(
    new_shipment: Callable[..., int], post_scan: Any
) -> None:
    scan = post_scan(new_shipment(), pack(QUINIDINE_GTIN, "U1")).get_json()["scans"][0]
    assert "R7" in rules_of(scan)
    assert scan["interpretation"]["ndc"] is None
    assert scan["product"] is None


def test_red_list_manufacturer_is_detained(
    app: Any, new_shipment: Callable[..., int], post_scan: Any
) -> None:
    from inspect_svc.db import db
    from inspect_svc.models.reference import ImportAlertFirm

    with app.app_context():
        assert db.session.query(ImportAlertFirm).count() > 0
    shipment = new_shipment(
        origin_country="IN",
        manufacturer={"name": "Example Fictitious Remedies Private Limited", "country": "IN"},
    )
    body = post_scan(shipment, pack(gtin_of(PHISOHEX), "IA1")).get_json()
    alert = next(f for f in body["shipment"]["findings"] if f["rule"] == "R14")
    assert alert["severity"] == "critical"
    assert "66-40" in alert["message"]
    assert body["shipment"]["recommendation"] == "detain"


def test_declared_and_scanned_products_differ(
    new_shipment: Callable[..., int], post_scan: Any
) -> None:
    shipment = new_shipment(declared_lines=[{"ndc": "0591-0503-01", "quantity": 1}])
    body = post_scan(shipment, pack(gtin_of(PHISOHEX), "M1")).get_json()
    fired = {f["rule"] for f in body["shipment"]["findings"]} | rules_of(body["scans"][0])
    assert "R15" in fired


def test_high_tier_origin_adds_risk(new_shipment: Callable[..., int], post_scan: Any) -> None:
    shipment = new_shipment(origin_country="HK", export_country="HK")
    body = post_scan(shipment, pack(gtin_of(PHISOHEX), "O1")).get_json()
    origin = next(f for f in body["shipment"]["findings"] if f["rule"] == "R19")
    assert origin["severity"] in {"low", "medium"}
    assert "HK" in origin["message"]


def test_shipment_detail_lists_scans_and_recommendation(
    client: FlaskClient, auth: Any, new_shipment: Callable[..., int], post_scan: Any
) -> None:
    shipment = new_shipment()
    post_scan(shipment, pack(gtin_of(PHISOHEX), "D1"))
    detail = client.get(f"/api/v1/shipments/{shipment}", headers=auth("inspector")).get_json()
    assert [s["interpretation"]["serial"] for s in detail["scans"]] == ["D1"]
    assert detail["recommendation"] in {"release", "exam", "detain"}
    assert detail["ruleset_version"]
    assert "decisions" in detail


def test_a_german_market_pack_is_flagged_as_foreign(
    new_shipment: Callable[..., int], post_scan: Any
) -> None:
    raw = "]d1[)>\x1e06\x1d9N111234567842\x1d1TABC123\x1dD301231\x1dS1234567890AB\x1e\x04"
    scan = post_scan(new_shipment(), raw).get_json()["scans"][0]
    assert scan["interpretation"]["nhrn"] == {"710": "12345678"}
    fired = {f["rule"]: f["severity"] for f in scan["findings"]}
    assert fired["R6"] == "high"
    assert fired["R4"] == "high"  # no GTIN: not a US product identifier
    assert scan["verdict"] == "red"

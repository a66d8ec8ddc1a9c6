"""Expected vs scanned once the shipper's EPCIS data is attached (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

from tests.triage.conftest import pack
from tests.triage.epcis_kit import Case, Pack, Pallet, document, events_for, sscc
from tests.triage.test_epcis_attach import CASE_A, GTIN_A, GTIN_B, attach

__all__ = ["attach"]  # the fixture, shared


def two_pallets() -> list[Pallet]:
    return [
        Pallet(
            sscc(1),
            [Case(CASE_A, f"C{c}", [Pack(GTIN_A, f"S{c}-{p}") for p in range(3)]) for c in (0, 1)],
        ),
        Pallet(
            sscc(2), [Case(CASE_A, "C2", [Pack(GTIN_A, f"S2-{p}", lot="LOT7") for p in range(3)])]
        ),
    ]


def test_contents_counts_sealed_opened_missing_and_unexpected(
    client: FlaskClient,
    auth: Callable[[str], dict[str, str]],
    new_shipment: Callable[..., int],
    attach: Callable[..., Any],
    post_scan: Callable[..., Any],
) -> None:
    shipment_id = new_shipment()
    assert attach(shipment_id, document(events_for(two_pallets()))).status_code == 201
    assert post_scan(shipment_id, f"]C100{sscc(1)}").status_code == 201
    assert post_scan(shipment_id, pack(GTIN_A, "S2-0", lot="LOT7")).status_code == 201
    assert post_scan(shipment_id, pack(GTIN_B, "X1")).status_code == 201

    response = client.get(f"/api/v1/shipments/{shipment_id}/contents", headers=auth("inspector"))
    assert response.status_code == 200
    body = response.get_json()
    assert body["epcis_attached"] is True
    assert body["expected"] == {"units": 9, "cases": 3, "pallets": 2}
    by_lot = {line["lot"]: line for line in body["lines"]}
    assert by_lot["LOT42"] == {
        "ndc10": "0591050301",
        "gtin": GTIN_A,
        "lot": "LOT42",
        "expected": 6,
        "scanned": 0,
        "present_sealed": 6,
        "missing": 0,
    }
    assert (by_lot["LOT7"]["scanned"], by_lot["LOT7"]["missing"]) == (1, 2)
    assert body["cases_opened"] == [f"(01){CASE_A}(21)C2"]
    assert body["containers_scanned"] == [{"key": f"(00){sscc(1)}", "level": "pallet"}]
    assert body["missing_count"] == 2
    assert [m["serial"] for m in body["missing"]] == ["S2-1", "S2-2"]
    assert body["unexpected_count"] == 1
    assert body["unexpected"][0]["serial"] == "X1"


def test_contents_without_epcis(
    client: FlaskClient,
    auth: Callable[[str], dict[str, str]],
    new_shipment: Callable[..., int],
    post_scan: Callable[..., Any],
) -> None:
    shipment_id = new_shipment()
    post_scan(shipment_id, pack(GTIN_A, "S1"))
    body = client.get(
        f"/api/v1/shipments/{shipment_id}/contents", headers=auth("inspector")
    ).get_json()
    assert body["epcis_attached"] is False
    assert body["lines"] == [] and body["unexpected_count"] == 0

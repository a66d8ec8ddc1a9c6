"""Pallet, case and pack scans triaged against the shipper's EPCIS data (SQLite and PostgreSQL).

One pallet of three cases of NDC 0591-0503-01: C0 as shipped, C1 mixed (a pack of
NDC 0093-0199-01, lot LOTB, among them), C2 never scanned (the missing case).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from inspect_svc.settings import CONFIG_DIR
from tests.triage.conftest import pack
from tests.triage.epcis_kit import Case, Pack, Pallet, document, events_for, sscc
from tests.triage.test_epcis_attach import CASE_A, GTIN_A, GTIN_B, attach

__all__ = ["attach"]  # the fixture, shared

PALLET = sscc(1)


def shipment_doc() -> dict[str, Any]:
    return document(
        events_for(
            [
                Pallet(
                    PALLET,
                    [
                        Case(CASE_A, "C0", [Pack(GTIN_A, f"S0-{p}") for p in range(3)]),
                        Case(
                            CASE_A,
                            "C1",
                            [
                                Pack(GTIN_A, "S1-0"),
                                Pack(GTIN_A, "S1-1"),
                                Pack(GTIN_B, "B1", "LOTB"),
                            ],
                        ),
                        Case(CASE_A, "C2", [Pack(GTIN_A, f"S2-{p}") for p in range(3)]),
                    ],
                )
            ]
        )
    )


@pytest.fixture
def shipment(new_shipment: Callable[..., int], attach: Callable[..., Any]) -> int:
    shipment_id = new_shipment()
    response = attach(shipment_id, shipment_doc())
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["expected"] == {"units": 9, "cases": 3, "pallets": 1}
    return shipment_id


@pytest.fixture
def scan(post_scan: Callable[..., Any], shipment: int) -> Callable[[str], dict[str, Any]]:
    def post(raw: str) -> dict[str, Any]:
        response = post_scan(shipment, raw)
        assert response.status_code == 201, response.get_json()
        result: dict[str, Any] = response.get_json()["scans"][0]
        return result

    return post


def rules_of(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["rule"]: f for f in result["findings"]}


def test_pallet_scan_answers_with_its_contents(scan: Callable[[str], dict[str, Any]]) -> None:
    result = scan(f"]C100{PALLET}")
    assert result["interpretation"]["level"] == "pallet"
    holds = result["epcis"]
    assert holds["known"] is True and holds["level"] == "pallet"
    assert (holds["children"], holds["packs"]) == (3, 9)
    assert holds["gtins"] == sorted([GTIN_A, GTIN_B])
    assert holds["counted_present"] is True
    assert not {"R1", "R4", "R17", "R18", "R18b"} & set(rules_of(result))


def test_homogeneous_case_is_clean(scan: Callable[[str], dict[str, Any]]) -> None:
    result = scan(pack(CASE_A, "C0"))
    assert result["epcis"]["packs"] == 3 and result["epcis"]["lots"] == ["LOT42"]
    assert not {"R17", "R18", "R18b"} & set(rules_of(result))


def test_mixed_case_is_r17_and_r18(scan: Callable[[str], dict[str, Any]]) -> None:
    findings = rules_of(scan(pack(CASE_A, "C1")))
    assert findings["R17"]["severity"] == "high"
    assert findings["R17"]["evidence"]["pack_lots"] == ["LOT42", "LOTB"]
    assert findings["R18"]["evidence"]["pack_gtins"] == sorted([GTIN_A, GTIN_B])


def test_pallet_label_count_disagrees_with_contents(scan: Callable[[str], dict[str, Any]]) -> None:
    findings = rules_of(scan(f"]C100{PALLET}02{GTIN_A}3712"))
    assert "label count 12 but 9 packs" in findings["R18"]["message"]
    assert findings["R18"]["evidence"]["content_gtin"] == GTIN_A


def test_swapped_pack_found_in_another_case(scan: Callable[[str], dict[str, Any]]) -> None:
    scan(pack(CASE_A, "C0"))
    assert "R17b" not in rules_of(scan(pack(GTIN_A, "S0-1")))
    swapped = rules_of(scan(pack(GTIN_A, "S1-0")))["R17b"]
    assert swapped["severity"] == "medium"
    assert swapped["evidence"]["expected_case"] == f"(01){CASE_A}(21)C1"
    assert swapped["evidence"]["opened_case"] == f"(01){CASE_A}(21)C0"


def test_pack_with_another_lot_than_shipped(scan: Callable[[str], dict[str, Any]]) -> None:
    finding = rules_of(scan(pack(GTIN_A, "S2-1", lot="LOT99")))["R17b"]
    assert finding["severity"] == "high"
    assert "lot LOT99 where the EPCIS data says LOT42" in finding["message"]


def test_pack_not_in_the_data(scan: Callable[[str], dict[str, Any]]) -> None:
    result = scan(pack(GTIN_A, "ZZ9"))
    assert rules_of(result)["R18b"]["severity"] == "high"
    assert result["epcis"] is None


def test_no_epcis_no_aggregation_findings(
    new_shipment: Callable[..., int], post_scan: Callable[..., Any]
) -> None:
    shipment_id = new_shipment()
    result = post_scan(shipment_id, pack(GTIN_A, "ZZ9")).get_json()["scans"][0]
    assert not {"R17", "R17b", "R18", "R18b"} & set(rules_of(result))
    pallet = post_scan(shipment_id, f"]C100{PALLET}").get_json()["scans"][0]
    assert pallet["epcis"] is None
    assert "R4" not in rules_of(pallet)


def test_missing_case_and_document_sent_twice(
    client: FlaskClient,
    auth: Callable[[str], dict[str, str]],
    shipment: int,
    scan: Callable[[str], dict[str, Any]],
    attach: Callable[..., Any],
) -> None:
    scan(pack(CASE_A, "C0"))
    scan(pack(CASE_A, "C1"))
    again = attach(shipment, shipment_doc())
    assert again.get_json()["expected"] == {"units": 9, "cases": 3, "pallets": 1}
    not_seen = rules_of(again.get_json()["shipment"])["R18c"]
    assert not_seen["evidence"] == {"expected": 9, "missing": 3}
    assert not_seen["severity"] == "info"
    body = client.get(
        f"/api/v1/shipments/{shipment}/contents", headers=auth("inspector")
    ).get_json()
    assert body["missing_count"] == 3
    assert {m["container"] for m in body["missing"]} == {f"(01){CASE_A}(21)C2"}
    assert {c["key"] for c in body["containers_scanned"]} == {
        f"(01){CASE_A}(21)C0",
        f"(01){CASE_A}(21)C1",
    }


def test_replay_sees_the_epcis_data(
    tmp_path: Path, runner: Any, scan: Callable[[str], dict[str, Any]]
) -> None:
    assert "R17" in rules_of(scan(pack(CASE_A, "C1")))
    for name in ("country_tiers.toml", "dscsa_exclusions.toml", "rules.toml"):
        shutil.copy(CONFIG_DIR / name, tmp_path / name)
    result = runner(["replay", "--policy", str(tmp_path / "rules.toml"), "--json"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == ""  # same policy, same facts: nothing changes

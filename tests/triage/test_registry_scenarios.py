"""Registration (R40), firm history (R41), private label (R16) through the API, both databases.

The product is valacyclovir 0591-3249-30 from the bundled 2014 NDC Directory
sample (labeler Watson Laboratories, Inc.); the establishments and refusals
are fictitious files in FDA's layouts (tests/registry_files.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from inspect_svc.db import db
from inspect_svc.reference.refusal_loader import load_refusals
from inspect_svc.reference.registration_loader import load_registrations
from inspect_svc.reference.sources import read_sources
from tests.registry_files import (
    ANALYTICAL_FEI,
    CHARGES_CSV,
    GOOD_DECRS_ROWS,
    REMEDIES_DUNS,
    REMEDIES_FEI,
    decrs_bytes,
    refusal_bytes,
    refusal_row,
)
from tests.triage.conftest import gtin_of, pack

VALACYCLOVIR = "0591-3249-30"
HISTORY_FEI = "3004445556"


@pytest.fixture
def registry(app: Flask, sample_reference: None, tmp_path: Path) -> None:
    """The sample directory and import alerts, registrations and a refusal history."""
    today = date.today()
    decrs = tmp_path / "drls_reg.txt"
    decrs.write_bytes(decrs_bytes(GOOD_DECRS_ROWS))
    refusals = tmp_path / "REFUSAL_ENTRY.csv"
    refusals.write_bytes(
        refusal_bytes(
            [
                refusal_row(
                    REMEDIES_FEI,
                    "EXAMPLE Remedies Private Limited",
                    "IN",
                    today - timedelta(days=800),
                    "3120",
                ),
                refusal_row(
                    HISTORY_FEI,
                    "EXAMPLE Repeat Offender Ltd",
                    "IN",
                    today - timedelta(days=20),
                    "3360,3010",
                ),
                refusal_row(
                    HISTORY_FEI,
                    "EXAMPLE Repeat Offender Ltd",
                    "IN",
                    today - timedelta(days=90),
                    "3770",
                ),
                refusal_row(
                    HISTORY_FEI,
                    "EXAMPLE Repeat Offender Ltd",
                    "IN",
                    today - timedelta(days=200),
                    "3360",
                ),
            ]
        )
    )
    charges = tmp_path / "ACT_SECTION_CHARGES.csv"
    charges.write_bytes(CHARGES_CSV)
    with app.app_context():
        load_registrations(db.engine, read_sources([decrs]), today)
        load_refusals(db.engine, read_sources([refusals, charges]), today)


def _triage(
    new_shipment: Callable[..., int], post_scan: Any, manufacturer: dict[str, Any]
) -> dict[str, Any]:
    shipment = new_shipment(
        origin_country="IN",
        manufacturer=manufacturer,
        declared_lines=[{"ndc": VALACYCLOVIR, "quantity": 10, "unit": "each"}],
    )
    response = post_scan(shipment, pack(gtin_of(VALACYCLOVIR), "RG0001"))
    assert response.status_code == 201, response.get_json()
    result: dict[str, Any] = response.get_json()["shipment"]
    return result


def _by_rule(shipment: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    return [f for f in shipment["findings"] if f["rule"] == rule]


def test_unregistered_foreign_manufacturer_goes_to_exam(
    registry: None, new_shipment: Callable[..., int], post_scan: Any
) -> None:
    shipment = _triage(
        new_shipment, post_scan, {"name": "EXAMPLE Unknown Pharma", "fei": "3000000001"}
    )
    (r40,) = _by_rule(shipment, "R40")
    assert r40["severity"] == "high" and r40["evidence"]["charge"] == "FRNMFGREG"
    assert r40["evidence"]["status"] == "unregistered"
    (r16,) = _by_rule(shipment, "R16")  # labeler Watson; the declared maker is unregistered
    assert r16["severity"] == "medium" and "not currently registered" in r16["message"]
    assert shipment["recommendation"] == "exam"


def test_private_label_made_by_a_registered_plant_is_released(
    registry: None, new_shipment: Callable[..., int], post_scan: Any
) -> None:
    shipment = _triage(
        new_shipment,
        post_scan,
        {"name": "EXAMPLE Remedies Pvt. Ltd.", "duns": REMEDIES_DUNS, "country": "IN"},
    )
    assert _by_rule(shipment, "R40") == []
    (r16,) = _by_rule(shipment, "R16")
    assert r16["severity"] == "info" and "Watson Laboratories, Inc." in r16["message"]
    (r41,) = _by_rule(shipment, "R41")  # one old labelling refusal, matched by name and country
    assert r41["severity"] == "info" and r41["evidence"]["matched_on"] == "name+country"
    assert r41["evidence"]["refusals"][0]["charges"] == ["LABELING"]
    assert shipment["recommendation"] == "release"


def test_manufacturer_registered_only_as_a_laboratory(
    registry: None, new_shipment: Callable[..., int], post_scan: Any
) -> None:
    shipment = _triage(
        new_shipment, post_scan, {"name": "EXAMPLE Analytical Services", "fei": ANALYTICAL_FEI}
    )
    assert _by_rule(shipment, "R40") == []  # registered, so no FRNMFGREG
    (r16,) = _by_rule(shipment, "R16")
    assert r16["severity"] == "medium" and "registered only for ANALYSIS" in r16["message"]


def test_refusal_history_is_evidence_with_dates_and_charges(
    registry: None, new_shipment: Callable[..., int], post_scan: Any
) -> None:
    shipment = _triage(
        new_shipment, post_scan, {"name": "EXAMPLE Repeat Offender Ltd", "fei": HISTORY_FEI}
    )
    (r41,) = _by_rule(shipment, "R41")
    assert r41["severity"] == "high" and r41["evidence"]["matched_on"] == "fei"
    listed = r41["evidence"]["refusals"]
    assert [r["charges"] for r in listed] == [
        ["DRUG GMPS", "UNAPPROVED"],
        ["FRNMFGREG"],
        ["DRUG GMPS"],
    ]
    assert listed[0]["refusal_date"] == (date.today() - timedelta(days=20)).isoformat()
    assert r41["evidence"]["context"]["country_refusals"] == 4
    # Still unregistered after an FRNMFGREG refusal: both weigh, and together they detain.
    assert [f["severity"] for f in _by_rule(shipment, "R40")] == ["high"]
    assert shipment["recommendation"] == "detain"


def test_without_registry_data_the_checks_say_not_checked(
    sample_reference: None, new_shipment: Callable[..., int], post_scan: Any
) -> None:
    shipment = _triage(
        new_shipment, post_scan, {"name": "EXAMPLE Unknown Pharma", "fei": "3000000001"}
    )
    (r40,) = _by_rule(shipment, "R40")
    (r41,) = _by_rule(shipment, "R41")
    assert (r40["severity"], r41["severity"]) == ("info", "info")
    assert r40["evidence"]["checked"] is False and r41["evidence"]["checked"] is False
    (r16,) = _by_rule(shipment, "R16")
    assert r16["severity"] == "info"


def test_duns_must_be_nine_digits(client: Any, auth: Callable[[str], dict[str, str]]) -> None:
    body = {
        "entry_number": "ENT-0002",
        "port_code": "2704",
        "mode": "air",
        "origin_country": "IN",
        "manufacturer": {"name": "EXAMPLE", "duns": "12-345"},
        "declared_lines": [],
    }
    response = client.post("/api/v1/shipments", json=body, headers=auth("inspector"))
    assert response.status_code == 422
    assert response.get_json()["errors"]["manufacturer"]["duns"] == ["DUNS must be 9 digits."]

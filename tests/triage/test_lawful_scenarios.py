"""Lawful variety end to end through the API (issue 12), on SQLite and PostgreSQL.

The directory is the bundled 2014 FDA sample plus one shortage-import row
written in FDA's product.txt/package.txt layout (the sample has none).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from inspect_svc.db import db
from inspect_svc.reference.ndc_loader import load_ndc
from inspect_svc.reference.sample import SAMPLE_DIR, load_bundled_sample
from inspect_svc.reference.sources import read_sources
from tests.triage.conftest import GS, gtin_of

OXYGEN = "24533-001-02"
DEXTROSE_IV = "0409-7517-16"
ADACEL = "49281-400-05"
PHISOHEX = "0024-1535-02"
SHORTAGE_NDC = "63323-920-10"
SHORTAGE_PRODUCT = "\t".join(
    [
        "63323-920_00000000-0000-0000-0000-000000000001",
        "63323-920",
        "HUMAN PRESCRIPTION DRUG",
        "Cloruro de Sodio 0,9% Fresenius Kabi",
        "",
        "sodium chloride",
        "INJECTION, SOLUTION",
        "INTRAVENOUS",
        "20231001",
        "",
        "UNAPPROVED DRUG FOR USE IN DRUG SHORTAGE",
        "",
        "Fresenius Kabi USA, LLC",
        "SODIUM CHLORIDE",
        "9",
        "mg/mL",
        "",
        "",
    ]
)
SHORTAGE_PACKAGE = "\t".join(
    [
        "63323-920_00000000-0000-0000-0000-000000000001",
        "63323-920",
        SHORTAGE_NDC,
        "10 BAG in 1 CARTON (63323-920-10) > 1000 mL in 1 BAG",
    ]
)
SPANISH_BAG = f"]d20108470001234568172703001010L123{GS}7126543217"
"""A Spanish-market saline bag: GS1 Spain GTIN, AI 712 national code, no serial."""


@pytest.fixture
def directory(app: Flask, tmp_path: Path) -> None:
    """The bundled NDC sample with the shortage row appended, and the bundled recalls."""
    for name, extra in (("product.txt", SHORTAGE_PRODUCT), ("package.txt", SHORTAGE_PACKAGE)):
        text = (SAMPLE_DIR / name).read_text(encoding="cp1252").rstrip("\r\n")
        (tmp_path / name).write_text(f"{text}\n{extra}\n", encoding="cp1252")
    with app.app_context():
        load_ndc(
            db.engine,
            read_sources([tmp_path / "product.txt", tmp_path / "package.txt"]),
            date.today(),
        )
        list(load_bundled_sample(db.engine))


pytestmark = pytest.mark.usefixtures("directory")


def findings(scan: dict[str, Any]) -> dict[str, str]:
    """Rule -> severity, without R0 (the bundled recall file is old, hence stale)."""
    return {f["rule"]: f["severity"] for f in scan["findings"] if f["rule"] != "R0"}


def entry(ndc: str, labeler: str, **overrides: Any) -> dict[str, Any]:
    return {
        "origin_country": "US",
        "manufacturer": {"name": labeler, "country": "US"},
        "declared_lines": [{"ndc": ndc, "quantity": 1}],
        **overrides,
    }


@pytest.mark.parametrize(
    ("ndc", "labeler", "exclusion"),
    [
        (OXYGEN, "Melo's Gas and Gear, Inc.", "medical_gas"),
        (DEXTROSE_IV, "Hospira, Inc.", "iv_replenishment"),
    ],
    ids=["oxygen-cylinder", "dextrose-iv"],
)
def test_excluded_products_are_released(
    new_shipment: Callable[..., int], post_scan: Any, ndc: str, labeler: str, exclusion: str
) -> None:
    shipment = new_shipment(**entry(ndc, labeler))
    body = post_scan(shipment, f"]d201{gtin_of(ndc)}1727030010LOT42").get_json()
    scan = body["scans"][0]
    assert "R4" not in findings(scan) and "R3" not in findings(scan)
    excluded = next(f for f in scan["findings"] if f["rule"] == "R4e")
    assert excluded["evidence"]["exclusion"] == exclusion
    assert scan["verdict"] == "green", scan["findings"]


def test_vaccine_without_serial_is_checked(
    new_shipment: Callable[..., int], post_scan: Any
) -> None:
    shipment = new_shipment(**entry(ADACEL, "Sanofi Pasteur Inc."))
    scan = post_scan(shipment, f"]d201{gtin_of(ADACEL)}1727030010LOT42").get_json()["scans"][0]
    assert findings(scan)["R4"] == "high"


def test_identical_rescan_of_a_lost_separator_escalates(
    new_shipment: Callable[..., int], post_scan: Any
) -> None:
    shipment = new_shipment(**entry(PHISOHEX, "Sanofi-Aventis U.S. LLC"))
    wedge = f"01{gtin_of(PHISOHEX)}1727030010LOT4221SN000123"
    first = post_scan(shipment, wedge).get_json()["scans"][0]
    assert (first["verdict"], findings(first)) == ("amber", {"R1b": "medium"})
    second = post_scan(shipment, wedge).get_json()["scans"][0]
    assert findings(second) == {"R1b": "info", "R4": "high"}
    assert second["verdict"] == "red"


def test_shortage_import_declared_on_the_entry_is_released(
    new_shipment: Callable[..., int], post_scan: Any
) -> None:
    shipment = new_shipment(**entry(SHORTAGE_NDC, "Fresenius Kabi USA, LLC", origin_country="ES"))
    body = post_scan(shipment, SPANISH_BAG).get_json()
    scan = body["scans"][0]
    assert findings(scan)["R6"] == "info" and findings(scan)["R4"] == "info"
    r6 = next(f for f in scan["findings"] if f["rule"] == "R6")
    assert "declared line 1" in r6["message"] and SHORTAGE_NDC in r6["message"]
    assert scan["verdict"] == "green"


def test_foreign_pack_without_a_lawful_basis_is_still_flagged(
    new_shipment: Callable[..., int], post_scan: Any
) -> None:
    shipment = new_shipment(**entry(PHISOHEX, "Sanofi-Aventis U.S. LLC", origin_country="ES"))
    scan = post_scan(shipment, SPANISH_BAG).get_json()["scans"][0]
    assert findings(scan)["R6"] == "high" and findings(scan)["R4"] == "high"
    assert scan["verdict"] == "red"

"""Lawful variety end to end through the API (issue 12), on SQLite and PostgreSQL.

The directory is the bundled 2014 FDA sample plus one shortage-import row
written in FDA's product.txt/package.txt layout (the sample has none), and the
real rows of one bulk ingredient (insulin human, NDC 0002-0485) copied from
FDA's 2018 unfinished-drug files.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from inspect_svc.db import db
from inspect_svc.reference.import_alerts import load_import_alerts
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
UNFINISHED_ROWS = {
    "unfinished_product.txt": (
        "PRODUCTID\tPRODUCTNDC\tPRODUCTTYPENAME\tNONPROPRIETARYNAME\tDOSAGEFORMNAME\t"
        "STARTMARKETINGDATE\tENDMARKETINGDATE\tMARKETINGCATEGORYNAME\tLABELERNAME\t"
        "SUBSTANCENAME\tACTIVE_NUMERATOR_STRENGTH\tACTIVE_INGRED_UNIT\tDEASCHEDULE\t"
        "LISTING_RECORD_CERTIFIED_THROUGH\n"
        "0002-0485_6d8a935c-fc7b-44c6-92d1-2337b959d1ce\t0002-0485\tBULK INGREDIENT\t"
        "Insulin human\tCRYSTAL\t20150401\t\tBULK INGREDIENT\tEli Lilly and Company\t"
        "INSULIN HUMAN\t1\tg/g\t\t20181231\n"
    ),
    "unfinished_package.txt": (
        "PRODUCTID\tPRODUCTNDC\tNDCPACKAGECODE\tPACKAGEDESCRIPTION\n"
        "0002-0485_6d8a935c-fc7b-44c6-92d1-2337b959d1ce\t0002-0485\t0002-0485-04\t"
        "4 BOTTLE in 1 CONTAINER (0002-0485-04)  > 2000 g in 1 BOTTLE\n"
    ),
}
INSULIN_BULK = "0002-0485-04"
SPANISH_BAG = f"]d20108470001234568172703001010L123{GS}7126543217"
"""A Spanish-market saline bag: GS1 Spain GTIN, AI 712 national code, no serial."""


@pytest.fixture
def directory(app: Flask, tmp_path: Path) -> None:
    """The bundled NDC sample with the extra rows, the bundled recalls and example alert list."""
    for name, extra in (("product.txt", SHORTAGE_PRODUCT), ("package.txt", SHORTAGE_PACKAGE)):
        text = (SAMPLE_DIR / name).read_text(encoding="cp1252").rstrip("\r\n")
        (tmp_path / name).write_text(f"{text}\n{extra}\n", encoding="cp1252")
    for name, rows in UNFINISHED_ROWS.items():
        (tmp_path / name).write_text(rows, encoding="cp1252")
    with app.app_context():
        load_ndc(
            db.engine,
            read_sources([tmp_path / name for name in (*NDC_NAMES, *UNFINISHED_ROWS)]),
            date.today(),
        )
        list(load_bundled_sample(db.engine))
        example = read_sources([SAMPLE_DIR / "import_alerts_EXAMPLE.csv"])[0]
        load_import_alerts(db.engine, example, date.today())


NDC_NAMES = ("product.txt", "package.txt")
pytestmark = pytest.mark.usefixtures("directory")


def findings(scan: dict[str, Any]) -> dict[str, str]:
    """Rule -> severity, without R0 (the bundled recall file is old, hence stale)."""
    return {f["rule"]: f["severity"] for f in scan["findings"] if f["rule"] != "R0"}


def entry(ndc: str, labeler: str, quantity: int = 1, **overrides: Any) -> dict[str, Any]:
    return {
        "origin_country": "US",
        "manufacturer": {"name": labeler, "country": "US"},
        "declared_lines": [{"ndc": ndc, "quantity": quantity}],
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


def test_lot_containing_21_is_not_a_lost_separator(
    new_shipment: Callable[..., int], post_scan: Any
) -> None:
    shipment = new_shipment(**entry(PHISOHEX, "Sanofi-Aventis U.S. LLC"))
    scan = post_scan(shipment, f"]d201{gtin_of(PHISOHEX)}1730123110LT2107B").get_json()["scans"][0]
    assert findings(scan) == {"R4": "high"}
    assert scan["interpretation"]["lot"] == "LT2107B"


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


def test_foreign_pack_without_a_basis_is_flagged_and_712_ending_21_is_no_lost_gs(
    new_shipment: Callable[..., int], post_scan: Any
) -> None:
    shipment = new_shipment(**entry(PHISOHEX, "Sanofi-Aventis U.S. LLC", origin_country="ES"))
    scan = post_scan(shipment, SPANISH_BAG).get_json()["scans"][0]
    assert findings(scan)["R6"] == "high" and findings(scan)["R4"] == "high"
    assert scan["verdict"] == "red"


def test_bulk_ingredient_import_is_not_a_pack(
    new_shipment: Callable[..., int], post_scan: Any
) -> None:
    shipment = new_shipment(**entry(INSULIN_BULK, "Eli Lilly and Company"))
    drum = f"]C101{gtin_of(INSULIN_BULK)}10BULK4471"
    body = post_scan(shipment, drum).get_json()
    assert "R8b" not in findings(body["scans"][0])
    assert body["shipment"]["recommendation"] == "release"
    serialised = post_scan(
        shipment, f"]d201{gtin_of(INSULIN_BULK)}1730123110BULK4471{GS}21X9K2M7"
    ).get_json()
    assert findings(serialised["scans"][0])["R8b"] == "high"


def test_short_dated_pack_with_small_findings_is_released(
    new_shipment: Callable[..., int], post_scan: Any
) -> None:
    expiry = (date.today() + timedelta(days=59)).strftime("%y%m%d")
    shipment = new_shipment(
        **entry(PHISOHEX, "Sanofi-Aventis U.S. LLC", quantity=3, origin_country="HK"),
    )
    body: dict[str, Any] = {}
    for serial in ("SD000001", "SD000002", "SD000003"):
        raw = f"]d201{gtin_of(PHISOHEX)}17{expiry}10LOT59{GS}21{serial}"
        body = post_scan(shipment, raw).get_json()
    assert findings(body["scans"][0])["R5b"] == "info"
    assert body["shipment"]["recommendation"] == "release", body["shipment"]


def test_one_random_serial_does_not_hide_a_run(
    new_shipment: Callable[..., int], post_scan: Any
) -> None:
    shipment = new_shipment(**entry(PHISOHEX, "Sanofi-Aventis U.S. LLC"))
    body: dict[str, Any] = {}
    for serial in [*(f"SQ{n:06d}" for n in range(1, 8)), "K7QX2M9P"]:
        body = post_scan(
            shipment, f"]d201{gtin_of(PHISOHEX)}1730123110LOT42{GS}21{serial}"
        ).get_json()
    run = next(f for f in body["shipment"]["findings"] if f["rule"] == "R25")
    assert len(run["evidence"]["serials"]) == 7


def test_ai_715_disagreeing_with_the_gtin_is_flagged(
    new_shipment: Callable[..., int], post_scan: Any
) -> None:
    shipment = new_shipment(**entry(PHISOHEX, "Sanofi-Aventis U.S. LLC"))
    raw = f"]d201{gtin_of(PHISOHEX)}1730123110LOT42{GS}21SN778899{GS}7150024153599"
    scan = post_scan(shipment, raw).get_json()["scans"][0]
    assert findings(scan)["R2b"] == "high"

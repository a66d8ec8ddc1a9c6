"""Identifier rules R1, R1b, R2, R3, R4, R6."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from rules import Severity
from rules.identifier import (
    gtin_check_digit_invalid,
    non_us_pack,
    not_gs1_datamatrix,
    product_identifier_incomplete,
    scan_unparseable,
    separator_probably_lost,
)
from tests.rules.conftest import ADVIL, GS, NO_SERIAL, PACK, make_scan_context, run, with_product

GS_LOST = "01003000214070181727030010LOT4221SN0001"
SERIAL_FIRST_GS_LOST = "010030002140701821SN00011727030010LOT42"


@pytest.mark.parametrize(
    ("raw", "errors"),
    [
        pytest.param(f"]d201003000214070181727133210LOT42{GS}21SN0001", ["bad_date"], id="T9"),
        pytest.param(f"]d201003000214070181727030010LOT42{GS}21SN 0001", None, id="T10"),
        pytest.param(SERIAL_FIRST_GS_LOST, ["serial_length"], id="T5"),
        pytest.param("garbage", ["not_gs1"], id="not-gs1"),
    ],
)
def test_r1_lists_the_error_codes(raw: str, errors: list[str] | None) -> None:
    finding = run(scan_unparseable, make_scan_context(raw))[0]
    assert (finding.rule, finding.severity) == ("R1", Severity.MEDIUM)
    if errors is not None:
        assert finding.evidence["errors"] == errors
    assert all(code in finding.message for code in finding.evidence["errors"])
    assert repr(raw) in finding.message


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(PACK, id="clean"),
        pytest.param(GS_LOST, id="only-separator-missing"),
        pytest.param(NO_SERIAL, id="missing-serial-is-R4"),
        pytest.param(f"]d201003000214070191727030010LOT42{GS}21SN0001", id="check-digit-is-R2"),
    ],
)
def test_r1_silent(raw: str) -> None:
    assert run(scan_unparseable, make_scan_context(raw)) == []


def test_r1b_asks_for_a_rescan_and_lists_readings() -> None:
    finding = run(separator_probably_lost, make_scan_context(GS_LOST))[0]
    assert (finding.rule, finding.severity) == ("R1b", Severity.MEDIUM)
    assert {"01": "00300021407018", "17": "270300", "10": "LOT42", "21": "SN0001"} in (
        finding.evidence["readings"]
    )
    assert "(21)SN0001" in finding.message


@pytest.mark.parametrize("raw", [PACK, NO_SERIAL])
def test_r1b_silent_with_separators(raw: str) -> None:
    assert run(separator_probably_lost, make_scan_context(raw)) == []


@pytest.mark.parametrize(
    ("raw", "found", "expected"),
    [
        pytest.param(f"]d201003000214070191727030010LOT42{GS}21SN0001", "9", "8", id="T8"),
        pytest.param("]d201003504585793001727030010LOT42", "0", "7", id="xarelto"),
    ],
)
def test_r2_names_both_digits(raw: str, found: str, expected: str) -> None:
    finding = run(gtin_check_digit_invalid, make_scan_context(raw))[0]
    assert (finding.rule, finding.severity) == ("R2", Severity.HIGH)
    assert (finding.evidence["check_digit"], finding.evidence["expected"]) == (found, expected)
    assert f"check digit {found}" in finding.message and f"require {expected}" in finding.message


def test_r2_silent_on_valid_gtin() -> None:
    assert run(gtin_check_digit_invalid, make_scan_context(PACK)) == []


@pytest.mark.parametrize(
    ("raw", "facts", "linear_only", "assumed"),
    [
        pytest.param("]E00300021407018", {}, True, False, id="T17-linear"),
        pytest.param(
            "]Q1https://id.gs1.org/01/00300021407018/10/LOT42/21/SN0001?17=270300",
            {},
            False,
            False,
            id="digital-link-qr",
        ),
        pytest.param("]C1" + PACK[3:], {}, False, False, id="gs1-128"),
        pytest.param("]E00300021407018", {"product": None}, True, True, id="unknown-product"),
    ],
)
def test_r3_fires(raw: str, facts: dict[str, Any], linear_only: bool, assumed: bool) -> None:
    finding = run(not_gs1_datamatrix, make_scan_context(raw, **facts))[0]
    assert (finding.rule, finding.severity) == ("R3", Severity.MEDIUM)
    assert finding.evidence["linear_only"] is linear_only
    assert finding.evidence["rx_assumed"] is assumed
    assert "GTIN 00300021407018" in finding.message
    assert ("treated as a prescription drug" in finding.message) is assumed


@pytest.mark.parametrize(
    ("raw", "facts"),
    [
        pytest.param(PACK, {}, id="datamatrix"),
        pytest.param("]E00300021407018", {"product": ADVIL}, id="otc"),
        pytest.param("]I150300021407013", {}, id="case-level-itf"),
    ],
)
def test_r3_silent(raw: str, facts: dict[str, Any]) -> None:
    assert run(not_gs1_datamatrix, make_scan_context(raw, **facts)) == []


@pytest.mark.parametrize(
    ("raw", "facts", "missing"),
    [
        pytest.param(NO_SERIAL, {}, ["missing_serial"], id="no-serial"),
        pytest.param("0100300021407018", {}, ["missing_serial", "missing_lot", "missing_expiry"]),
        pytest.param(
            "]d20100300021407018111812001727030010LOT42",
            {},
            ["missing_serial"],
            id="made-after-cutoff",
        ),
        pytest.param(NO_SERIAL, {"product": None}, ["missing_serial"], id="unknown-product"),
    ],
)
def test_r4_fires(raw: str, facts: dict[str, Any], missing: list[str]) -> None:
    finding = run(product_identifier_incomplete, make_scan_context(raw, **facts))[0]
    assert (finding.rule, finding.severity) == ("R4", Severity.HIGH)
    assert finding.evidence["missing"] == missing
    assert "GTIN 00300021407018" in finding.message


@pytest.mark.parametrize(
    ("raw", "facts"),
    [
        pytest.param(PACK, {}, id="complete"),
        pytest.param(GS_LOST, {}, id="T4-blocked-by-R1b"),
        pytest.param(NO_SERIAL, {"product": ADVIL}, id="otc"),
        pytest.param("]d20100300021407018111811261727030010LOT42", {}, id="grandfathered"),
        pytest.param(NO_SERIAL, {"inspection_date": date(2027, 4, 1)}, id="expired-no-ai11"),
    ],
)
def test_r4_silent(raw: str, facts: dict[str, Any]) -> None:
    assert run(product_identifier_incomplete, make_scan_context(raw, **facts)) == []


def test_r4_boundary_made_on_cutoff_day_is_not_grandfathered() -> None:
    ctx = make_scan_context("]d20100300021407018111811271727030010LOT42")
    finding = run(product_identifier_incomplete, ctx)[0]
    assert finding.evidence["prod_date"] == "2018-11-27"
    assert "2018-11-27" in finding.message


def test_r4_assumption_stated_for_unknown_product() -> None:
    finding = run(product_identifier_incomplete, make_scan_context(NO_SERIAL, product=None))[0]
    assert finding.evidence["rx_assumed"] is True
    assert "treated as a prescription drug" in finding.message


@pytest.mark.parametrize(
    ("raw", "foreign"),
    [
        pytest.param(f"]d201040000000000051727030010LOT42{GS}21SN0001", {}, id="non-us-gtin"),
        pytest.param(
            f"]d2010030002140701817270300710PZN1234567{GS}10LOT42{GS}21SN0001",
            {"710": "PZN1234567"},
            id="T18-german-pzn",
        ),
        pytest.param(
            f"]d2010030002140701817270300716AIC123{GS}10LOT42{GS}21SN0001",
            {"716": "AIC123"},
            id="italian-aic",
        ),
    ],
)
def test_r6_fires(raw: str, foreign: dict[str, str]) -> None:
    finding = run(non_us_pack, make_scan_context(raw, product=None))[0]
    assert (finding.rule, finding.severity) == ("R6", Severity.HIGH)
    assert finding.evidence["foreign_nhrn"] == foreign
    for ai, value in foreign.items():
        assert f"({ai}) {value}" in finding.message


@pytest.mark.parametrize(
    "raw",
    [PACK, f"]d2010030002140701817270300715000214070{GS}10LOT42{GS}21SN0001"],
    ids=["us-pack", "us-nhrn-715"],
)
def test_r6_silent(raw: str) -> None:
    assert run(non_us_pack, make_scan_context(raw)) == []


def test_r4_silent_for_listed_product_without_rx_type() -> None:
    ctx = make_scan_context(NO_SERIAL, product=with_product(ADVIL, product_type=None))
    assert run(product_identifier_incomplete, ctx) == []


def test_r4_fires_for_a_pack_without_gtin() -> None:
    ctx = make_scan_context("]d21727030010LOT42\x1d21SN0001", product=None)
    finding = run(product_identifier_incomplete, ctx)[0]
    assert (finding.rule, finding.severity) == ("R4", Severity.HIGH)
    assert finding.evidence["missing"] == ["missing_gtin"]
    assert "GTIN (AI 01)" in finding.message

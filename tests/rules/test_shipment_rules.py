"""Shipment rules R14 (import alerts), R19 (origin), R15/R16 (manifest), R24/R25 (aggregate)."""

from __future__ import annotations

from typing import Any

import pytest

from rules import DeclaredLineFacts, ImportAlertHit, Severity
from rules.aggregate import personal_import_quantity, serial_pattern_anomaly
from rules.import_alerts import firm_on_import_alert
from rules.manifest import entry_ndc_mismatch, entry_quantity_or_party_mismatch
from rules.origin import origin_risk
from tests.rules.conftest import (
    ADVIL,
    XARELTO,
    all_datasets,
    make_policy,
    make_shipment,
    make_shipment_context,
    make_summary,
    pack,
    run,
)

RED = ImportAlertHit("66-40", "red", "manufacturer", "Acme Pharma Ltd", "fei", fei="3001234567")
GREEN_SAME = ImportAlertHit(
    "66-40", "green", "manufacturer", "ACME PHARMA", "fei", fei="3001234567"
)
GREEN_OTHER_ALERT = ImportAlertHit(
    "66-41", "green", "manufacturer", "Acme Pharma", "fei", fei="3001234567"
)
YELLOW = ImportAlertHit("66-78", "yellow", "shipper", "Beta Export Co", "name")


@pytest.mark.parametrize(
    ("hits", "expected"),
    [
        pytest.param((RED,), [Severity.CRITICAL], id="red"),
        pytest.param((YELLOW,), [Severity.MEDIUM], id="yellow"),
        pytest.param((RED, GREEN_SAME), [], id="green-exempts"),
        pytest.param(
            (RED, GREEN_OTHER_ALERT),
            [
                Severity.CRITICAL,
            ],
            id="green-other-alert",
        ),
        pytest.param((GREEN_SAME,), [], id="green-only"),
    ],
)
def test_r14(hits: tuple[ImportAlertHit, ...], expected: list[Severity]) -> None:
    findings = run(firm_on_import_alert, make_shipment_context(import_alert_hits=hits))
    assert [(f.rule, f.severity) for f in findings] == [("R14", s) for s in expected]
    for finding in findings:
        assert finding.evidence["alert_number"] in finding.message
        assert finding.evidence["firm_name"] in finding.message


def test_r14_name_match_asks_for_confirmation() -> None:
    finding = run(firm_on_import_alert, make_shipment_context(import_alert_hits=(YELLOW,)))[0]
    assert "confirm the firm's identity" in finding.message
    assert finding.evidence["list_color"] == "yellow"


@pytest.mark.parametrize(
    ("origin", "export", "expected"),
    [
        ("XA", None, [Severity.LOW]),
        ("XB", None, [Severity.MEDIUM]),
        ("US", None, []),
        ("ZZ", None, []),
        ("DE", "XA", [Severity.LOW]),
        ("XB", "DE", [Severity.MEDIUM, Severity.LOW]),
        ("DE", "de", []),
    ],
)
def test_r19(origin: str, export: str | None, expected: list[Severity]) -> None:
    shipment = make_shipment(origin_country=origin, export_country=export)
    findings = run(origin_risk, make_shipment_context(shipment=shipment))
    assert [(f.rule, f.severity) for f in findings] == [("R19", s) for s in expected]
    assert all(origin in f.message for f in findings)


def test_r19_tiers_come_from_the_policy() -> None:
    ctx = make_shipment_context(
        shipment=make_shipment(origin_country="DE"),
        policy=make_policy(country_tiers={"DE": 3}),
    )
    assert [f.severity for f in run(origin_risk, ctx)] == [Severity.MEDIUM]


XARELTO_LINE = DeclaredLineFacts(2, "50458-0579-30", None, 10, "each")


@pytest.mark.parametrize(
    ("lines", "undeclared"),
    [
        pytest.param(None, ["5045857930"], id="not-declared"),
        pytest.param((XARELTO_LINE,), ["0002140701"], id="only-other-declared"),
    ],
)
def test_r15_fires(lines: tuple[DeclaredLineFacts, ...] | None, undeclared: list[str]) -> None:
    scans = (make_summary(), make_summary(pack(gtin="00350458579307"), XARELTO, 2))
    shipment = make_shipment(declared_lines=lines) if lines else make_shipment()
    finding = run(entry_ndc_mismatch, make_shipment_context(scans, shipment=shipment))[0]
    assert (finding.rule, finding.severity) == ("R15", Severity.HIGH)
    assert [u["ndc10"] for u in finding.evidence["undeclared"]] == undeclared
    assert "ABC1234567" in finding.message


@pytest.mark.parametrize(
    "lines",
    [
        (DeclaredLineFacts(1, "00002-1407-01", None, 5, None),),
        (DeclaredLineFacts(1, "0002140701", None, 5, None),),
        (),
    ],
    ids=["11-digit", "10-digit", "no-declaration"],
)
def test_r15_silent(lines: tuple[DeclaredLineFacts, ...]) -> None:
    ctx = make_shipment_context((make_summary(),), shipment=make_shipment(declared_lines=lines))
    assert run(entry_ndc_mismatch, ctx) == []


def _serial_scans(count: int) -> tuple[Any, ...]:
    return tuple(make_summary(pack(serial=f"R{n * 7919:06d}"), scan_id=n) for n in range(count))


@pytest.mark.parametrize(
    ("declared", "scanned", "fires"),
    [(100, 102, False), (100, 103, True), (3, 3, False), (3, 4, True), (100, 5, False)],
)
def test_r16_quantity(declared: int, scanned: int, fires: bool) -> None:
    line = DeclaredLineFacts(1, "0002-1407-01", "0002140701", declared, "each")
    ctx = make_shipment_context(
        _serial_scans(scanned), shipment=make_shipment(declared_lines=(line,))
    )
    findings = run(entry_quantity_or_party_mismatch, ctx)
    assert [(f.rule, f.severity) for f in findings] == ([("R16", Severity.MEDIUM)] if fires else [])
    if fires:
        assert findings[0].evidence["scanned_serials"] == scanned
        assert (
            f"{scanned} distinct" in findings[0].message
            and f"declares {declared}" in findings[0].message
        )


def test_r16_quantity_skips_non_pack_units() -> None:
    line = DeclaredLineFacts(1, "0002-1407-01", "0002140701", 1, "kg")
    ctx = make_shipment_context(_serial_scans(5), shipment=make_shipment(declared_lines=(line,)))
    assert run(entry_quantity_or_party_mismatch, ctx) == []


@pytest.mark.parametrize(
    ("parties", "fires"),
    [
        ({"manufacturer": {"name": "ELI LILLY & CO."}}, False),
        ({"manufacturer": {"name": "Acme Pharma"}, "shipper": {"name": "Lilly"}}, False),
        ({"manufacturer": {"name": "Acme Pharma Ltd"}}, True),
        ({}, False),
    ],
)
def test_r16_party(parties: dict[str, Any], fires: bool) -> None:
    ctx = make_shipment_context((make_summary(),), shipment=make_shipment(parties=parties))
    findings = run(entry_quantity_or_party_mismatch, ctx)
    assert [f.rule for f in findings] == (["R16"] if fires else [])
    if fires:
        assert findings[0].evidence["check"] == "party"
        assert (
            "Eli Lilly and Company" in findings[0].message
            and "Acme Pharma Ltd" in findings[0].message
        )


@pytest.mark.parametrize(
    ("mode", "scans", "fires"),
    [
        ("mail", (make_summary(), make_summary(pack(gtin="00350458579307"), XARELTO, 2)), True),
        ("courier", tuple(make_summary(pack(serial=f"S{n}"), scan_id=n) for n in range(4)), True),
        ("courier", tuple(make_summary(pack(serial=f"S{n}"), scan_id=n) for n in range(3)), False),
        ("air", (make_summary(), make_summary(pack(gtin="00350458579307"), XARELTO, 2)), False),
        ("mail", (make_summary(), make_summary("]E00305730150200", ADVIL, 2)), False),
    ],
    ids=["two-rx-products", "four-packs", "three-packs", "commercial", "otc-not-counted"],
)
def test_r24(mode: str, scans: tuple[Any, ...], fires: bool) -> None:
    ctx = make_shipment_context(scans, shipment=make_shipment(mode=mode))
    findings = run(personal_import_quantity, ctx)
    assert [(f.rule, f.severity) for f in findings] == ([("R24", Severity.MEDIUM)] if fires else [])
    if fires:
        assert "ABC1234567" in findings[0].message


def test_r24_states_rx_assumption() -> None:
    scans = (make_summary(product=None), make_summary(pack(gtin="00350458579307"), None, 2))
    finding = run(
        personal_import_quantity, make_shipment_context(scans, shipment=make_shipment(mode="mail"))
    )[0]
    assert finding.evidence["rx_assumed"] is True
    assert "treated as a prescription drug" in finding.message


@pytest.mark.parametrize(
    ("serials", "fires"),
    [
        (["SN0001", "SN0002", "SN0003"], True),
        (["100", "101", "102", "103"], True),
        (["SN0001", "SN0002"], False),
        (["SN0001", "SN0002", "SN0004"], False),
        (["SN0001", "XN0002", "SN0003"], False),
        (["7GQ2KX", "P91ZRM", "4TTW0A"], False),
    ],
)
def test_r25(serials: list[str], fires: bool) -> None:
    scans = tuple(make_summary(pack(serial=s), scan_id=n) for n, s in enumerate(serials))
    findings = run(serial_pattern_anomaly, make_shipment_context(scans))
    assert [(f.rule, f.severity) for f in findings] == ([("R25", Severity.LOW)] if fires else [])
    if fires:
        assert findings[0].evidence["serials"] == sorted(serials)
        assert (
            sorted(serials)[0] in findings[0].message
            and "GTIN 00300021407018" in findings[0].message
        )


def test_r14_without_lists_says_it_could_not_check() -> None:
    datasets = all_datasets()
    del datasets["import_alerts"]
    findings = list(firm_on_import_alert(make_shipment_context(datasets=datasets)))
    assert [(f.rule, f.severity) for f in findings] == [("R14", Severity.MEDIUM)]
    assert findings[0].evidence == {"missing": ["import_alerts"], "checked": False}
    assert "not a clean result" in findings[0].message


def test_r19_uses_the_default_tier_for_unlisted_countries() -> None:
    ctx = make_shipment_context(
        shipment=make_shipment(origin_country="XC"),
        policy=make_policy(country_tiers={}, default_country_tier=3),
    )
    finding = next(iter(origin_risk(ctx)))
    assert (finding.rule, finding.severity) == ("R19", Severity.MEDIUM)
    assert finding.evidence["tier"] == 3

"""History rules R9, R9b, R12."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from rules import PriorSighting, Severity
from rules.history import lot_expiry_inconsistent, serial_cloned, serial_data_conflict
from tests.rules.conftest import NO_SERIAL, PACK, make_scan_context, run

SAME = PriorSighting(7, 12, "ABC123", "LOT42", date(2027, 3, 31))
OTHER_LOT = PriorSighting(8, 13, "XYZ999", "LOT43", date(2027, 3, 31))
OTHER_EXPIRY = PriorSighting(9, 14, None, "LOT42", date(2027, 2, 28))
SAME_SHIPMENT = PriorSighting(3, 1, "ABC1234567", "LOT42", date(2027, 3, 31))


@pytest.mark.parametrize(
    ("priors", "shipments"),
    [
        pytest.param((SAME,), [12], id="T14"),
        pytest.param((SAME, OTHER_LOT), [12, 13], id="two-others"),
        pytest.param((SAME_SHIPMENT, SAME), [12], id="own-shipment-ignored"),
    ],
)
def test_r9_fires(priors: tuple[PriorSighting, ...], shipments: list[int]) -> None:
    finding = run(serial_cloned, make_scan_context(PACK, prior_sightings=priors))[0]
    assert (finding.rule, finding.severity) == ("R9", Severity.CRITICAL)
    assert [s["shipment_id"] for s in finding.evidence["other_sightings"]] == shipments
    assert finding.message.startswith(
        "Serial SN0001 of GTIN 00300021407018 was already scanned in shipment 12 (entry ABC123)"
    )


@pytest.mark.parametrize(
    ("raw", "priors", "in_shipment"),
    [
        pytest.param(PACK, (), (), id="first-sighting"),
        pytest.param(PACK, (), (SAME_SHIPMENT,), id="rescan-same-shipment"),
        pytest.param(NO_SERIAL, (SAME,), (), id="no-serial"),
    ],
)
def test_r9_silent(
    raw: str, priors: tuple[PriorSighting, ...], in_shipment: tuple[PriorSighting, ...]
) -> None:
    ctx = make_scan_context(raw, prior_sightings=priors, shipment_sightings=in_shipment)
    assert run(serial_cloned, ctx) == []


def test_r9b_fires_within_one_shipment() -> None:
    """A second pack in the same shipment with the same serial but another lot."""
    other_lot_here = dataclasses.replace(SAME_SHIPMENT, lot="LOT43")
    ctx = make_scan_context(PACK, shipment_sightings=(other_lot_here,))
    finding = run(serial_data_conflict, ctx)[0]
    assert (finding.rule, finding.severity) == ("R9b", Severity.CRITICAL)
    assert "lot LOT43 instead of LOT42" in finding.message
    assert run(serial_cloned, ctx) == []


@pytest.mark.parametrize(
    ("priors", "quoted", "scan_ids"),
    [
        pytest.param((OTHER_LOT,), "lot LOT43 instead of LOT42", [8], id="T15-lot"),
        pytest.param(
            (SAME, OTHER_EXPIRY), "expiry 2027-02-28 instead of 2027-03-31", [9], id="expiry"
        ),
    ],
)
def test_r9b_fires(priors: tuple[PriorSighting, ...], quoted: str, scan_ids: list[int]) -> None:
    finding = run(serial_data_conflict, make_scan_context(PACK, prior_sightings=priors))[0]
    assert (finding.rule, finding.severity) == ("R9b", Severity.CRITICAL)
    assert quoted in finding.message and "Serial SN0001" in finding.message
    assert [c["scan_id"] for c in finding.evidence["conflicts"]] == scan_ids


@pytest.mark.parametrize(
    "priors",
    [(SAME,), (PriorSighting(5, 20, None, None, None),), ()],
    ids=["same-data", "prior-without-data", "none"],
)
def test_r9b_silent(priors: tuple[PriorSighting, ...]) -> None:
    assert run(serial_data_conflict, make_scan_context(PACK, prior_sightings=priors)) == []


def test_r12_fires_with_other_expiries() -> None:
    ctx = make_scan_context(PACK, lot_expiries=(date(2027, 3, 31), date(2026, 12, 31)))
    finding = run(lot_expiry_inconsistent, ctx)[0]
    assert (finding.rule, finding.severity) == ("R12", Severity.HIGH)
    assert finding.evidence["other_expiries"] == ["2026-12-31"]
    assert "Lot LOT42" in finding.message and "2026-12-31" in finding.message


@pytest.mark.parametrize(
    ("raw", "expiries"),
    [(PACK, ()), (PACK, (date(2027, 3, 31),)), (NO_SERIAL.replace("10LOT42", ""), ())],
    ids=["none-seen", "same-expiry", "no-lot"],
)
def test_r12_silent(raw: str, expiries: tuple[date, ...]) -> None:
    assert run(lot_expiry_inconsistent, make_scan_context(raw, lot_expiries=expiries)) == []

"""All registered rules through `rules.engine`: verdicts and recommendations."""

from __future__ import annotations

import json
from datetime import date

from rules import PriorSighting, Severity
from rules.engine import evaluate_shipment, evaluate_unit
from tests.rules.conftest import (
    PACK,
    make_policy,
    make_scan_context,
    make_shipment_context,
    make_summary,
    pack,
)

CLONE = PriorSighting(7, 12, "ABC123", "LOT42", date(2027, 3, 31))


def test_clean_pack_is_green_and_released() -> None:
    policy = make_policy()
    unit = evaluate_unit(make_scan_context(PACK), policy)
    assert (unit.findings, unit.score, unit.verdict) == ((), 0, "green")
    shipment = evaluate_shipment(make_shipment_context((make_summary(),)), unit.weights, policy)
    assert (shipment.findings, shipment.recommendation) == ((), "release")


def test_cloned_serial_is_red_and_detained() -> None:
    policy = make_policy()
    unit = evaluate_unit(make_scan_context(PACK, prior_sightings=(CLONE,)), policy)
    assert [(f.rule, f.severity) for f in unit.findings] == [("R9", Severity.CRITICAL)]
    assert unit.verdict == "red"
    shipment = evaluate_shipment(make_shipment_context((make_summary(),)), unit.weights, policy)
    assert shipment.recommendation == "detain"


def test_gs_lost_scan_that_reads_validly_as_is_asks_for_a_rescan() -> None:
    unit = evaluate_unit(
        make_scan_context("01003000214070181727030010LOT4221SN0001"), make_policy()
    )
    assert [(f.rule, f.severity) for f in unit.findings] == [("R1b", Severity.MEDIUM)]
    assert unit.verdict == "amber"


def test_gs_lost_scan_whose_only_valid_reading_is_the_split_is_not_a_rescan() -> None:
    raw = "01003000214070181727030010BATCHNUMBERLONG4221SN000123"
    unit = evaluate_unit(make_scan_context(raw), make_policy())
    found = [(f.rule, f.severity) for f in unit.findings]
    assert ("R1b", Severity.INFO) in found
    assert "R4" not in {rule for rule, _ in found}


def test_short_dated_pack_adds_nothing_to_missing_recalls() -> None:
    policy = make_policy()
    ctx = make_scan_context(pack(expiry="250801"), datasets={})
    unit = evaluate_unit(ctx, policy)
    assert [(f.rule, str(f.severity)) for f in unit.findings] == [
        ("R0", "medium"),
        ("R0", "info"),
        ("R5b", "info"),
    ]
    assert (unit.score, unit.verdict) == (25, "amber")
    shipment = evaluate_shipment(make_shipment_context((make_summary(),)), unit.weights, policy)
    assert (shipment.risk_score, shipment.recommendation) == (25, "exam")


def test_every_finding_is_json_ready() -> None:
    ctx = make_scan_context(
        "]d201003000214070191725030110LOT42\x1d21SN0001", prior_sightings=(CLONE,), datasets={}
    )
    unit = evaluate_unit(ctx, make_policy())
    assert {"R0", "R2", "R5", "R9", "R9b"} <= {f.rule for f in unit.findings}
    json.dumps([f.to_dict() for f in unit.findings])

"""Lot extraction from real openFDA code_info text, and its precision on a hand-checked set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspect_svc.reference.lots import LotRange, extract_lots, lot_key
from inspect_svc.reference.recall_lookup import in_lot_range

PRECISION_FLOOR = 0.99
RECALL_FLOOR = 0.99


@pytest.mark.parametrize(
    ("code_info", "lots"),
    [
        (
            "Lot #: 1095213, 1095214, Exp Apr-13; 1097733, Exp Jul-13; 1098540, Exp Aug-13.",
            ["1095213", "1095214", "1097733", "1098540"],
        ),
        ("Lot Numbers: 20150505@1 BUD: 10/31/2015", ["20150505@1"]),
        (
            "Product Code: 6974; Lots: 58322, 58649, EXP 04/03/2018; 60186, EXP 08/02/2018; "
            "60747, EXP 09/06/2018.",
            ["58322", "58649", "60186", "60747"],
        ),
        ("Lot #2067134 Exp 5/31/2013, NDC 55390-039-10", ["2067134"]),
        ("Item Number:  95090007  Lot #: 66572", ["66572"]),
        ("Lot# 01-2020-28@10", ["01-2020-28@10"]),
        ("Lot: 53-113-JT, Exp 1NOV2016", ["53-113-JT"]),
        ("Lot #: 1220017764, exp. date June 24, 2020", ["1220017764"]),
        ("Lots: P203093 Exp. DEC 21; P203026 Exp. JUN 21", ["P203093", "P203026"]),
        (
            "NORTRIPTYLINE HCL, Capsule, 75 mg has the following codes:   Pedigree: AD21790_73, "
            "EXP: 5/1/2014;  Pedigree: W003694, EXP: 6/26/2014.",
            ["AD21790_73", "W003694"],
        ),
        ("Rx #'s:  0397883    0353267    0408663", []),
        ("Stock No: 1096; Case UPC: 3 10742 91096 (4); Item UPC 3 10742 01096 1", []),
    ],
)
def test_real_code_info_strings(code_info: str, lots: list[str]) -> None:
    assert extract_lots(code_info).lots == lots


def test_all_lots_flag_and_confidence() -> None:
    plain = extract_lots("All lots")
    assert plain.all_lots and plain.lots == [] and plain.confidence == "high"
    qualified = extract_lots("All lots repackaged and distributed between 01/05/12 to 02/12/15")
    assert qualified.all_lots and qualified.lots == [] and qualified.confidence == "medium"
    both = extract_lots(
        "All lots distributed between November 2014 and May 2015;  03102015@34 6/8/2015"
    )
    assert both.all_lots and both.lots == ["03102015@34"]
    assert extract_lots("Compounded on 05/29/15, Discard After: 06/12/15").confidence == "none"


def test_unlabelled_codes_have_low_confidence() -> None:
    found = extract_lots(
        "A5028 Exp 6/2/13, B5011 exp 6/1/13, C4112 Exp 6/1/13, and C4208 Exp 6/20/13"
    )
    assert found.lots == ["A5028", "B5011", "C4112", "C4208"] and found.confidence == "low"


def test_ranges() -> None:
    found = extract_lots(
        "Lot# 13-920742-0-1 EXP 21 JUN 2014 and Lot# 13-920452-0-1 through 13-920452-0-30, "
        "EXP 21 JUN 2014"
    )
    assert found.lots == ["13-920742-0-1"]
    assert found.ranges == [LotRange("13-920452-0-1", "13-920452-0-30")]
    assert found.confidence == "medium"
    assert in_lot_range("13920452012", "13-920452-0-1", "13-920452-0-30")
    assert not in_lot_range("13-920452-0-31", "13-920452-0-1", "13-920452-0-30")


def test_more_code_info_is_read_too() -> None:
    found = extract_lots(
        "See attached", "Service Code 2K8870 , Lot Number 160950031C , Exp. Date 6/24/2016"
    )
    assert found.lots == ["160950031C"]


def test_precision_on_hand_checked_records(data_dir: Path) -> None:
    """Micro-averaged precision and recall of lots (compared by lot key) on 151 records."""
    true_pos = false_pos = false_neg = 0
    all_lots_right = 0
    text = (data_dir / "recall_lots_checked.jsonl").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines()]
    assert len(rows) >= 100
    for row in rows:
        found = extract_lots(row["code_info"], row["more_code_info"])
        got = {lot_key(lot) for lot in found.lots} | {
            f"{lot_key(r.first)}..{lot_key(r.last)}" for r in found.ranges
        }
        expected = {lot_key(lot) for lot in row["expected_lots"]} | {
            f"{lot_key(first)}..{lot_key(last)}" for first, last in row["expected_ranges"]
        }
        true_pos += len(got & expected)
        false_pos += len(got - expected)
        false_neg += len(expected - got)
        all_lots_right += found.all_lots == row["expected_all_lots"]
    precision = true_pos / (true_pos + false_pos)
    recall = true_pos / (true_pos + false_neg)
    print(
        f"lot precision {precision:.4f} recall {recall:.4f} over {len(rows)} records; "
        f"all-lots flag right {all_lots_right}/{len(rows)}"
    )
    assert precision >= PRECISION_FLOOR
    assert recall >= RECALL_FLOOR
    assert all_lots_right == len(rows)

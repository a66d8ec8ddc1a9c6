"""Lot extraction measured on a hand-checked random sample of real openFDA recalls.

The sample, how it was drawn and read, and its conventions: tests/reference/data/README.md.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspect_svc.reference.lots import extract_lots, lot_key

SAMPLE = Path(__file__).resolve().parent / "data" / "recall_lots_sample_2026.jsonl"
FLOOR = 0.99


def _rows() -> list[dict[str, object]]:
    return [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("subset", ["tuning", "holdout", None])
def test_precision_and_recall_on_the_hand_checked_sample(subset: str | None) -> None:
    rows = [row for row in _rows() if subset is None or row["set"] == subset]
    assert len(rows) >= (60 if subset else 180)
    true_pos = false_pos = false_neg = flags_right = 0
    for row in rows:
        found = extract_lots(row["code_info"], row["more_code_info"])  # type: ignore[arg-type]
        got = {lot_key(lot) for lot in found.lots} | {
            f"{lot_key(r.first)}..{lot_key(r.last)}" for r in found.ranges
        }
        expected = {lot_key(lot) for lot in row["true_lots"]}  # type: ignore[attr-defined]
        true_pos += len(got & expected)
        false_pos += len(got - expected)
        false_neg += len(expected - got)
        flags_right += found.all_lots == row["true_all_lots"]
    precision = true_pos / (true_pos + false_pos)
    recall = true_pos / (true_pos + false_neg)
    print(f"{subset or 'all'}: precision {precision:.4f} recall {recall:.4f} on {len(rows)}")
    assert precision >= FLOOR and recall >= FLOOR
    assert flags_right >= FLOOR * len(rows)


@pytest.mark.parametrize(
    ("recall_number", "code_info", "lots"),
    [
        ("D-0598-2018", "Lot # MGEC", ["MGEC"]),
        (
            "D-1148-2015",
            "Lot #s: KPPY, Exp 06/15; NBXD, NBXF, Exp 10/16; NBXG, Exp 09/15; NKZS, Exp 11/15",
            ["KPPY", "NBXD", "NBXF", "NBXG", "NKZS"],
        ),
        ("D-1163-2018", "Lot #: 180709/21, Exp 07-Sep-18", ["180709/21"]),
        (
            "D-1158-2018",
            "Lot #: 180529/2, Exp 27-Aug-18 and 180620/11, Exp 18-Sep-18",
            ["180529/2", "180620/11"],
        ),
        ("D-0271-2015", "141013CC, 11/13/14", ["141013CC"]),
        (
            "D-369-2014",
            "Lot numbers: 04/15/2012, Exp 04/15/14; 05/15/2012, Exp 05/15/14",
            ["04/15/2012", "05/15/2012"],
        ),
        ("D-0239-2021", "Lot 2020/05/11, exp 2023/05/10", ["2020/05/11"]),
        (
            "D-0118-2018",
            "Lot: 4/26/17 0730 20-86367S, BUD 6/25/17; 4/24/17 0106 241-86367S, BUD 6/23/17",
            ["4/26/17 0730 20-86367S", "4/24/17 0106 241-86367S"],
        ),
        (
            "D-1004-2016",
            "Lot #: 01282016:60@3, Exp.04/28/2016; Lot #: 02242016:  90@20, Exp.05/24/2016",
            ["01282016:60@3", "02242016:90@20"],
        ),
        ("D-1554-2014", "Lots 7083-0, 7202-0, 7222-0 Exp. 08/14", ["7083-0", "7202-0", "7222-0"]),
        ("D-353-2014", "Style #190787 & 190868", []),
        ("D-0977-2015", "Lots: ALL", []),
    ],
)
def test_lot_shapes_the_old_extractor_missed(
    recall_number: str, code_info: str, lots: list[str]
) -> None:
    assert extract_lots(code_info).lots == lots, recall_number


def test_distribution_period_without_all_is_an_all_lots_recall() -> None:
    found = extract_lots("distributed prior to and including 05/23/2013")  # D-295-2014
    assert found.all_lots and found.lots == []
    assert extract_lots("Lots: ALL").all_lots  # D-0977-2015

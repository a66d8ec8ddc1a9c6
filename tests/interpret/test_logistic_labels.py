"""Logistic labels: SSCC (AI 00), case GTINs, content GTIN (AI 02) with count (AI 37), AI 30.

The GTINs embed NDC 0002-1407-01 (the reference vectors' pack); ``50300021407013`` is
its case GTIN (indicator 5).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from inspect_core.interpret import InterpretOptions, interpret

GS = "\x1d"
OPTIONS = InterpretOptions(today=date(2025, 6, 1))
SSCC = "003000210000000011"

CASES: list[tuple[str, str, dict[str, Any]]] = [
    (
        "pallet SSCC alone",
        f"]C100{SSCC}",
        {"level": "pallet", "sscc": SSCC, "gtin": None, "errors": (), "warnings": ()},
    ),
    (
        "SSCC with content GTIN, count and lot",
        f"]C100{SSCC}0200300021407018{'37'}12{GS}10LOT42",
        {
            "level": "pallet",
            "sscc": SSCC,
            "content_gtin": "00300021407018",
            "count": 12,
            "lot": "LOT42",
            "errors": (),
        },
    ),
    (
        "SSCC with a wrong check digit",
        "]C100003000210000000018",
        {"level": "pallet", "sscc": "003000210000000018", "errors": ("sscc_check_digit",)},
    ),
    (
        "SSCC of 17 digits is truncated",
        "]C10000300021000000001",
        {"errors": ("truncated", "missing_gtin")},
    ),
    (
        "content GTIN and count without SSCC: a case label",
        "]C10200300021407018376",
        {"level": "case", "content_gtin": "00300021407018", "count": 6, "errors": ()},
    ),
    (
        "content GTIN with a wrong check digit",
        "]C10200300021407011376",
        {"errors": ("gtin_check_digit",)},
    ),
    (
        "serialised case GTIN (indicator 5) keeps DSCSA completeness",
        f"]d20150300021407013{'17'}270300{'10'}LOT42{GS}21C0001",
        {
            "level": "case",
            "gtin": "50300021407013",
            "gtin_indicator": "5",
            "serial": "C0001",
            "ndc10": "0002140701",
            "errors": (),
        },
    ),
    (
        "case GTIN without a serial is still missing it",
        "]d2015030002140701317270300" + "10LOT42",
        {"level": "case", "errors": ("missing_serial",)},
    ),
    (
        "AI 30 variable count",
        f"]d20100300021407018{'17'}270300{'10'}LOT42{GS}21SN1{GS}3024",
        {"level": "pack", "variable_count": 24, "count": None, "errors": ()},
    ),
    (
        "a pack stays a pack",
        f"]d20100300021407018{'17'}270300{'10'}LOT42{GS}21SN0001",
        {"level": "pack", "sscc": None, "content_gtin": None, "errors": ()},
    ),
    (
        "a GS1 string with neither 01, 00 nor 02 still misses its GTIN",
        "]d210LOT42",
        {"level": None, "errors": ("missing_gtin",)},
    ),
    (
        "Digital Link SSCC",
        f"https://id.gs1.org/00/{SSCC}",
        {"level": "pallet", "sscc": SSCC, "format": "digital_link", "errors": ()},
    ),
    (
        "HRI SSCC with content and count",
        f"(00){SSCC}(02)00300021407018(37)12",
        {"level": "pallet", "sscc": SSCC, "count": 12, "format": "hri", "errors": ()},
    ),
]


@pytest.mark.parametrize(("raw", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_logistic_label(raw: str, expected: dict[str, Any]) -> None:
    result = interpret(raw, OPTIONS)
    got = {key: getattr(result, key) for key in expected}
    assert got == expected


def test_logistic_fields_in_json() -> None:
    body = interpret(f"]C100{SSCC}0200300021407018{'37'}12", OPTIONS).to_dict()
    assert body["sscc"] == SSCC
    assert body["content_gtin"] == "00300021407018"
    assert body["count"] == 12
    assert body["level"] == "pallet"

"""A fixed-length field cut short in HRI or a Digital Link is `truncated`; UPC-E is expanded.

The pack is NDC 0002-1407-01 (GTIN 00300021407018), from FDA's NDC Directory test data.
"""

from __future__ import annotations

from datetime import date

import pytest

from inspect_core.interpret import InterpretOptions, interpret

OPTIONS = InterpretOptions(today=date(2025, 6, 1))


@pytest.mark.parametrize(
    "raw",
    [
        "(01)0030002140701(17)270300(10)LOT42(21)SN0001",
        "(01)0030002140701",
        "(10)LOT42(21)SN0001(01)003000214070",
        "https://id.gs1.org/01/0030002140701/10/LOT42/21/SN0001?17=270300",
    ],
)
def test_gtin_cut_short_is_truncated(raw: str) -> None:
    result = interpret(raw, OPTIONS)
    assert "truncated" in result.errors
    assert "ai_format" not in result.errors and "gtin_check_digit" not in result.errors
    assert result.gtin is None and not result.valid


def test_expiry_cut_short_in_hri_is_truncated() -> None:
    result = interpret("(01)00300021407018(21)SN0001(10)LOT42(17)27030", OPTIONS)
    assert result.errors == ("truncated",)
    assert result.gtin == "00300021407018"


def test_whole_short_gtins_in_a_digital_link_are_still_padded() -> None:
    result = interpret("https://id.gs1.org/01/4006381333931/10/A1/21/S1?17=270300", OPTIONS)
    assert result.gtin == "04006381333931" and "truncated" not in result.errors


@pytest.mark.parametrize("raw", ["]E004252614", "04252614"])
def test_upc_e_is_expanded_to_upc_a(raw: str) -> None:
    result = interpret(raw, OPTIONS)
    assert result.gtin == "00042100005264"
    assert result.valid and "upc_e_expanded" in result.warnings


def test_upc_e_with_a_wrong_check_digit_is_reported() -> None:
    result = interpret("]E004252615", OPTIONS)
    assert result.gtin is None and result.errors == ("gtin_check_digit",)


def test_ean_8_stays_ean_8() -> None:
    result = interpret("]E496385074", OPTIONS)
    assert result.gtin == "00000096385074" and "upc_e_expanded" not in result.warnings

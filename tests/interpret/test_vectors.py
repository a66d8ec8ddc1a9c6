"""Table-driven interpretation tests: the reference vectors T1-T18 and further cases.

NDCs other than those of the reference vectors are real package codes from the FDA NDC
Directory sample of January 2014 (0019-9450-02, 10424-163-02, 10096-0264-2,
10544-273-20).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from inspect_core.interpret import InterpretOptions, interpret, resolve_ndc

GS = "\x1d"
TODAY = date(2025, 6, 1)
OPTIONS = InterpretOptions(today=TODAY)

PACK = {
    "gtin": "00300021407018",
    "ndc10": "0002140701",
    "ndc": None,
    "serial": "SN0001",
    "lot": "LOT42",
    "expiry": date(2027, 3, 31),
}
T1 = {**PACK, "symbology": "]d2", "format": "gs1", "errors": (), "warnings": ()}
T2 = {**PACK, "symbology": None, "format": "gs1", "errors": (), "warnings": ("no_symbology",)}

CASES: list[tuple[str, str | bytes, dict[str, Any]]] = [
    ("T1", f"]d201003000214070181727030010LOT42{GS}21SN0001", T1),
    ("T2", f"01003000214070181727030010LOT42{GS}21SN0001", T2),
    ("T3", f"010030002140701821SN0001{GS}1727030010LOT42", T2),
    (
        "T4 lost GS: lot withheld, candidates given",
        "01003000214070181727030010LOT4221SN0001",
        {
            "gtin": "00300021407018",
            "serial": None,
            "lot": None,
            "expiry": date(2027, 3, 31),
            "errors": ("separator_missing",),
            "warnings": ("no_symbology",),
            "separator_candidates": (
                {"01": "00300021407018", "17": "270300", "10": "LOT4221SN0001"},
                {"01": "00300021407018", "17": "270300", "10": "LOT42", "21": "SN0001"},
            ),
        },
    ),
    (
        "T5 serial swallowed expiry and lot",
        "010030002140701821SN00011727030010LOT42",
        {
            "serial": None,
            "lot": None,
            "expiry": None,
            "errors": ("serial_length", "separator_missing"),
        },
    ),
    (
        "T6",
        "(01)00300021407018(17)270300(10)LOT42(21)SN0001",
        {**T2, "format": "hri", "warnings": ()},
    ),
    (
        "T7",
        "]Q1https://id.gs1.org/01/00300021407018/10/LOT42/21/SN0001?17=270300",
        {**T1, "symbology": "]Q1", "format": "digital_link", "warnings": ("not_datamatrix",)},
    ),
    (
        "T8 check digit",
        f"]d201003000214070191727030010LOT42{GS}21SN0001",
        {**T1, "gtin": "00300021407019", "errors": ("gtin_check_digit",)},
    ),
    (
        "T9 month 13",
        f"]d201003000214070181727133210LOT42{GS}21SN0001",
        {**T1, "expiry": None, "errors": ("bad_date",)},
    ),
    (
        "T10 space in serial",
        f"]d201003000214070181727030010LOT42{GS}21SN 0001",
        {**T1, "serial": "SN 0001", "errors": ("serial_charset",)},
    ),
    (
        "T11 bare GTIN",
        "00350458579307",
        {
            "format": "gtin",
            "gtin": "00350458579307",
            "ndc10": "5045857930",
            "ndc": None,
            "ndc_candidates": ("5045-8579-30", "50458-579-30", "50458-5793-0"),
            "errors": (),
            "warnings": ("no_product_identifier", "no_symbology"),
        },
    ),
    (
        "T12 typed NDC",
        "0002-1407-01",
        {
            "format": "ndc",
            "gtin": None,
            "ndc10": "0002140701",
            "ndc": "0002-1407-01",
            "errors": (),
            "warnings": ("no_product_identifier",),
        },
    ),
    (
        "T13 DD=00 in a leap year",
        f"]d201003000214070181728020010LOT42{GS}21SN0001",
        {**T1, "expiry": date(2028, 2, 29)},
    ),
    ("T16 GS kept as data, not whitespace", f"]d2010030002140701821SN0001{GS}1727030010LOT42", T1),
    # Transport variants
    ("<GS> text", "]d201003000214070181727030010LOT42<GS>21SN0001", T1),
    (
        "leading and trailing GS, CRLF",
        f"]d2{GS}01003000214070181727030010LOT42{GS}21SN0001{GS}\r\n",
        T1,
    ),
    ("TAB terminator", f"01003000214070181727030010LOT42{GS}21SN0001\t", T2),
    ("bytes", b"]d201003000214070181727030010LOT42\x1d21SN0001\r", T1),
    (
        "GS1-128",
        f"]C101003000214070181727030010LOT42{GS}21SN0001",
        {**T1, "symbology": "]C1", "warnings": ("not_datamatrix",)},
    ),
    (
        "element string in plain Data Matrix",
        f"]d101003000214070181727030010LOT42{GS}21SN0001",
        {**T1, "symbology": "]d1", "warnings": ("symbology_mismatch", "not_datamatrix")},
    ),
    (
        "Digital Link: padding, case, percent-encoding, alphas, prefix path",
        "HTTPS://example.com/x/gtin/300021407018/lot/LOT%342/ser/SN0001?exp=270300&linkType=all#a",
        {**T2, "format": "digital_link", "warnings": ("no_symbology",)},
    ),
    # Real directory NDCs
    (
        "4-4-2 pack 0019-9450-02",
        f"]d201003001994500211727120010A1{GS}21X9",
        {
            "gtin": "00300199450021",
            "ndc10": "0019945002",
            "lot": "A1",
            "serial": "X9",
            "expiry": date(2027, 12, 31),
            "errors": (),
        },
    ),
    (
        "5-3-2 case GTIN 10424-163-02, indicator 5",
        f"]d201503104241630271726011510B-7{GS}21Q",
        {
            "gtin": "50310424163027",
            "ndc10": "1042416302",
            "expiry": date(2026, 1, 15),
            "errors": (),
        },
    ),
    (
        "linear UPC-A of 10096-0264-2",
        "]E00310096026427",
        {
            "format": "gtin",
            "gtin": "00310096026427",
            "ndc10": "1009602642",
            "errors": (),
            "warnings": ("no_product_identifier",),
        },
    ),
    (
        "typed 11-digit NDC of 10544-273-20",
        "10544-0273-20",
        {"format": "ndc", "ndc10": "1054427320", "ndc": "10544-273-20", "errors": ()},
    ),
    ("typed 11 digits", "00019945002", {"format": "ndc", "ndc": "0019-9450-02", "errors": ()}),
    (
        "typed 10 digits",
        "1054427320",
        {
            "format": "ndc",
            "ndc10": "1054427320",
            "ndc": None,
            "ndc_candidates": ("1054-4273-20", "10544-273-20", "10544-2732-0"),
            "errors": (),
        },
    ),
    ("typed NDC label", "NDC: 10096-0264-2", {"format": "ndc", "ndc": "10096-0264-2"}),
    ("bad NDC layout", "12345-67-890", {"format": "ndc", "errors": ("ndc_format",)}),
    (
        "ambiguous 11-digit NDC",
        "50458057901",
        {
            "format": "ndc",
            "ndc10": None,
            "errors": ("ndc_ambiguous",),
            "ndc_candidates": ("50458-579-01", "50458-0579-1"),
        },
    ),
    # Errors and warnings
    ("empty", "\r\n", {"format": "unknown", "errors": ("empty",)}),
    ("only GS", f"]d2{GS}<GS>", {"symbology": "]d2", "errors": ("empty",)}),
    ("text", "hello world", {"format": "unknown", "errors": ("not_gs1",)}),
    ("too long", "0" * 2049, {"format": "unknown", "errors": ("too_long",)}),
    ("bad UTF-8", b"]d2\xff", {"errors": ("encoding", "non_ascii", "not_gs1")}),
    (
        "control character",
        "]d20100300021407018\x0017270300",
        {
            "errors": (
                "control_character",
                "unknown_ai",
                "missing_serial",
                "missing_lot",
                "missing_expiry",
            )
        },
    ),
    (
        "non-ASCII lot",
        f"]d201003000214070181727030010LOTé{GS}21S",
        {"lot": "LOTé", "errors": ("non_ascii", "lot_charset")},
    ),
    ("truncated GTIN", "]d2010030002140", {"gtin": None, "errors": ("truncated", "missing_gtin")}),
    (
        "unknown AI",
        f"]d201003000214070180512345{GS}17270300{GS}10L{GS}21S",
        {"errors": ("unknown_ai",), "lot": "L"},
    ),
    (
        "duplicate AI",
        f"]d20100300021407018172703001727040010L{GS}21S",
        {"errors": ("duplicate_ai",), "expiry": date(2027, 3, 31)},
    ),
    (
        "repeated AI",
        f"]d20100300021407018172703001727030010L{GS}21S",
        {"errors": (), "warnings": ("repeated_ai",)},
    ),
    (
        "lot too long",
        f"]d201003000214070181727030010{'L' * 21}{GS}21S",
        {"errors": ("lot_length",)},
    ),
    (
        "not a US GTIN",
        f"]d201040063813339311727030010L{GS}21S",
        {"ndc10": None, "errors": (), "warnings": ("not_us_gtin",)},
    ),
    (
        "foreign NHRN",
        f"]d201003000214070181727030010L{GS}21S{GS}71012345678",
        {"nhrn": {"710": "12345678"}, "warnings": ("foreign_nhrn",)},
    ),
    ("no GTIN", f"]d221S{GS}10L", {"errors": ("missing_gtin",)}),
    (
        "production date",
        f"]d20100300021407018112501311727030010L{GS}21S",
        {"prod_date": date(2025, 1, 31), "errors": ()},
    ),
]


@pytest.mark.parametrize(("raw", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_interpretation(raw: str | bytes, expected: dict[str, Any]) -> None:
    result = interpret(raw, OPTIONS)
    for name, value in expected.items():
        assert getattr(result, name) == value, name
    assert result.valid is not result.errors


def test_resolver_supplies_ndc() -> None:
    directory = {"0002140701": "0002-1407-01"}
    raw = f"]d201003000214070181727030010LOT42{GS}21SN0001"
    result = resolve_ndc(interpret(raw, OPTIONS), directory.get)
    assert result.ndc == "0002-1407-01"
    assert result.ndc_candidates == ()
    assert result.warnings == ()
    unknown = resolve_ndc(interpret("00350458579307", OPTIONS), directory.get)
    assert unknown.ndc is None
    assert unknown.warnings == ("no_product_identifier", "no_symbology", "ndc_unresolved")


def test_configured_substitute_replaces_default() -> None:
    options = InterpretOptions(today=TODAY, gs_substitutes=("#", ""))
    result = interpret("]d201003000214070181727030010LOT42#21SN0001", options)
    assert (result.lot, result.serial, result.errors) == ("LOT42", "SN0001", ())


def test_century_window() -> None:
    early = InterpretOptions(today=date(2080, 1, 1))
    result = interpret(f"]d201003000214070181727030010L{GS}21S", early)
    assert result.expiry == date(2127, 3, 31)


def test_to_dict_is_json_ready() -> None:
    data = interpret(f"]d201003000214070181727030010LOT42{GS}21SN0001", OPTIONS).to_dict()
    assert data["expiry"] == "2027-03-31"
    assert data["valid"] is True
    assert data["elements"][0] == {"ai": "01", "value": "00300021407018"}
    assert set(data) >= {
        "raw",
        "symbology",
        "format",
        "gtin",
        "ndc10",
        "ndc",
        "serial",
        "lot",
        "expiry",
        "valid",
        "errors",
        "warnings",
    }

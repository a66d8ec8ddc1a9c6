"""NDC helpers: layouts, 11-digit billing form, GTIN round trips (docs/identifiers.md §2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspect_core.ndc import (
    Ndc,
    candidates_from_ndc10,
    candidates_from_ndc11,
    gs1_check_digit,
    gtin14_from_ndc10,
    ndc10_from_gtin,
    parse_hyphenated,
)

PACKAGE_CODES = [
    line
    for line in (Path(__file__).parent / "data" / "ndc_package_codes_2014.txt")
    .read_text(encoding="ascii")
    .splitlines()
    if line and not line.startswith("#")
]


def test_sample_has_all_rows_and_layouts() -> None:
    assert len(PACKAGE_CODES) == 300
    layouts = {parse_hyphenated(code).layout for code in PACKAGE_CODES}  # type: ignore[union-attr]
    assert layouts == {"4-4-2", "5-3-2", "5-4-1"}


@pytest.mark.parametrize("code", PACKAGE_CODES)
def test_directory_code_round_trips_through_gtin(code: str) -> None:
    ndc = parse_hyphenated(code)
    assert ndc is not None
    assert ndc.hyphenated == code
    for indicator in "05":
        gtin = ndc.gtin14(indicator)
        assert len(gtin) == 14
        assert gtin[:3] == indicator + "03"
        assert gs1_check_digit(gtin[:-1]) == int(gtin[-1])
        assert ndc10_from_gtin(gtin) == ndc.ndc10
    assert ndc in candidates_from_ndc10(ndc.ndc10)
    assert candidates_from_ndc11(ndc.ndc11) == (ndc,) or ndc in candidates_from_ndc11(ndc.ndc11)
    eleven = f"{ndc.ndc11[:5]}-{ndc.ndc11[5:9]}-{ndc.ndc11[9:]}"
    assert parse_hyphenated(eleven) in (ndc, None)


@pytest.mark.parametrize(
    ("text", "layout", "ndc10", "ndc11", "gtin"),
    [
        ("0002-1407-01", "4-4-2", "0002140701", "00002140701", "00300021407018"),
        ("50458-579-30", "5-3-2", "5045857930", "50458057930", "00350458579307"),
        ("61958-2501-1", "5-4-1", "6195825011", "61958250101", "00361958250115"),
        ("0002-0800-01", "4-4-2", "0002080001", "00002080001", "00300020800018"),
        ("0002-1200-50", "4-4-2", "0002120050", "00002120050", "00300021200503"),
        ("0069-4200-30", "4-4-2", "0069420030", "00069420030", "00300694200305"),
    ],
)
def test_domain_vectors(text: str, layout: str, ndc10: str, ndc11: str, gtin: str) -> None:
    ndc = parse_hyphenated(text)
    assert ndc is not None
    assert ndc.layout == layout
    assert ndc.ndc10 == ndc10
    assert ndc.ndc11 == ndc11
    assert ndc.gtin14() == gtin
    assert gtin14_from_ndc10(ndc10) == gtin


def test_case_level_indicator() -> None:
    assert gtin14_from_ndc10("0002140701", "5") == "50300021407013"
    assert gtin14_from_ndc10("5045857930", "5") == "50350458579302"


def test_check_digit_control_examples() -> None:
    assert gs1_check_digit("950110153000") == 3
    assert gs1_check_digit("35045857930") == 7
    assert gs1_check_digit("0030002140701") == 8


def test_candidates_from_ndc10_t11() -> None:
    assert [c.hyphenated for c in candidates_from_ndc10("5045857930")] == [
        "5045-8579-30",
        "50458-579-30",
        "50458-5793-0",
    ]


@pytest.mark.parametrize("digits", ["", "123456789", "12345678901", "50458579３0", "5045857a30"])
def test_candidates_from_ndc10_rejects(digits: str) -> None:
    assert candidates_from_ndc10(digits) == ()


@pytest.mark.parametrize(
    ("digits", "expected"),
    [
        ("00002140701", ["0002-1407-01"]),
        ("50458057930", ["50458-579-30"]),
        ("61958250101", ["61958-2501-1"]),
        ("50458057901", ["50458-579-01", "50458-0579-1"]),
        ("50458157931", []),
        ("0000214070", []),
    ],
)
def test_candidates_from_ndc11(digits: str, expected: list[str]) -> None:
    assert [c.hyphenated for c in candidates_from_ndc11(digits)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("00002-1407-01", "0002-1407-01"),
        ("50458-0579-30", "50458-579-30"),
        ("61958-2501-01", "61958-2501-1"),
        ("50458-0579-01", None),
        ("12345-67-890", None),
        ("0002-1407-01-", None),
        ("0002--1407-01", None),
        ("0002 1407 01", None),
        ("０００２-1407-01", None),
        ("", None),
    ],
)
def test_parse_hyphenated(text: str, expected: str | None) -> None:
    ndc = parse_hyphenated(text)
    assert (ndc.hyphenated if ndc else None) == expected


@pytest.mark.parametrize(
    "gtin", ["00400021407015", "0030002140701", "003000214070189", "0030002140701X"]
)
def test_ndc10_from_gtin_rejects(gtin: str) -> None:
    assert ndc10_from_gtin(gtin) is None


@pytest.mark.parametrize(
    ("ndc10", "indicator"), [("123", "0"), ("0002140701", "10"), ("0002140701", "x")]
)
def test_gtin14_from_ndc10_rejects(ndc10: str, indicator: str) -> None:
    with pytest.raises(ValueError):
        gtin14_from_ndc10(ndc10, indicator)


def test_ndc_rejects_bad_segments() -> None:
    with pytest.raises(ValueError):
        Ndc("123", "4567", "89")
    with pytest.raises(ValueError):
        gs1_check_digit("12a")


@given(st.from_regex(r"[0-9]{10}", fullmatch=True), st.sampled_from("012345678"))
def test_every_split_round_trips(digits: str, indicator: str) -> None:
    for ndc in candidates_from_ndc10(digits):
        assert ndc.ndc10 == digits
        assert parse_hyphenated(ndc.hyphenated) == ndc
        assert ndc10_from_gtin(ndc.gtin14(indicator)) == digits
        issued = len(ndc.labeler) == 4 or ndc.labeler[0] != "0"
        assert (ndc in candidates_from_ndc11(ndc.ndc11)) == issued

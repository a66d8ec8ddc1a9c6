"""ISO/IEC 15434 envelopes: GS1 data (05) and ASC data identifiers (06, German packs)."""

from __future__ import annotations

from datetime import date

import pytest

from inspect_core.interpret import InterpretOptions, interpret

OPTIONS = InterpretOptions(today=date(2025, 1, 1))
RS, GS, EOT = "\x1e", "\x1d", "\x04"
GERMAN_PACK = f"]d1[)>{RS}06{GS}9N111234567842{GS}1TABC123{GS}D271231{GS}S1234567890AB{RS}{EOT}"


def test_format_06_maps_data_identifiers_to_their_ais() -> None:
    result = interpret(GERMAN_PACK + "\r", OPTIONS)
    assert result.format == "gs1"
    assert result.symbology == "]d1"
    assert (result.lot, result.serial, result.expiry) == (
        "ABC123",
        "1234567890AB",
        date(2027, 12, 31),
    )
    assert result.gtin is None
    assert result.nhrn == {"710": "12345678"}  # the PZN inside the PPN: a German-market pack
    assert result.errors == ("missing_gtin",)
    assert result.warnings == ("iso15434_envelope", "foreign_nhrn")


def test_format_06_with_a_gtin_reads_like_a_gs1_pack() -> None:
    raw = f"[)>{RS}06{GS}8P00300021407018{GS}1TLOT42{GS}D270300{GS}SSN0001{RS}{EOT}"
    result = interpret(raw, OPTIONS)
    assert (result.gtin, result.ndc10, result.lot, result.serial) == (
        "00300021407018",
        "0002140701",
        "LOT42",
        "SN0001",
    )
    assert result.expiry == date(2027, 3, 31)
    assert result.valid


def test_format_05_carries_gs1_element_strings() -> None:
    raw = f"[)>{RS}05{GS}0100300021407018{GS}17270300{GS}10LOT42{GS}21SN0001{RS}{EOT}"
    result = interpret(raw, OPTIONS)
    assert (result.gtin, result.lot, result.serial) == ("00300021407018", "LOT42", "SN0001")
    assert result.errors == ()
    assert "iso15434_envelope" in result.warnings


@pytest.mark.parametrize(
    ("raw", "errors"),
    [
        (f"[)>{RS}07{GS}anything{RS}{EOT}", ("not_gs1",)),
        (f"[)>{RS}", ("not_gs1",)),
        (f"[)>{RS}06{GS}9N12{RS}{EOT}", ("ai_format", "missing_gtin")),
        (
            f"[)>{RS}06{GS}1TLOT 1{GS}8P00300021407018{RS}{EOT}",
            ("lot_charset", "missing_serial", "missing_expiry"),
        ),
    ],
)
def test_broken_envelopes_are_reported(raw: str, errors: tuple[str, ...]) -> None:
    assert interpret(raw, OPTIONS).errors == errors


def test_an_unknown_data_identifier_is_a_warning() -> None:
    raw = f"[)>{RS}06{GS}8P00300021407018{GS}Q5{GS}1TL1{GS}D270300{GS}SS1{RS}{EOT}"
    result = interpret(raw, OPTIONS)
    assert result.valid
    assert "unknown_data_identifier" in result.warnings

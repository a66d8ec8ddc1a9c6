"""Property tests: every transport rendering of a valid pack reads back the same fields."""

from __future__ import annotations

import json
from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from inspect_core.interpret import InterpretOptions, interpret
from inspect_core.interpret import codes as code_table
from tests.interpret.interpret_strategies import GS, TODAY, Pack, any_gtins, packs

SUBSTITUTE = "{GS}"
OPTIONS = InterpretOptions(today=TODAY, gs_substitutes=("<GS>", SUBSTITUTE))
ERROR_CODES = {
    value for name, value in vars(code_table).items() if name.isupper() and isinstance(value, str)
}
TERMINATORS = st.sampled_from(["", "\r", "\n", "\r\n", "\t"])


def assert_pack(pack: Pack, raw: str | bytes, fmt: str, warnings: tuple[str, ...]) -> None:
    result = interpret(raw, OPTIONS)
    assert result.errors == ()
    assert result.format == fmt
    assert result.gtin == pack.gtin
    assert result.ndc10 == (pack.gtin[3:13] if pack.gtin[1:3] == "03" else None)
    assert result.serial == pack.serial
    assert result.lot == pack.lot
    assert result.expiry == pack.expiry
    assert result.warnings == warnings


@given(
    pack=packs(),
    data=st.data(),
    symbology=st.sampled_from(["]d2", "", "]C1", "]Q3", "]e0"]),
    separator=st.sampled_from([GS, "<GS>", SUBSTITUTE]),
    terminator=TERMINATORS,
    as_bytes=st.booleans(),
)
def test_element_string_renderings(
    pack: Pack,
    data: st.DataObject,
    symbology: str,
    separator: str,
    terminator: str,
    as_bytes: bool,
) -> None:
    order = data.draw(st.permutations(list(pack.elements.items())))
    text = ""
    for index, (ai, value) in enumerate(order):
        text += ai + value
        last = index == len(order) - 1
        if (ai in ("10", "21") and not last) or data.draw(st.booleans()):
            text += separator
    if data.draw(st.booleans()):
        text = separator + text
    raw = symbology + text + terminator
    warnings = {"]d2": (), "": ("no_symbology",)}.get(symbology, ("not_datamatrix",))
    assert_pack(pack, raw.encode("ascii") if as_bytes else raw, "gs1", warnings)


def _encode(value: str, everything: bool) -> str:
    if everything:
        return quote(value, safe="")
    return "".join(f"%{ord(c):02X}" if c in "%/?#&=" else c for c in value)


@given(
    pack=packs(gtins=any_gtins),
    scheme=st.sampled_from(["https", "HTTPS", "Https", "http"]),
    host=st.sampled_from(["id.gs1.org", "example.com", "pharma.example:8443"]),
    prefix=st.sampled_from(["", "/dl", "/a/b"]),
    short_gtin=st.booleans(),
    everything=st.booleans(),
    symbology=st.sampled_from(["]Q1", "", "]d1"]),
    terminator=TERMINATORS,
)
def test_digital_link_renderings(
    pack: Pack,
    scheme: str,
    host: str,
    prefix: str,
    short_gtin: bool,
    everything: bool,
    symbology: str,
    terminator: str,
) -> None:
    gtin = pack.gtin
    if short_gtin:
        shorter = [n for n in (8, 12, 13) if set(gtin[: 14 - n]) == {"0"}]
        gtin = gtin[14 - shorter[0] :] if shorter else gtin
    lot, serial = _encode(pack.lot, everything), _encode(pack.serial, everything)
    uri = f"{scheme}://{host}{prefix}/01/{gtin}/10/{lot}/21/{serial}?17={pack.expiry_field}"
    warnings: tuple[str, ...] = ("not_datamatrix",) if symbology else ("no_symbology",)
    if pack.gtin[1:3] != "03":
        warnings = (
            ("not_datamatrix", "not_us_gtin") if symbology else ("no_symbology", "not_us_gtin")
        )
    assert_pack(pack, symbology + uri + terminator, "digital_link", warnings)


@given(pack=packs(), data=st.data(), terminator=TERMINATORS)
def test_hri_renderings(pack: Pack, data: st.DataObject, terminator: str) -> None:
    order = data.draw(st.permutations(list(pack.elements.items())))
    values = " ".join(f"({ai}){value}" for ai, value in order)
    raw = (values if data.draw(st.booleans()) else values.replace(" ", "")) + terminator
    result = interpret(raw, OPTIONS)
    ambiguous = any(f"({ai})" in value for ai in pack.elements for value in pack.elements.values())
    if not ambiguous:
        assert_pack(pack, raw, "hri", ())
    else:
        assert result.format == "hri"


def assert_well_formed(raw: str | bytes) -> None:
    result = interpret(raw, OPTIONS)
    assert code_table.INTERNAL_ERROR not in result.errors
    assert set(result.errors) <= ERROR_CODES
    assert set(result.warnings) <= ERROR_CODES
    assert result.valid is (not result.errors)
    assert result.format in {"gs1", "digital_link", "hri", "gtin", "ndc", "unknown"}
    if isinstance(raw, str):
        assert result.raw == raw
    for field in ("gtin", "ndc10", "ndc", "serial", "lot", "symbology"):
        assert getattr(result, field) is None or isinstance(getattr(result, field), str)
    assert result.gtin is None or (len(result.gtin) == 14 and result.gtin.isdigit())
    json.dumps(result.to_dict(), allow_nan=False)


@given(st.text())
def test_arbitrary_text_never_raises(raw: str) -> None:
    assert_well_formed(raw)


@given(st.binary())
def test_arbitrary_bytes_never_raise(raw: bytes) -> None:
    assert_well_formed(raw)


@given(
    st.lists(
        st.sampled_from(
            [
                "]d2",
                "01",
                "00300021407018",
                "17",
                "10",
                "21",
                "7",
                "0",
                GS,
                "<GS>",
                "(",
                ")",
                "https://",
                "/01/",
                "?17=",
                "-",
                "9",
                "A",
                "%",
                "\r",
            ]
        ),
        max_size=30,
    ).map("".join)
)
def test_gs1_shaped_noise_never_raises(raw: str) -> None:
    assert_well_formed(raw)


def test_payload_with_gs_is_not_split_as_whitespace() -> None:
    """T16: a GS must reach the parser as a separator, never be treated as whitespace."""
    raw = f"]d2010030002140701821SN0001{GS}1727030010LOT42"
    assert raw.split() != [raw]
    assert interpret(raw, OPTIONS).serial == "SN0001"

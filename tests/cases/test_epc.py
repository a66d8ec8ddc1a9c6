"""EPC URIs for packs: SGTIN from the labeler length, else Digital Link (docs/identifiers.md)."""

from __future__ import annotations

import pytest

from inspect_svc.cases.exports.epc import DIGITAL_LINK, SGTIN, escape_epc_component, pack_epc


@pytest.mark.parametrize(
    ("gtin", "ndc", "serial", "uri"),
    [
        ("00300021407018", "0002-1407-01", "SN0001", "urn:epc:id:sgtin:030002.0140701.SN0001"),
        ("00350458579307", "50458-579-30", "SN1", "urn:epc:id:sgtin:0350458.057930.SN1"),
        ("50350458579302", "50458-579-30", "SN1", "urn:epc:id:sgtin:0350458.557930.SN1"),
        ("00350458579307", "50458-579-30", "A/B&C", "urn:epc:id:sgtin:0350458.057930.A%2FB%26C"),
    ],
)
def test_sgtin_when_the_labeler_length_is_known(gtin: str, ndc: str, serial: str, uri: str) -> None:
    epc = pack_epc(gtin, serial, {"ndc": ndc})
    assert (epc.uri, epc.method) == (uri, SGTIN)


@pytest.mark.parametrize(
    ("gtin", "ndc"),
    [
        ("00300021407018", None),  # directory did not resolve the split
        ("08712345678906", None),  # not a US NDC-based GTIN
        ("00300021407018", "50002-140-70"),  # labeler does not match the GTIN digits
    ],
)
def test_digital_link_otherwise(gtin: str, ndc: str | None) -> None:
    epc = pack_epc(gtin, "A/B C", {"ndc": ndc})
    assert epc.method == DIGITAL_LINK
    assert epc.uri == f"https://id.gs1.org/01/{gtin}/21/A%2FB%20C"


def test_epc_escaping_keeps_the_allowed_set() -> None:
    assert escape_epc_component("Az09!'()*+,-.:;=_") == "Az09!'()*+,-.:;=_"
    assert escape_epc_component('"%&/<>?') == "%22%25%26%2F%3C%3E%3F"

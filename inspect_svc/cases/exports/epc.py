"""EPC URIs for scanned packs (docs/identifiers.md §3.2).

The GS1 company prefix length is not encoded in a GTIN. For a US NDC-based
GTIN (digits 2-3 are `03`) whose NDC the FDA directory resolved to a
hyphenated form, the prefix is `03` + labeler, so its length is 2 + the
labeler's length and the pure-identity SGTIN URI can be built.
Otherwise the pack is named by its GS1 Digital Link URI, which EPCIS 2.0
accepts as an EPC; the prefix length is never guessed. `EpcUri.method`
records which way was taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

SGTIN = "sgtin_ndc_labeler"
DIGITAL_LINK = "digital_link"
DIGITAL_LINK_BASE = "https://id.gs1.org"
# Characters an EPC URI carries as-is in a serial; everything else is %-escaped.
_EPC_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!'()*+,-.:;=_")


@dataclass(frozen=True)
class EpcUri:
    uri: str
    method: str


def escape_epc_component(text: str) -> str:
    return "".join(c if c in _EPC_SAFE else "".join(f"%{b:02X}" for b in c.encode()) for c in text)


def company_prefix_length(gtin: str, ndc: str | None) -> int | None:
    """2 + labeler length for an NDC-based GTIN whose hyphenated NDC is known, else None."""
    if ndc is None or len(gtin) != 14 or gtin[1:3] != "03":
        return None
    labeler = ndc.split("-", 1)[0]
    if len(labeler) not in (4, 5) or not labeler.isdigit():
        return None
    if gtin[3 : 3 + len(labeler)] != labeler:
        return None
    return 2 + len(labeler)


def sgtin_uri(gtin: str, prefix_length: int, serial: str) -> str:
    company = gtin[1 : 1 + prefix_length]
    item = gtin[0] + gtin[1 + prefix_length : 13]
    return f"urn:epc:id:sgtin:{company}.{item}.{escape_epc_component(serial)}"


def digital_link_uri(gtin: str, serial: str) -> str:
    return f"{DIGITAL_LINK_BASE}/01/{gtin}/21/{quote(serial, safe='')}"


def pack_epc(gtin: str, serial: str, interpretation: dict[str, Any]) -> EpcUri:
    length = company_prefix_length(gtin, interpretation.get("ndc"))
    if length is None:
        return EpcUri(digital_link_uri(gtin, serial), DIGITAL_LINK)
    return EpcUri(sgtin_uri(gtin, length, serial), SGTIN)

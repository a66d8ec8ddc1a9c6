"""EPCs as the shipper writes them, turned into GS1 keys (docs/epcis.md).

Accepted: pure-identity URNs ``urn:epc:id:sgtin:{CompanyPrefix}.{Indicator}{ItemRef}.{Serial}``
and ``urn:epc:id:sscc:{CompanyPrefix}.{Extension}{SerialRef}``, and GS1 Digital Link
URIs with AI 01 + 21 or AI 00 on any domain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote, urlsplit

from inspect_core.ndc import gs1_check_digit, is_ascii_digits

Kind = Literal["sgtin", "sscc"]


class EpcError(ValueError):
    """An EPC this service cannot read; the message says what was expected."""


@dataclass(frozen=True, slots=True)
class Epc:
    """One serialised item: a GTIN + serial (SGTIN) or an SSCC."""

    kind: Kind
    gtin: str | None = None
    serial: str | None = None
    sscc: str | None = None

    @property
    def key(self) -> str:
        """The item's key as a GS1 element string in HRI form, e.g. ``(01)…(21)…``."""
        if self.kind == "sscc":
            return f"(00){self.sscc}"
        return f"(01){self.gtin}(21){self.serial}"


def _with_check(digits: str) -> str:
    return digits + str(gs1_check_digit(digits))


def parse_epc(uri: str) -> Epc:
    """The GS1 key an EPC names.

    >>> parse_epc("urn:epc:id:sgtin:030002.0140701.SN0001").gtin
    '00300021407018'
    >>> parse_epc("https://id.gs1.org/00/003000210000000011").key
    '(00)003000210000000011'
    """
    if uri.startswith("urn:epc:id:sgtin:"):
        parts = uri[len("urn:epc:id:sgtin:") :].split(".", 2)
        if len(parts) != 3 or not all(is_ascii_digits(p) for p in parts[:2]) or not parts[2]:
            raise EpcError(f"{uri!r} is no SGTIN URN (CompanyPrefix.IndicatorItemRef.Serial)")
        prefix, item, serial = parts
        if len(prefix) + len(item) != 13:
            raise EpcError(f"{uri!r}: company prefix and item reference must be 13 digits")
        return Epc("sgtin", gtin=_with_check(item[0] + prefix + item[1:]), serial=unquote(serial))
    if uri.startswith("urn:epc:id:sscc:"):
        parts = uri[len("urn:epc:id:sscc:") :].split(".")
        if len(parts) != 2 or not all(is_ascii_digits(p) for p in parts):
            raise EpcError(f"{uri!r} is no SSCC URN (CompanyPrefix.ExtensionSerialRef)")
        prefix, reference = parts
        if len(prefix) + len(reference) != 17:
            raise EpcError(f"{uri!r}: company prefix and serial reference must be 17 digits")
        return Epc("sscc", sscc=_with_check(reference[0] + prefix + reference[1:]))
    if uri.lower().startswith(("https://", "http://")):
        return _digital_link(uri)
    raise EpcError(f"{uri!r} is neither an SGTIN/SSCC URN nor a GS1 Digital Link URI")


def _digital_link(uri: str) -> Epc:
    segments = [unquote(s) for s in urlsplit(uri).path.split("/") if s]
    for index in range(len(segments) - 1):
        ai, value = segments[index], segments[index + 1]
        if ai == "00" and len(value) == 18 and is_ascii_digits(value):
            return Epc("sscc", sscc=value)
        if ai == "01" and is_ascii_digits(value) and len(value) in (8, 12, 13, 14):
            rest = segments[index + 2 :]
            if len(rest) >= 2 and rest[0] == "21" and rest[1]:
                return Epc("sgtin", gtin=value.zfill(14), serial=rest[1])
    raise EpcError(f"{uri!r} is no Digital Link of a serialised item (01 + 21) or an SSCC (00)")

"""Turn what a user or scanner gives (GTIN, UPC, NDC in any form) into look-up keys.

Every form ends up as one or more 10-digit NDCs, which are what the
directory is indexed by. Forms that fix the segment split (hyphenated,
11-digit) also keep that split, so a package whose directory split differs
is not returned for them.
"""

from __future__ import annotations

from dataclasses import dataclass

from inspect_core.ndc import (
    candidates_from_ndc11,
    gs1_check_digit,
    is_ascii_digits,
    ndc10_from_gtin,
    parse_hyphenated,
)


class NdcCodeError(ValueError):
    """The text fits none of the NDC or NDC-based GTIN forms."""


@dataclass(frozen=True)
class NdcQuery:
    form: str
    ndc10s: tuple[str, ...]
    ndc11: str | None = None
    hyphenated: str | None = None


def parse_ndc_query(text: str) -> NdcQuery:
    """Classify `text`: GTIN-14, UPC-A, 10- or 11-digit NDC, or hyphenated NDC.

    Raises:
        NdcCodeError: with a message saying why the text fits no form.
    """
    code = text.strip()
    if "-" in code:
        return _hyphenated(code)
    if not is_ascii_digits(code):
        raise NdcCodeError("expected digits, or an NDC with hyphens")
    if len(code) in (12, 14):
        gtin = code.zfill(14)
        if int(gtin[-1]) != gs1_check_digit(gtin[:-1]):
            raise NdcCodeError("the GS1 check digit is wrong")
        ndc10 = ndc10_from_gtin(gtin)
        if ndc10 is None:
            raise NdcCodeError("not an NDC-based GTIN (the GTIN does not start with N03)")
        return NdcQuery("gtin14" if len(code) == 14 else "upc12", (ndc10,))
    if len(code) == 10:
        return NdcQuery("ndc10", (code,))
    if len(code) == 11:
        found = candidates_from_ndc11(code)
        if not found:
            raise NdcCodeError("not an 11-digit 5-4-2 NDC (no segment has a padding zero)")
        return NdcQuery("ndc11", tuple(c.ndc10 for c in found), ndc11=code)
    raise NdcCodeError("expected 10 or 11 digits (NDC) or 12 or 14 digits (UPC-A, GTIN-14)")


def _hyphenated(code: str) -> NdcQuery:
    parts = code.split("-")
    lengths = tuple(len(part) for part in parts)
    if lengths == (5, 4, 2) and all(is_ascii_digits(part) for part in parts):
        digits = "".join(parts)
        found = candidates_from_ndc11(digits)
        if found:
            return NdcQuery("hyphenated-5-4-2", tuple(c.ndc10 for c in found), ndc11=digits)
    ndc = parse_hyphenated(code)
    if ndc is None:
        raise NdcCodeError("hyphenated NDCs are 4-4-2, 5-3-2, 5-4-1 or 5-4-2 digits")
    return NdcQuery(f"hyphenated-{ndc.layout}", (ndc.ndc10,), hyphenated=ndc.hyphenated)

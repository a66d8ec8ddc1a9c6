"""NDCs written in recall text ("NDC 12345-678-90", "NDC 00409488810", "UPC 3 12345 67890 1").

An 11-digit or 5-4-2 NDC can stand for two 10-digit NDCs; both are kept,
since the look-up goes by the 10 digits a scanned GTIN carries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from inspect_core.ndc import candidates_from_ndc11, gs1_check_digit, parse_hyphenated

_HYPHENATED = re.compile(r"(?<![\d-])(\d{4,5}-\d{3,4}-\d{1,2})(?![\d-])")
_NDC_DIGITS = re.compile(r"\bNDC\s*(?:#|no\.?|number)?[\s:#]*(\d{10,11})\b", re.IGNORECASE)
_UPC = re.compile(r"\bUPC\s*(?:code|#|no\.?)?[\s:#]*(3(?:[\s-]?\d){11})\b", re.IGNORECASE)


@dataclass(frozen=True)
class TextNdc:
    ndc10: str
    ndc: str | None


def ndcs_in_text(text: str) -> list[TextNdc]:
    found: dict[str, TextNdc] = {}
    for match in _HYPHENATED.finditer(text):
        code = match.group(1)
        ndc = parse_hyphenated(code)
        if ndc is not None:
            found.setdefault(ndc.ndc10, TextNdc(ndc.ndc10, ndc.hyphenated))
        elif len(code) == 13:
            for candidate in candidates_from_ndc11(code.replace("-", "")):
                found.setdefault(candidate.ndc10, TextNdc(candidate.ndc10, candidate.hyphenated))
    for match in _NDC_DIGITS.finditer(text):
        digits = match.group(1)
        if len(digits) == 10:
            found.setdefault(digits, TextNdc(digits, None))
        else:
            for candidate in candidates_from_ndc11(digits):
                found.setdefault(candidate.ndc10, TextNdc(candidate.ndc10, candidate.hyphenated))
    for match in _UPC.finditer(text):
        upc = re.sub(r"\D", "", match.group(1))
        if int(upc[-1]) == gs1_check_digit("00" + upc[:-1]):
            found.setdefault(upc[1:11], TextNdc(upc[1:11], None))
    return list(found.values())

"""AIM (ISO/IEC 15424) symbology identifiers: split them off and name the symbology."""

from __future__ import annotations

import re

_AIM = re.compile(r"\][A-Za-z][0-9A-Za-z]")

# (code character, modifier) -> normalised name; a code character alone covers all modifiers.
_NAMES: dict[str, str] = {
    "d2": "GS1_DATAMATRIX",
    "d3": "GS1_DATAMATRIX",
    "d": "DATAMATRIX",
    "Q3": "GS1_QR",
    "Q4": "GS1_QR",
    "Q": "QR",
    "C1": "GS1_128",
    "C": "CODE128",
    "e": "GS1_DATABAR",
    "E4": "EAN8",
    "E": "EAN13",
    "I": "ITF",
    "J1": "GS1_DOTCODE",
    "J": "DOTCODE",
    "A": "CODE39",
    "L": "PDF417",
    "z": "AZTEC",
    "X": "OTHER",
}


def split(text: str) -> tuple[str | None, str]:
    """Return (AIM identifier or None, remaining data)."""
    if _AIM.match(text):
        return text[:3], text[3:]
    return None, text


def symbology(aim_id: str | None) -> str | None:
    """Normalised symbology name for an AIM identifier, e.g. `]d2` -> `GS1_DATAMATRIX`."""
    if aim_id is None:
        return None
    return _NAMES.get(aim_id[1:3]) or _NAMES.get(aim_id[1], "UNKNOWN")

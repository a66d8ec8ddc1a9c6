"""A bare GTIN from a linear symbol (UPC-A, EAN-13, EAN-8, ITF-14) or typed digits."""

from inspect_svc.interpret.parsed import Parsed
from inspect_svc.ndc import is_ascii_digits

GTIN_LENGTHS = (8, 12, 13, 14)


def parse_gtin_digits(text: str) -> Parsed | None:
    """A GTIN-8/12/13/14, left-padded to 14 digits, or None if ``text`` is no such digit run.

    UPC-A arrives from ``]E0`` as 13 digits with a leading zero; the padding
    yields the same GTIN-14 either way and never changes the check digit.
    """
    if len(text) not in GTIN_LENGTHS or not is_ascii_digits(text):
        return None
    return Parsed("gtin", elements=[("01", text.zfill(14))])

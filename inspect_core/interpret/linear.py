"""A bare GTIN from a linear symbol (UPC-A, UPC-E, EAN-13, EAN-8, ITF-14) or typed digits."""

from biip import ParseError
from biip.upc import Upc

from inspect_core.interpret import codes
from inspect_core.interpret.parsed import Parsed
from inspect_core.ndc import is_ascii_digits

GTIN_LENGTHS = (8, 12, 13, 14)
UPC_E_SYMBOLOGY = "]E0"
EAN_8_SYMBOLOGY = "]E4"


def parse_gtin_digits(text: str, symbology: str | None = None) -> Parsed | None:
    """A GTIN-8/12/13/14, left-padded to 14 digits, or None if ``text`` is no such digit run.

    UPC-A arrives from ``]E0`` as 13 digits with a leading zero; the padding
    yields the same GTIN-14 either way and never changes the check digit.
    Eight digits from ``]E0`` are a UPC-E (number system 0 or 1, check digit
    of the expanded UPC-A): they are expanded to the UPC-A's GTIN-14. Typed
    eight digits are read as UPC-E when they are a valid one (a GTIN-8 with
    prefix 0 or 1 is a restricted in-store code, not a trade item), else as
    a GTIN-8; ``]E4`` is always EAN-8.
    """
    if len(text) not in GTIN_LENGTHS or not is_ascii_digits(text):
        return None
    if len(text) == 8 and symbology != EAN_8_SYMBOLOGY:
        upc_e = _upc_e(text)
        if upc_e is not None:
            return upc_e
        if symbology == UPC_E_SYMBOLOGY:
            return Parsed("gtin", errors=[codes.GTIN_CHECK_DIGIT])
    return Parsed("gtin", elements=[("01", text.zfill(14))])


def _upc_e(text: str) -> Parsed | None:
    try:
        upc = Upc.parse(text)
    except ParseError:
        return None
    return Parsed("gtin", elements=[("01", upc.as_gtin_14())], warnings=[codes.UPC_E_EXPANDED])

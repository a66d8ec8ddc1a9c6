"""Checks on single element values and on a set of elements."""

import re
from datetime import date

from biip.checksums import gs1_standard_check_digit

from inspect_core.interpret import codes
from inspect_core.interpret.ai_table import FIXED_DATA_LENGTH, matches_format
from inspect_core.interpret.dates import parse_yymmd0, parse_yymmddhhmi
from inspect_core.ndc import is_ascii_digits

Element = tuple[str, str]

DATE_AIS = frozenset({"11", "12", "13", "15", "16", "17"})
"""AIs in ``yymmd0`` form."""

_CSET82 = re.compile(r"[!\"%-?A-Z_a-z]*")
_TEXT_CHECKS = {
    "10": (codes.LOT_LENGTH, codes.LOT_CHARSET),
    "21": (codes.SERIAL_LENGTH, codes.SERIAL_CHARSET),
}
_MAX_PI_TEXT = 20


def has_valid_check_digit(digits: str) -> bool:
    return is_ascii_digits(digits) and gs1_standard_check_digit(digits[:-1]) == int(digits[-1])


def element_errors(ai: str, value: str, today: date) -> list[str]:
    """Error codes for one element value (empty when fine).

    A value of a predefined-length AI that is too short but otherwise digits
    ended inside the field: an HRI or Digital Link cut short (``(01)0030002140701``)
    is ``truncated``, like an element string that ends early.
    """
    fixed = FIXED_DATA_LENGTH.get(ai[:2])
    if fixed is not None and len(value) < fixed and (not value or is_ascii_digits(value)):
        return [codes.TRUNCATED]
    if ai in ("01", "02", "03"):
        if len(value) != 14 or not is_ascii_digits(value):
            return [codes.AI_FORMAT]
        return [] if has_valid_check_digit(value) else [codes.GTIN_CHECK_DIGIT]
    if ai in DATE_AIS:
        return [] if parse_yymmd0(value, today) else [codes.BAD_DATE]
    if ai == "7003":
        return [] if parse_yymmddhhmi(value, today) else [codes.BAD_DATE]
    if ai in _TEXT_CHECKS:
        length_code, charset_code = _TEXT_CHECKS[ai]
        found = []
        if not 1 <= len(value) <= _MAX_PI_TEXT:
            found.append(length_code)
        if _CSET82.fullmatch(value) is None:
            found.append(charset_code)
        return found
    if ai == "00":
        if len(value) != 18 or not is_ascii_digits(value):
            return [codes.AI_FORMAT]
        return [] if has_valid_check_digit(value) else [codes.SSCC_CHECK_DIGIT]
    return [] if matches_format(ai, value) else [codes.AI_FORMAT]


def duplicate_codes(elements: list[Element]) -> tuple[list[str], list[str]]:
    """(errors, warnings) for AIs given more than once."""
    seen: dict[str, str] = {}
    errors: list[str] = []
    warnings: list[str] = []
    for ai, value in elements:
        if ai not in seen:
            seen[ai] = value
        elif seen[ai] != value:
            errors.append(codes.DUPLICATE_AI)
        else:
            warnings.append(codes.REPEATED_AI)
    return errors, warnings

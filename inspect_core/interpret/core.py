"""Dispatch a scan to the right format parser and assemble the interpretation.

Order of business: decode and cap the input, strip terminators, take the
symbology identifier, then parse by what the symbology carries (fast path).
Without an identifier, or when the data does not fit it, the format is
recognised from the data itself: ``(`` HRI, ``http(s)://`` Digital Link, a
GTIN-8/12/13/14 digit run, something typed as an NDC, else an element string
whose first AI is in the GS1 dictionary. An ISO/IEC 15434 envelope (``[)>``)
is unwrapped first, whatever the symbology.

DSCSA completeness (``missing_*``) is judged only for GS1 element strings,
HRI and Digital Link: those are meant to carry the product identifier. A
linear GTIN/UPC or a typed NDC names the product only and gets the warning
``no_product_identifier`` instead. A logistic label (SSCC, AI 00, or a
content GTIN, AI 02, without AI 01) identifies a pallet or case, not a pack:
no ``missing_*`` errors for it.
"""

import logging
from datetime import date

from inspect_core.interpret import codes
from inspect_core.interpret.ai_table import GS
from inspect_core.interpret.dates import parse_yymmd0
from inspect_core.interpret.digital_link import is_digital_link, parse_digital_link
from inspect_core.interpret.element_string import (
    parse_element_string,
    replace_substitutes,
    starts_with_known_ai,
)
from inspect_core.interpret.hri import parse_hri
from inspect_core.interpret.iso15434 import parse_envelope, unwrap
from inspect_core.interpret.linear import parse_gtin_digits
from inspect_core.interpret.normalize import character_errors, decode, strip_terminators
from inspect_core.interpret.options import InterpretOptions
from inspect_core.interpret.parsed import Parsed
from inspect_core.interpret.result import Interpretation, Level
from inspect_core.interpret.separator import find_swallowing
from inspect_core.interpret.symbology import (
    EXPECTED_FORMAT,
    GS1_DATAMATRIX,
    Carrier,
    carrier_of,
    split_symbology,
)
from inspect_core.interpret.typed_ndc import looks_like_ndc, parse_typed_ndc
from inspect_core.interpret.validate import duplicate_codes, element_errors
from inspect_core.ndc import candidates_from_ndc10, is_ascii_digits, ndc10_from_gtin

_DEFAULT_OPTIONS = InterpretOptions()
_BLANK = GS + " \r\n\t"
_PACK_FORMATS = frozenset({"gs1", "hri", "digital_link"})
_SCANNER_FORMATS = frozenset({"gs1", "digital_link", "gtin"})
_COMPLETENESS = (
    ("21", codes.MISSING_SERIAL),
    ("10", codes.MISSING_LOT),
    ("17", codes.MISSING_EXPIRY),
)
_NHRN_AIS = ("710", "711", "712", "713", "714", "715", "716", "717")
_US_NHRN = "715"
_PARSER_FAILURES = (ValueError, IndexError, KeyError)
"""What a parser raises on input it did not foresee (a number or date it cannot build)."""
log = logging.getLogger(__name__)


def interpret(raw: str | bytes, options: InterpretOptions = _DEFAULT_OPTIONS) -> Interpretation:
    """Interpret one scan; problems are reported as error codes.

    A parser failure on input it did not foresee is logged and reported as
    ``internal_error``. Anything else (a bug outside the parsers) propagates.
    The NDC split of the result is left unresolved: ``resolve_ndc`` settles it
    from the directory afterwards.
    """
    try:
        return _interpret(raw, options)
    except _PARSER_FAILURES:
        log.exception("the interpreter failed on a scan of %d characters", len(raw))
        echo = raw if isinstance(raw, str) else bytes(raw).decode("utf-8", "backslashreplace")
        return Interpretation(raw=echo, errors=(codes.INTERNAL_ERROR,))


def _interpret(raw: str | bytes, options: InterpretOptions) -> Interpretation:
    echo, text, errors = decode(raw)
    if len(raw) > options.max_length:
        return Interpretation(raw=echo, errors=(codes.TOO_LONG,))
    symbology, body = split_symbology(strip_terminators(text))
    if not replace_substitutes(body, options.gs_substitutes).strip(_BLANK):
        return Interpretation(raw=echo, symbology=symbology, errors=(*errors, codes.EMPTY))
    envelope = unwrap(body)
    if envelope is not None:
        errors += character_errors(envelope.data, gs_allowed=True)
        return _assemble(echo, symbology, parse_envelope(envelope), errors, [], options)
    carrier = carrier_of(symbology) if symbology else None
    parsed = _by_carrier(carrier, symbology, body, options) if carrier else None
    mismatch = False
    if parsed is None:
        parsed = _by_content(body, options)
        mismatch = carrier in EXPECTED_FORMAT and parsed.format != "unknown"
    errors += character_errors(body, gs_allowed=parsed.format == "gs1")
    warnings = [codes.SYMBOLOGY_MISMATCH] if mismatch else []
    return _assemble(echo, symbology, parsed, errors, warnings, options)


def _by_carrier(
    carrier: Carrier, symbology: str | None, body: str, options: InterpretOptions
) -> Parsed | None:
    """Parse as the symbology says, or None when the data does not fit it."""
    if carrier is Carrier.GS1:
        data = replace_substitutes(body, options.gs_substitutes)
        return parse_element_string(data) if starts_with_known_ai(data) else None
    if carrier is Carrier.PLAIN_2D:
        return parse_digital_link(body) if is_digital_link(body) else None
    if carrier is Carrier.LINEAR_GTIN:
        return parse_gtin_digits(body, symbology)
    return None


def _by_content(body: str, options: InterpretOptions) -> Parsed:
    if body[:1] == "(" and (hri := parse_hri(body)) is not None:
        return hri
    if is_digital_link(body):
        return parse_digital_link(body)
    if (gtin := parse_gtin_digits(body)) is not None:
        return gtin
    typed = body.strip(" ")
    if looks_like_ndc(typed):
        return parse_typed_ndc(typed)
    data = replace_substitutes(body, options.gs_substitutes)
    if starts_with_known_ai(data):
        return parse_element_string(data)
    return Parsed("unknown", errors=[codes.NOT_GS1])


def _assemble(
    echo: str,
    symbology: str | None,
    parsed: Parsed,
    errors: list[str],
    warnings: list[str],
    options: InterpretOptions,
) -> Interpretation:
    today = options.today or date.today()
    elements = parsed.elements
    errors += parsed.errors
    warnings += parsed.warnings
    for ai, value in elements:
        errors += element_errors(ai, value, today)
    duplicate_errors, duplicate_warnings = duplicate_codes(elements)
    errors += duplicate_errors
    warnings += duplicate_warnings

    withheld: set[str] = set()
    candidates: list[dict[str, str]] = []
    if parsed.format == "gs1":
        swallowing, candidates = find_swallowing(elements, parsed.variable, today)
        if swallowing:
            errors.append(codes.SEPARATOR_MISSING)
            withheld = {elements[index][0] for index in swallowing}

    first: dict[str, str] = {}
    for ai, value in elements:
        first.setdefault(ai, value)
    gtin = first.get("01")
    if gtin is not None and (len(gtin) != 14 or not is_ascii_digits(gtin)):
        gtin = None

    logistic = "01" not in first and ("00" in first or "02" in first)
    if parsed.format in _PACK_FORMATS and not logistic:
        if "01" not in first:
            errors.append(codes.MISSING_GTIN)
        else:
            in_candidates = {ai for candidate in candidates for ai in candidate}
            errors += [
                code for ai, code in _COMPLETENESS if ai not in first and ai not in in_candidates
            ]
        if symbology not in (None, GS1_DATAMATRIX) and "01" in first:
            warnings.append(codes.NOT_DATAMATRIX)
    else:
        if parsed.format in ("gtin", "ndc"):
            warnings.append(codes.NO_PRODUCT_IDENTIFIER)
    if symbology is None and parsed.format in _SCANNER_FORMATS:
        warnings.append(codes.NO_SYMBOLOGY)

    nhrn = {ai: first[ai] for ai in _NHRN_AIS if ai in first}
    if any(ai != _US_NHRN for ai in nhrn):
        warnings.append(codes.FOREIGN_NHRN)

    ndc10, ndc, ndc_candidates = parsed.ndc10, parsed.ndc, parsed.ndc_candidates
    if gtin is not None:
        ndc10 = ndc10_from_gtin(gtin)
        if ndc10 is None:
            warnings.append(codes.NOT_US_GTIN)
        else:
            ndc, ndc_candidates = None, [n.hyphenated for n in candidates_from_ndc10(ndc10)]

    expiry = first.get("17")
    prod_date = first.get("11")
    sscc = _digits(first.get("00"), 18)
    content_gtin = _digits(first.get("02"), 14)
    return Interpretation(
        raw=echo,
        symbology=symbology,
        format=parsed.format,
        gtin=gtin,
        ndc10=ndc10,
        ndc=ndc,
        serial=None if "21" in withheld else first.get("21"),
        lot=None if "10" in withheld else first.get("10"),
        expiry=parse_yymmd0(expiry, today) if expiry else None,
        errors=tuple(dict.fromkeys(errors)),
        warnings=tuple(dict.fromkeys(warnings)),
        elements=tuple(elements),
        separator_candidates=tuple(candidates),
        ndc_candidates=tuple(ndc_candidates),
        nhrn=nhrn,
        prod_date=parse_yymmd0(prod_date, today) if prod_date else None,
        gtin_indicator=gtin[0] if gtin else None,
        sscc=sscc,
        content_gtin=content_gtin,
        count=_count(first.get("37")),
        variable_count=_count(first.get("30")),
        level=_level(gtin, sscc, content_gtin),
    )


def _digits(value: str | None, length: int) -> str | None:
    """``value`` when it is ``length`` ASCII digits, else None."""
    return value if value is not None and len(value) == length and is_ascii_digits(value) else None


def _count(value: str | None) -> int | None:
    """A count AI's value (37, 30: up to 8 digits) as a number."""
    return int(value) if value and len(value) <= 8 and is_ascii_digits(value) else None


def _level(gtin: str | None, sscc: str | None, content_gtin: str | None) -> Level | None:
    """The packaging level the label stands for (see ``Interpretation``)."""
    if gtin is not None:
        return "case" if "1" <= gtin[0] <= "8" else "pack"
    if sscc is not None:
        return "pallet"
    return "case" if content_gtin is not None else None

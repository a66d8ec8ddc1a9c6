"""An NDC typed by hand: hyphenated 4-4-2/5-3-2/5-4-1, 10 digits, or 11-digit 5-4-2.

An optional ``NDC`` label is accepted, and spaces may stand for hyphens.
"""

import re

from inspect_core.interpret import codes
from inspect_core.interpret.parsed import Parsed
from inspect_core.ndc import Ndc, candidates_from_ndc10, candidates_from_ndc11, parse_hyphenated

_TYPED = re.compile(r"(?:[Nn][Dd][Cc][ :#]*)?([0-9]+(?:[- ]+[0-9]+)*)")
_SEPARATORS = re.compile(r"[- ]+")


def looks_like_ndc(text: str) -> bool:
    """Digits with hyphens or spaces, or an ``NDC`` label: something meant as an NDC."""
    match = _TYPED.fullmatch(text)
    if match is None:
        return False
    body = match.group(1)
    return body != text or not body.isdigit() or len(body) in (10, 11)


def parse_typed_ndc(text: str) -> Parsed:
    """Read ``text`` (which passed ``looks_like_ndc``) as an NDC.

    The split is taken from the layout only; ``resolve_ndc`` asks the
    directory afterwards (an unsplit 10-digit or an ambiguous 11-digit form).
    """
    match = _TYPED.fullmatch(text)
    body = match.group(1) if match else text
    parsed = Parsed("ndc")
    if not body.isdigit():
        body = _SEPARATORS.sub("-", body)
        ndc = parse_hyphenated(body)
        if ndc is not None:
            candidates: tuple[Ndc, ...] = (ndc,)
        elif [len(part) for part in body.split("-")] == [5, 4, 2]:
            candidates = candidates_from_ndc11(body.replace("-", ""))
        else:
            parsed.errors.append(codes.NDC_FORMAT)
            return parsed
    elif len(body) == 10:
        parsed.ndc10 = body
        parsed.ndc_candidates = [ndc.hyphenated for ndc in candidates_from_ndc10(body)]
        return parsed
    elif len(body) == 11:
        candidates = candidates_from_ndc11(body)
    else:
        parsed.errors.append(codes.NDC_FORMAT)
        return parsed
    return _settle(parsed, candidates)


def _settle(parsed: Parsed, candidates: tuple[Ndc, ...]) -> Parsed:
    """The NDC when the layout leaves one candidate, else the candidates as ambiguous."""
    if not candidates:
        parsed.errors.append(codes.NDC_FORMAT)
    elif len(candidates) == 1:
        parsed.ndc10 = candidates[0].ndc10
        parsed.ndc = candidates[0].hyphenated
    else:
        parsed.errors.append(codes.NDC_AMBIGUOUS)
        parsed.ndc_candidates = [ndc.hyphenated for ndc in candidates]
    return parsed

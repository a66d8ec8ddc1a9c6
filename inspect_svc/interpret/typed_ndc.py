"""An NDC typed by hand: hyphenated 4-4-2/5-3-2/5-4-1, 10 digits, or 11-digit 5-4-2.

An optional ``NDC`` label is accepted, and spaces may stand for hyphens.
"""

import re

from inspect_svc.interpret import codes
from inspect_svc.interpret.options import NdcResolver
from inspect_svc.interpret.parsed import Parsed
from inspect_svc.ndc import Ndc, candidates_from_ndc10, candidates_from_ndc11, parse_hyphenated

_TYPED = re.compile(r"(?:[Nn][Dd][Cc][ :#]*)?([0-9]+(?:[- ]+[0-9]+)*)")
_SEPARATORS = re.compile(r"[- ]+")


def looks_like_ndc(text: str) -> bool:
    """Digits with hyphens or spaces, or an ``NDC`` label: something meant as an NDC."""
    match = _TYPED.fullmatch(text)
    if match is None:
        return False
    body = match.group(1)
    return body != text or not body.isdigit() or len(body) in (10, 11)


def _resolve(candidates: tuple[Ndc, ...], resolver: NdcResolver | None) -> list[tuple[Ndc, str]]:
    if resolver is None:
        return []
    return [(ndc, hyphenated) for ndc in candidates if (hyphenated := resolver(ndc.ndc10))]


def parse_typed_ndc(text: str, resolver: NdcResolver | None) -> Parsed:
    """Read ``text`` (which passed ``looks_like_ndc``) as an NDC."""
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
        resolved = _resolve(candidates_from_ndc10(body), resolver)
        if resolved:
            parsed.ndc = resolved[0][1]
        else:
            parsed.ndc_candidates = [ndc.hyphenated for ndc in candidates_from_ndc10(body)]
            if resolver is not None:
                parsed.warnings.append(codes.NDC_UNRESOLVED)
        return parsed
    elif len(body) == 11:
        candidates = candidates_from_ndc11(body)
    else:
        parsed.errors.append(codes.NDC_FORMAT)
        return parsed
    return _settle(parsed, candidates, resolver)


def _settle(parsed: Parsed, candidates: tuple[Ndc, ...], resolver: NdcResolver | None) -> Parsed:
    """Pick the NDC among layout-valid ``candidates`` whose split is known."""
    if not candidates:
        parsed.errors.append(codes.NDC_FORMAT)
        return parsed
    resolved = _resolve(candidates, resolver)
    if len(candidates) == 1:
        parsed.ndc10 = candidates[0].ndc10
        parsed.ndc = resolved[0][1] if resolved else candidates[0].hyphenated
        if resolver is not None and not resolved:
            parsed.warnings.append(codes.NDC_UNRESOLVED)
    elif len(resolved) == 1:
        parsed.ndc10 = resolved[0][0].ndc10
        parsed.ndc = resolved[0][1]
    else:
        parsed.errors.append(codes.NDC_AMBIGUOUS)
        parsed.ndc_candidates = [ndc.hyphenated for ndc in candidates]
    return parsed

"""NDCs as filers declare them, reduced to the 10 digits a scanned GTIN carries."""

from __future__ import annotations

from dataclasses import dataclass

from inspect_svc.ndc import (
    candidates_from_ndc11,
    is_ascii_digits,
    ndc10_from_gtin,
    parse_hyphenated,
)


@dataclass(frozen=True)
class DeclaredNdc:
    """`ndc10` when the form settles it; otherwise the 10-digit `candidates`."""

    ndc10: str | None
    candidates: tuple[str, ...]


def normalise_declared_ndc(text: str) -> DeclaredNdc | None:
    """Any accepted declaration form, or None when it is not an NDC or GTIN.

    >>> normalise_declared_ndc("0002-1407-01")
    DeclaredNdc(ndc10='0002140701', candidates=('0002140701',))
    >>> normalise_declared_ndc("50458057901").candidates
    ('5045857901', '5045805791')
    """
    value = text.strip()
    hyphenated = parse_hyphenated(value)
    if hyphenated is not None:
        return DeclaredNdc(hyphenated.ndc10, (hyphenated.ndc10,))
    parts = value.split("-")
    if [len(p) for p in parts] == [5, 4, 2]:  # 11-digit billing form with hyphens
        value = "".join(parts)
    if not is_ascii_digits(value):
        return None
    if len(value) == 10:
        return DeclaredNdc(value, (value,))
    if len(value) == 11:
        found = tuple(c.ndc10 for c in candidates_from_ndc11(value))
        if not found:
            return None
        return DeclaredNdc(found[0] if len(found) == 1 else None, found)
    if len(value) == 14:
        ndc10 = ndc10_from_gtin(value)
        return DeclaredNdc(ndc10, (ndc10,)) if ndc10 else None
    return None

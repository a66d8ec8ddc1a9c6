"""National Drug Code (NDC) helpers and the NDC <-> GTIN mapping.

A 10-digit NDC has three segments in one of three layouts (4-4-2, 5-3-2,
5-4-1). The digits alone do not say which, so an unhyphenated NDC or one
taken out of a GTIN has up to three candidate splits; only the FDA NDC
Directory decides (see docs/identifiers.md §2).

The 11-digit 5-4-2 billing form pads exactly one segment with a leading zero.
FDA issued 4-digit labeler codes for 2-9999 and 5-digit codes for
10000-99999, so a 5-digit labeler segment that starts with ``0`` is always the
padded 4-digit labeler; otherwise the pad sits in the product or package
segment.

A US drug GTIN-14 is ``indicator + "03" + ndc10 + check digit``.

>>> ndc = parse_hyphenated("0002-1407-01")
>>> ndc.layout, ndc.ndc11, ndc.gtin14()
('4-4-2', '00002140701', '00300021407018')
>>> [c.hyphenated for c in candidates_from_ndc10("5045857930")]
['5045-8579-30', '50458-579-30', '50458-5793-0']
>>> ndc10_from_gtin("00350458579307")
'5045857930'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from biip.checksums import gs1_standard_check_digit

NdcLayout = Literal["4-4-2", "5-3-2", "5-4-1"]

_LAYOUTS: dict[tuple[int, int, int], NdcLayout] = {
    (4, 4, 2): "4-4-2",
    (5, 3, 2): "5-3-2",
    (5, 4, 1): "5-4-1",
}

US_GTIN_PREFIX = "03"
"""GS1 US prefix under which FDA labeler codes become GS1 company prefixes."""


def is_ascii_digits(text: str) -> bool:
    """True for a non-empty string of ASCII ``0``-``9`` only.

    ``str.isdigit``/``isdecimal`` also accept other scripts' digits, which must
    never pass as NDC or GTIN digits.

    >>> is_ascii_digits("0123"), is_ascii_digits("12\u0663"), is_ascii_digits("")
    (True, False, False)
    """
    return text.isascii() and text.isdigit()


@dataclass(frozen=True, slots=True)
class Ndc:
    """A 10-digit NDC with a known segment split."""

    labeler: str
    product: str
    package: str

    def __post_init__(self) -> None:
        lengths = (len(self.labeler), len(self.product), len(self.package))
        if lengths not in _LAYOUTS or not all(
            is_ascii_digits(part) for part in (self.labeler, self.product, self.package)
        ):
            parts = f"{self.labeler!r}-{self.product!r}-{self.package!r}"
            msg = f"not a 4-4-2, 5-3-2 or 5-4-1 NDC: {parts}"
            raise ValueError(msg)

    @property
    def layout(self) -> NdcLayout:
        return _LAYOUTS[(len(self.labeler), len(self.product), len(self.package))]

    @property
    def hyphenated(self) -> str:
        return f"{self.labeler}-{self.product}-{self.package}"

    @property
    def ndc10(self) -> str:
        return self.labeler + self.product + self.package

    @property
    def ndc11(self) -> str:
        """The 11-digit 5-4-2 billing form: one segment padded with a leading zero."""
        return self.labeler.zfill(5) + self.product.zfill(4) + self.package.zfill(2)

    def gtin14(self, indicator: str = "0") -> str:
        """The GTIN-14 embedding this NDC under packaging-level ``indicator``."""
        return gtin14_from_ndc10(self.ndc10, indicator)


def gs1_check_digit(body: str) -> int:
    """GS1 mod-10 check digit of an ASCII-digit ``body``.

    >>> gs1_check_digit("0030002140701")
    8

    Raises:
        ValueError: ``body`` is not ASCII digits.
    """
    if not is_ascii_digits(body):
        msg = f"expected ASCII digits, got {body!r}"
        raise ValueError(msg)
    return gs1_standard_check_digit(body)


def candidates_from_ndc10(digits: str) -> tuple[Ndc, ...]:
    """The three possible splits of an unhyphenated 10-digit NDC (empty if not 10 digits)."""
    if len(digits) != 10 or not is_ascii_digits(digits):
        return ()
    return (
        Ndc(digits[:4], digits[4:8], digits[8:]),
        Ndc(digits[:5], digits[5:8], digits[8:]),
        Ndc(digits[:5], digits[5:9], digits[9:]),
    )


def candidates_from_ndc11(digits: str) -> tuple[Ndc, ...]:
    """The 10-digit NDCs an 11-digit 5-4-2 billing NDC can stand for.

    >>> [c.hyphenated for c in candidates_from_ndc11("00002140701")]
    ['0002-1407-01']
    >>> [c.hyphenated for c in candidates_from_ndc11("50458057930")]
    ['50458-579-30']
    >>> [c.hyphenated for c in candidates_from_ndc11("50458057901")]
    ['50458-579-01', '50458-0579-1']
    """
    if len(digits) != 11 or not is_ascii_digits(digits):
        return ()
    labeler, product, package = digits[:5], digits[5:9], digits[9:]
    if labeler[0] == "0":
        return (Ndc(labeler[1:], product, package),)
    found: list[Ndc] = []
    if product[0] == "0":
        found.append(Ndc(labeler, product[1:], package))
    if package[0] == "0":
        found.append(Ndc(labeler, product, package[1:]))
    return tuple(found)


def parse_hyphenated(text: str) -> Ndc | None:
    """Parse ``4-4-2``, ``5-3-2``, ``5-4-1`` or an unambiguous hyphenated ``5-4-2`` NDC.

    >>> parse_hyphenated("50458-0579-30")
    Ndc(labeler='50458', product='579', package='30')
    >>> parse_hyphenated("12345-67-890") is None
    True
    """
    parts = text.split("-")
    if len(parts) != 3 or not all(is_ascii_digits(part) for part in parts):
        return None
    labeler, product, package = parts
    lengths = (len(labeler), len(product), len(package))
    if lengths in _LAYOUTS:
        return Ndc(labeler, product, package)
    if lengths == (5, 4, 2):
        found = candidates_from_ndc11(labeler + product + package)
        if len(found) == 1:
            return found[0]
    return None


def ndc10_from_gtin(gtin14: str) -> str | None:
    """The NDC10 inside a US drug GTIN-14 (``N 03 NDC10 C``), else None.

    The check digit is not verified here.
    """
    if len(gtin14) != 14 or not is_ascii_digits(gtin14) or gtin14[1:3] != US_GTIN_PREFIX:
        return None
    return gtin14[3:13]


def gtin14_from_ndc10(ndc10: str, indicator: str = "0") -> str:
    """Build the GTIN-14 for a 10-digit NDC.

    Raises:
        ValueError: ``ndc10`` is not 10 ASCII digits or ``indicator`` not one digit.
    """
    if len(ndc10) != 10 or not is_ascii_digits(ndc10):
        msg = f"expected 10 ASCII digits, got {ndc10!r}"
        raise ValueError(msg)
    if len(indicator) != 1 or not is_ascii_digits(indicator):
        msg = f"expected one ASCII digit as indicator, got {indicator!r}"
        raise ValueError(msg)
    body = indicator + US_GTIN_PREFIX + ndc10
    return body + str(gs1_check_digit(body))


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

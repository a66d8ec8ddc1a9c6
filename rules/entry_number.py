"""Entry number rules: is the customs entry number a well-formed CBP entry number?"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from rules.base import Finding, Severity, shipment_rule
from rules.context import ShipmentContext

CBP_ENTRY = re.compile(r"^([0-9A-Z]{3})-?([0-9]{7})-?([0-9])$")
"""Filer code (3 letters or digits), entry serial (7 digits), check digit."""
HYPHENATED = re.compile(r"^[0-9A-Z]{3}-[0-9]{7}-[0-9]$")


def _letter_value(ch: str) -> int:
    """CBP's letter values: A-I 1-9, J-R 1-9, S-Z 2-9."""
    offset = ord(ch) - ord("A")
    if offset < 9:
        return offset + 1
    if offset < 18:
        return offset - 8
    return offset - 16


def entry_check_digit(first_ten: str) -> int:
    """The check digit of a CBP entry number's filer code and serial (10 characters).

    Letters take their CBP values; every second character from the left is
    doubled (digits of a product over 9 added); check = (10 - sum mod 10) mod 10.

    >>> entry_check_digit("ABC1234567")
    6
    >>> entry_check_digit("K802162679")
    2
    """
    total = 0
    for position, ch in enumerate(first_ten.upper(), start=1):
        value = int(ch) if ch.isdigit() else _letter_value(ch)
        if position % 2 == 0:
            value *= 2
            value = value - 9 if value > 9 else value
        total += value
    return (10 - total % 10) % 10


@dataclass(frozen=True)
class EntryNumberCheck:
    well_formed: bool
    check_digit: str | None = None
    expected: int | None = None

    @property
    def check_digit_ok(self) -> bool:
        return self.expected is not None and str(self.expected) == self.check_digit


def check_entry_number(text: str) -> EntryNumberCheck:
    """Whether `text` has the CBP shape XXX-NNNNNNN-C, and its check digit against the rule."""
    match = CBP_ENTRY.match(text.strip().upper())
    if match is None:
        return EntryNumberCheck(False)
    filer, serial, check = match.groups()
    return EntryNumberCheck(True, check, entry_check_digit(filer + serial))


def _meant_as_entry_number(text: str) -> bool:
    """Written in the hyphenated CBP grouping (an 11-digit air waybill is not)."""
    return HYPHENATED.match(text.strip().upper()) is not None


@shipment_rule("R30", "ENTRY_NUMBER_INVALID")
def entry_number_invalid(ctx: ShipmentContext) -> Iterator[Finding]:
    """The CBP entry number is malformed or its check digit is wrong: a mistyped or made-up entry.

    CBP CATAIR (entry number format and check digit, docs/entry-data.md). A
    filed entry (with an entry type) must carry a CBP entry number; otherwise, and
    for related entries (which may be in-bond numbers), only a number written
    XXX-NNNNNNN-C is checked, so air waybills and parcel ids pass.
    """
    shipment = ctx.shipment
    numbers = [("entry_number", shipment.entry_number)]
    numbers += [(f"related_entries.{i}", n) for i, n in enumerate(shipment.related_entries)]
    for field, number in numbers:
        filed = field == "entry_number" and shipment.entry_type is not None
        if not filed and not _meant_as_entry_number(number):
            continue
        check = check_entry_number(number)
        if not check.well_formed:
            if field == "entry_number":
                yield Finding(
                    "R30",
                    Severity.LOW,
                    f"Entry {number!r} (entry type {shipment.entry_type}) is not a CBP entry "
                    "number: expected XXX-NNNNNNN-C (filer code, 7 digits, check digit).",
                    {"field": field, "entry_number": number, "check": "format"},
                )
            continue
        if not check.check_digit_ok:
            yield Finding(
                "R30",
                Severity.LOW,
                f"Entry number {number} ends in check digit {check.check_digit}, but its "
                f"filer code and serial give {check.expected}: mistyped, or not a CBP-issued "
                "number.",
                {
                    "field": field,
                    "entry_number": number,
                    "check": "check_digit",
                    "check_digit": check.check_digit,
                    "expected": check.expected,
                },
            )

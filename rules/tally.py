"""Shipment tallies: what the shipment rules know of the scans, in counts per lot.

A pallet of 5,000 packs is 5,000 scans but a handful of (GTIN, lot) pairs.
Shipment rules read the tally, one `LotTally` per GTIN (or bare NDC) and lot,
which the triage service keeps up to date with each scan, so that a scan costs
the same whatever the size of its shipment (docs/rules.md, "Shipment tallies").
`tally_scans` computes the same tally from a list of scans: the reference for
tests, and what a recomputation does.

A *pack* is a distinct (GTIN, serial) of the shipment; it counts in the lot
of its first scan. A scan without both a GTIN and a serial is *unserialised*.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rules.context import ProductFacts, ScanSummary

MAX_COUNTER_DIGITS = 18
"""Trailing digits read as a serial's counter; longer digit runs keep the rest in the prefix."""
LISTED_RUN_SERIALS = 50
"""Serials of a run listed in evidence; longer runs are given by their ends and length."""
_COUNTER = re.compile(r"^(.*?)(\d+)$")


@dataclass(frozen=True)
class SerialRun:
    """Serials ``prefix`` + counter (zero-padded to ``width``) for counters first..last."""

    prefix: str
    width: int
    first: int
    last: int

    @property
    def length(self) -> int:
        return self.last - self.first + 1

    def serial(self, counter: int) -> str:
        return f"{self.prefix}{counter:0{self.width}d}"

    def serials(self, limit: int = LISTED_RUN_SERIALS) -> list[str]:
        """The run's serials in order, at most `limit` of them.

        >>> SerialRun("A", 4, 9, 11).serials()
        ['A0009', 'A0010', 'A0011']
        """
        last = min(self.last, self.first + limit - 1)
        return [self.serial(counter) for counter in range(self.first, last + 1)]

    def outranks(self, other: SerialRun | None) -> bool:
        """Longer wins; of equal runs, the first in (prefix, width, counter) order."""
        if other is None:
            return True
        return (-self.length, self.prefix, self.width, self.first) < (
            -other.length,
            other.prefix,
            other.width,
            other.first,
        )


def serial_shape(serial: str) -> tuple[str, int, int] | None:
    """(prefix, counter width, counter) of a serial ending in digits, else None.

    >>> serial_shape("LOT7-000123")
    ('LOT7-', 6, 123)
    >>> serial_shape("X9Q2LM") is None
    True
    """
    match = _COUNTER.match(serial)
    if match is None:
        return None
    prefix, digits = match.group(1), match.group(2)
    if len(digits) > MAX_COUNTER_DIGITS:
        prefix, digits = prefix + digits[:-MAX_COUNTER_DIGITS], digits[-MAX_COUNTER_DIGITS:]
    return prefix, len(digits), int(digits)


def serial_runs(serials: Iterable[str]) -> list[SerialRun]:
    """Every maximal gap-free counter run among `serials` (same prefix, same counter width).

    Serials that end in no digits take part in no run.

    >>> [run.length for run in serial_runs({"A0001", "A0002", "A0004", "X9Q2LM"})]
    [2, 1]
    """
    by_shape: dict[tuple[str, int], set[int]] = {}
    for serial in serials:
        shape = serial_shape(serial)
        if shape is not None:
            by_shape.setdefault(shape[:2], set()).add(shape[2])
    runs: list[SerialRun] = []
    for (prefix, width), counters in sorted(by_shape.items()):
        for counter in sorted(counters):
            if counter - 1 in counters:
                continue
            last = counter
            while last + 1 in counters:
                last += 1
            runs.append(SerialRun(prefix, width, counter, last))
    return runs


def longest_run(serials: Iterable[str]) -> SerialRun | None:
    """The longest gap-free counter run among `serials` (see `SerialRun.outranks` for ties).

    Serials that do not fit (random ones, other shapes) are ignored, so one
    outlier does not hide a sequence.

    >>> longest_run({"A0001", "A0002", "A0003", "X9Q2LM"}).serials()
    ['A0001', 'A0002', 'A0003']
    >>> longest_run({"A0001", "A0003", "B0002"}).serials()
    ['A0001']
    """
    return longest_of(serial_runs(serials))


def longest_of(runs: Iterable[SerialRun]) -> SerialRun | None:
    """The run that outranks all others, or None when there is none."""
    best: SerialRun | None = None
    for run in runs:
        if run.outranks(best):
            best = run
    return best


@dataclass(frozen=True)
class LotTally:
    """The scans of one GTIN (or bare NDC) and lot in a shipment."""

    gtin: str | None
    ndc10: str | None
    lot: str | None
    product: ProductFacts | None
    scans: int
    packs: int
    unserialised: int
    first_scan_id: int
    last_scan_id: int
    longest_run: SerialRun | None = None

    @property
    def key(self) -> str | None:
        """What names the product: the GTIN, else the NDC."""
        return self.gtin or self.ndc10

    @property
    def gtin_indicator(self) -> str | None:
        return self.gtin[0] if self.gtin else None

    @property
    def ndc10_or_product(self) -> str | None:
        """The NDC10 digits, from the barcode or else from the resolved product."""
        if self.ndc10:
            return self.ndc10
        return self.product.ndc10.replace("-", "") if self.product else None


@dataclass(frozen=True)
class ShipmentTally:
    lots: tuple[LotTally, ...] = ()

    @property
    def scan_count(self) -> int:
        return sum(lot.scans for lot in self.lots)

    @property
    def products(self) -> list[ProductFacts]:
        """The resolved product of each lot, in lot order (repeats included)."""
        return [lot.product for lot in self.lots if lot.product is not None]


def lot_key(gtin: str | None, ndc10: str | None, lot: str | None) -> str:
    """The key of a lot tally within its shipment.

    >>> lot_key("00300241535027", "0024153502", None)
    '00300241535027|0024153502|'
    """
    return f"{gtin or ''}|{ndc10 or ''}|{lot or ''}"


@dataclass
class LotCount:
    """A lot tally being counted: its first scan and the counts so far."""

    first: ScanSummary
    scans: int = 0
    packs: int = 0
    unserialised: int = 0
    last_scan_id: int = 0


def tally_scans(scans: Iterable[ScanSummary]) -> ShipmentTally:
    """The tally of `scans`, taken in scan id order."""
    lots, serials = count_lots(scans)
    return ShipmentTally(
        tuple(
            LotTally(
                gtin=c.first.interpretation.gtin,
                ndc10=c.first.interpretation.ndc10,
                lot=c.first.interpretation.lot,
                product=c.first.product,
                scans=c.scans,
                packs=c.packs,
                unserialised=c.unserialised,
                first_scan_id=c.first.scan_id,
                last_scan_id=c.last_scan_id,
                longest_run=longest_run(serials.get(key, ())),
            )
            for key, c in lots.items()
        )
    )


def count_lots(
    scans: Iterable[ScanSummary],
) -> tuple[dict[str, LotCount], dict[str, set[str]]]:
    """Lot counts by `lot_key`, in order of first scan, and the serials of each lot's packs."""
    lots: dict[str, LotCount] = {}
    serials: dict[str, set[str]] = {}
    seen_packs: set[tuple[str, str]] = set()
    for scan in sorted(scans, key=lambda s: s.scan_id):
        found = scan.interpretation
        key = lot_key(found.gtin, found.ndc10, found.lot)
        counting = lots.setdefault(key, LotCount(scan))
        counting.scans += 1
        counting.last_scan_id = scan.scan_id
        if not (found.gtin and found.serial):
            counting.unserialised += 1
        elif (found.gtin, found.serial) not in seen_packs:
            seen_packs.add((found.gtin, found.serial))
            counting.packs += 1
            serials.setdefault(key, set()).add(found.serial)
    return lots, serials

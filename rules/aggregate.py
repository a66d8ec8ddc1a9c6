"""Aggregate rules: patterns visible only across all scans of a shipment."""

from __future__ import annotations

import re
from collections.abc import Iterator

from rules.base import Finding, Severity, shipment_rule
from rules.context import ShipmentContext
from rules.product import UNKNOWN_PRODUCT_NOTE, rx_applies

PARCEL_MODES = frozenset({"mail", "courier"})
PARCEL_MAX_PACKS = 3
"""More prescription packs than this in one parcel exceeds a three months' supply."""
PATTERN_MIN_SERIALS = 3
"""Fewer serials than this cannot show a sequence."""
_COUNTER = re.compile(r"^(.*?)(\d+)$")


@shipment_rule("R24", "PERSONAL_IMPORT_QUANTITY")
def personal_import_quantity(ctx: ShipmentContext) -> Iterator[Finding]:
    """A parcel holds several Rx products or many packs: a reseller, not personal use.

    FDA personal importation policy (Regulatory Procedures Manual ch. 9-2): generally
    no more than a three months' supply for the person's own use.
    """
    if ctx.shipment.mode not in PARCEL_MODES:
        return
    products: set[str] = set()
    packs: set[tuple[str, str]] = set()
    unserialised = 0
    assumed = False
    for scan in ctx.scans:
        interpretation = scan.interpretation
        key = interpretation.gtin or interpretation.ndc10
        applies, unknown = rx_applies(scan.product)
        if key is None or not applies:
            continue
        assumed = assumed or unknown
        products.add(key)
        if interpretation.serial:
            packs.add((key, interpretation.serial))
        else:
            unserialised += 1
    count = len(packs) + unserialised
    reasons = []
    if len(products) > 1:
        reasons.append(
            f"{len(products)} different prescription products ({', '.join(sorted(products))})"
        )
    if count > PARCEL_MAX_PACKS:
        reasons.append(f"{count} prescription packs (more than {PARCEL_MAX_PACKS})")
    if not reasons:
        return
    message = (
        f"{ctx.shipment.mode.title()} parcel {ctx.shipment.entry_number} holds "
        f"{' and '.join(reasons)}: beyond personal-use importation."
    )
    yield Finding(
        "R24",
        Severity.MEDIUM,
        f"{message} {UNKNOWN_PRODUCT_NOTE}" if assumed else message,
        {
            "entry_number": ctx.shipment.entry_number,
            "mode": ctx.shipment.mode,
            "products": sorted(products),
            "packs": count,
            "rx_assumed": assumed,
        },
    )


def sequential_run(serials: set[str]) -> bool:
    """True when the serials are one prefix plus a fixed-width counter with no gaps.

    >>> sequential_run({"A0001", "A0002", "A0003"}), sequential_run({"A0001", "A0003", "A0004"})
    (True, False)
    """
    parts = [_COUNTER.match(serial) for serial in serials]
    if len(serials) < PATTERN_MIN_SERIALS or not all(parts):
        return False
    shapes = {(m.group(1), len(m.group(2))) for m in parts if m}
    if len(shapes) != 1:
        return False
    counters = sorted(int(m.group(2)) for m in parts if m)
    return counters[-1] - counters[0] == len(counters) - 1


@shipment_rule("R25", "SERIAL_PATTERN_ANOMALY")
def serial_pattern_anomaly(ctx: ShipmentContext) -> Iterator[Finding]:
    """The serials of one GTIN in the shipment form a gap-free counter: fabricated serial ranges.

    Genuine DSCSA serials are usually randomised (GS1 US guideline on serialisation).
    """
    serials: dict[str, set[str]] = {}
    for scan in ctx.scans:
        interpretation = scan.interpretation
        if interpretation.gtin and interpretation.serial:
            serials.setdefault(interpretation.gtin, set()).add(interpretation.serial)
    for gtin, found in sorted(serials.items()):
        if not sequential_run(found):
            continue
        ordered = sorted(found)
        yield Finding(
            "R25",
            Severity.LOW,
            f"The {len(found)} serials of GTIN {gtin} in shipment {ctx.shipment.entry_number} "
            f"run without a gap from {ordered[0]} to {ordered[-1]}: genuine serials are "
            "usually random.",
            {"gtin": gtin, "serials": ordered, "entry_number": ctx.shipment.entry_number},
        )

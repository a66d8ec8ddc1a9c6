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
        applies, unknown = rx_applies(scan.product, ctx.policy)
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


def longest_run(serials: set[str]) -> list[str]:
    """The longest gap-free counter run among ``serials`` (same prefix, same counter width).

    Serials that do not fit (random ones, other shapes) are ignored, so one
    outlier does not hide a sequence. Of runs equally long, the first in
    (prefix, width, counter) order wins, whatever the order of ``serials``.

    >>> longest_run({"A0001", "A0002", "A0003", "X9Q2LM"})
    ['A0001', 'A0002', 'A0003']
    >>> longest_run({"A0001", "A0003", "B0002"})
    ['A0001']
    """
    by_shape: dict[tuple[str, int], dict[int, str]] = {}
    for serial in serials:
        match = _COUNTER.match(serial)
        if match:
            shape = (match.group(1), len(match.group(2)))
            by_shape.setdefault(shape, {})[int(match.group(2))] = serial
    best: list[str] = []
    for shape in sorted(by_shape):
        counters = by_shape[shape]
        run: list[str] = []
        previous: int | None = None
        for counter in sorted(counters):
            run = [*run, counters[counter]] if previous == counter - 1 else [counters[counter]]
            previous = counter
            if len(run) > len(best):
                best = run
    return best


@shipment_rule("R25", "SERIAL_PATTERN_ANOMALY")
def serial_pattern_anomaly(ctx: ShipmentContext) -> Iterator[Finding]:
    """Within one lot of a GTIN, serials form a gap-free counter run: fabricated serial ranges.

    Genuine DSCSA serials are usually randomised (GS1 US guideline on
    serialisation). Runs are looked for per lot and among serials of one
    shape, so random serials mixed in do not hide a sequential block.
    """
    serials: dict[tuple[str, str | None], set[str]] = {}
    for scan in ctx.scans:
        interpretation = scan.interpretation
        if interpretation.gtin and interpretation.serial:
            key = (interpretation.gtin, interpretation.lot)
            serials.setdefault(key, set()).add(interpretation.serial)
    for (gtin, lot), found in sorted(serials.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        run = longest_run(found)
        if len(run) < PATTERN_MIN_SERIALS:
            continue
        lot_text = f" lot {lot}" if lot else ""
        others = len(found) - len(run)
        yield Finding(
            "R25",
            Severity.LOW,
            f"{len(run)} of the {len(found)} serials of GTIN {gtin}{lot_text} in shipment "
            f"{ctx.shipment.entry_number} run without a gap from {run[0]} to {run[-1]}"
            + (f" ({others} other serials aside)" if others else "")
            + ": genuine serials are usually random.",
            {
                "gtin": gtin,
                "lot": lot,
                "serials": run,
                "serials_in_lot": len(found),
                "entry_number": ctx.shipment.entry_number,
            },
        )

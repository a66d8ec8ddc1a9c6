"""Aggregate rules: patterns visible only across all scans of a shipment."""

from __future__ import annotations

from collections.abc import Iterator

from rules.base import Finding, Severity, shipment_rule
from rules.context import ShipmentContext
from rules.product import UNKNOWN_PRODUCT_NOTE, rx_applies

PARCEL_MODES = frozenset({"mail", "courier"})
PARCEL_MAX_PACKS = 3
"""More prescription packs than this in one parcel exceeds a three months' supply."""
PATTERN_MIN_SERIALS = 3
"""Fewer serials than this cannot show a sequence."""


@shipment_rule("R24", "PERSONAL_IMPORT_QUANTITY")
def personal_import_quantity(ctx: ShipmentContext) -> Iterator[Finding]:
    """A parcel holds several Rx products or many packs: a reseller, not personal use.

    FDA personal importation policy (Regulatory Procedures Manual ch. 9-2): generally
    no more than a three months' supply for the person's own use.
    """
    if ctx.shipment.mode not in PARCEL_MODES:
        return
    products: set[str] = set()
    count = 0
    assumed = False
    for lot in ctx.tally.lots:
        applies, unknown = rx_applies(lot.product, ctx.policy)
        if lot.key is None or not applies:
            continue
        assumed = assumed or unknown
        products.add(lot.key)
        count += lot.packs + lot.unserialised
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


@shipment_rule("R25", "SERIAL_PATTERN_ANOMALY")
def serial_pattern_anomaly(ctx: ShipmentContext) -> Iterator[Finding]:
    """Within one lot of a GTIN, serials form a gap-free counter run: fabricated serial ranges.

    Genuine DSCSA serials are usually randomised (GS1 US guideline on
    serialisation). Runs are looked for per lot and among serials of one
    shape, so random serials mixed in do not hide a sequential block.
    """
    lots = sorted(
        (lot for lot in ctx.tally.lots if lot.gtin and lot.longest_run),
        key=lambda lot: (lot.gtin or "", lot.lot or ""),
    )
    for lot in lots:
        run = lot.longest_run
        if run is None or run.length < PATTERN_MIN_SERIALS:
            continue
        lot_text = f" lot {lot.lot}" if lot.lot else ""
        others = lot.packs - run.length
        yield Finding(
            "R25",
            Severity.LOW,
            f"{run.length} of the {lot.packs} serials of GTIN {lot.gtin}{lot_text} in shipment "
            f"{ctx.shipment.entry_number} run without a gap from {run.serial(run.first)} to "
            f"{run.serial(run.last)}"
            + (f" ({others} other serials aside)" if others else "")
            + ": genuine serials are usually random.",
            {
                "gtin": lot.gtin,
                "lot": lot.lot,
                "serials": run.serials(),
                "run_length": run.length,
                "serials_in_lot": lot.packs,
                "entry_number": ctx.shipment.entry_number,
            },
        )

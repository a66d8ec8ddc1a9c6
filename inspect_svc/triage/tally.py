"""Keep each shipment's tally up to date as scans are stored, and read it for the rules.

A scan touches only the row of its own lot (and, for a serialised pack, the
serial run it extends): a few indexed statements whatever the shipment's
size. The caller holds the shipment's row lock (the scan endpoint reads it
FOR UPDATE), so concurrent batches of one shipment count one after the other.
The result equals `rules.tally.tally_scans` over the stored scans.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Sequence

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session

from inspect_svc.models.tally import ShipmentLot, ShipmentSerialRun
from inspect_svc.models.triage import Scan
from rules.context import ProductFacts
from rules.tally import LotTally, SerialRun, ShipmentTally, lot_key, serial_shape

# Built once: these run on every scan.
_LOTS = select(ShipmentLot).where(ShipmentLot.shipment_id == bindparam("shipment_id"))
_TOUCHING_RUNS = select(ShipmentSerialRun).where(
    ShipmentSerialRun.lot_id == bindparam("lot_id"),
    ShipmentSerialRun.prefix == bindparam("prefix"),
    ShipmentSerialRun.width == bindparam("width"),
    or_(
        ShipmentSerialRun.last.in_(bindparam("lasts", expanding=True)),
        ShipmentSerialRun.first.in_(bindparam("firsts", expanding=True)),
    ),
)


def add_to_tally(
    session: Session, shipment_id: int, scans: Sequence[Scan], new_packs: Collection[int]
) -> list[ShipmentLot]:
    """Add stored `scans` to their shipment's tally, in a fixed number of statements per lot;
    return every tally row of the shipment.

    `new_packs` are the ids of scans whose (GTIN, serial) no earlier scan of
    the shipment had.
    """
    ordered = sorted(scans, key=lambda s: s.id)
    lots = _lots_of(session, shipment_id, ordered)
    counters: dict[tuple[str, str, int], set[int]] = defaultdict(set)
    for scan in ordered:
        key = lot_key(scan.gtin, scan.ndc10, scan.lot)
        row = lots[key]
        row.scans += 1
        row.last_scan_id = scan.id
        if not (scan.gtin and scan.serial):
            row.unserialised += 1
        elif scan.id in new_packs:
            row.packs += 1
            shape = serial_shape(scan.serial)
            if shape is not None:
                counters[(key, shape[0], shape[1])].add(shape[2])
    for (key, prefix, width), added in counters.items():
        _extend_runs(session, lots[key], prefix, width, added)
    return list(lots.values())


def _lots_of(session: Session, shipment_id: int, scans: Sequence[Scan]) -> dict[str, ShipmentLot]:
    """Every tally row of the shipment, with those the scans need created (empty)."""
    lots = {row.key: row for row in session.scalars(_LOTS, {"shipment_id": shipment_id})}
    created = False
    for scan in scans:
        key = lot_key(scan.gtin, scan.ndc10, scan.lot)
        if key not in lots:
            created = True
            lots[key] = ShipmentLot(
                shipment_id=shipment_id,
                key=key,
                gtin=scan.gtin,
                ndc10=scan.ndc10,
                lot=scan.lot,
                scans=0,
                packs=0,
                unserialised=0,
                first_scan_id=scan.id,
                last_scan_id=scan.id,
            )
            session.add(lots[key])
    if created:
        session.flush()  # new rows need their ids for the runs
    return lots


def _extend_runs(
    session: Session, lot: ShipmentLot, prefix: str, width: int, added: set[int]
) -> None:
    """Add new serial counters of one shape to the lot's runs: extend, join or start runs
    (one read of the runs they touch), and keep the lot's longest."""
    touching = session.scalars(
        _TOUCHING_RUNS,
        {
            "lot_id": lot.id,
            "prefix": prefix,
            "width": width,
            "lasts": [c - 1 for c in added],
            "firsts": [c + 1 for c in added],
        },
    ).all()
    pieces: list[tuple[int, int, ShipmentSerialRun | None]] = sorted(
        [(run.first, run.last, run) for run in touching] + [(c, c, None) for c in added],
        key=lambda piece: piece[0],
    )
    longest = _longest(lot)
    merged: list[list[tuple[int, int, ShipmentSerialRun | None]]] = []
    for piece in pieces:
        if merged and merged[-1][-1][1] + 1 == piece[0]:
            merged[-1].append(piece)
        else:
            merged.append([piece])
    for group in merged:
        first, last = group[0][0], group[-1][1]
        stored = [row for _, _, row in group if row is not None]
        if stored:
            keep, *absorbed = stored
            keep.first, keep.last = first, last
            for row in absorbed:
                session.delete(row)
        else:
            session.add(
                ShipmentSerialRun(lot_id=lot.id, prefix=prefix, width=width, first=first, last=last)
            )
        grown = SerialRun(prefix, width, first, last)
        if grown.outranks(longest):
            longest = grown
    if longest is not None and longest != _longest(lot):
        lot.run_prefix, lot.run_width = longest.prefix, longest.width
        lot.run_first, lot.run_last = longest.first, longest.last


def _longest(lot: ShipmentLot) -> SerialRun | None:
    if lot.run_prefix is None or lot.run_width is None:
        return None
    if lot.run_first is None or lot.run_last is None:
        return None
    return SerialRun(lot.run_prefix, lot.run_width, lot.run_first, lot.run_last)


def load_tally(
    session: Session,
    shipment_id: int,
    product_of: Callable[[str], ProductFacts | None],
) -> ShipmentTally:
    """The shipment's tally, each lot with its directory product (`product_of` an NDC10)."""
    rows = session.scalars(_LOTS, {"shipment_id": shipment_id})
    return tally_of(rows.all(), product_of)


def tally_of(
    rows: Sequence[ShipmentLot], product_of: Callable[[str], ProductFacts | None]
) -> ShipmentTally:
    """The tally of stored lot rows, in order of their first scan."""
    return ShipmentTally(
        tuple(
            LotTally(
                gtin=row.gtin,
                ndc10=row.ndc10,
                lot=row.lot,
                product=product_of(row.ndc10) if row.ndc10 else None,
                scans=row.scans,
                packs=row.packs,
                unserialised=row.unserialised,
                first_scan_id=row.first_scan_id,
                last_scan_id=row.last_scan_id,
                longest_run=_longest(row),
            )
            for row in sorted(rows, key=lambda row: row.first_scan_id)
        )
    )

"""Keep each shipment's tally up to date as scans are stored, and read it for the rules.

A scan touches only the row of its own lot (and, for a serialised pack, the
serial run it extends): a few indexed statements whatever the shipment's
size. The caller holds the shipment's row lock (the scan endpoint reads it
FOR UPDATE), so concurrent batches of one shipment count one after the other.
The result equals `rules.tally.tally_scans` over the stored scans.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from inspect_svc.models.tally import ShipmentLot, ShipmentSerialRun
from inspect_svc.models.triage import Scan
from rules.context import ProductFacts
from rules.tally import LotTally, SerialRun, ShipmentTally, lot_key, serial_shape


def add_to_tally(
    session: Session, shipment_id: int, scans: Sequence[Scan], new_packs: Collection[int]
) -> None:
    """Add stored `scans` to their shipment's tally.

    `new_packs` are the ids of scans whose (GTIN, serial) no earlier scan of
    the shipment had.
    """
    keys = {lot_key(scan.gtin, scan.ndc10, scan.lot) for scan in scans}
    lots = {
        row.key: row
        for row in session.scalars(
            select(ShipmentLot).where(
                ShipmentLot.shipment_id == shipment_id, ShipmentLot.key.in_(keys)
            )
        )
    }
    for scan in sorted(scans, key=lambda s: s.id):
        key = lot_key(scan.gtin, scan.ndc10, scan.lot)
        row = lots.get(key)
        if row is None:
            row = lots[key] = _new_lot(session, shipment_id, key, scan)
        row.scans += 1
        row.last_scan_id = scan.id
        if not (scan.gtin and scan.serial):
            row.unserialised += 1
        elif scan.id in new_packs:
            row.packs += 1
            _extend_runs(session, row, scan.serial)


def _new_lot(session: Session, shipment_id: int, key: str, scan: Scan) -> ShipmentLot:
    row = ShipmentLot(
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
    session.add(row)
    session.flush()
    return row


def _extend_runs(session: Session, lot: ShipmentLot, serial: str) -> None:
    """Add a new serial to the lot's runs: extend, join or start one; keep the longest."""
    shape = serial_shape(serial)
    if shape is None:
        return
    prefix, width, counter = shape
    neighbours = session.scalars(
        select(ShipmentSerialRun).where(
            ShipmentSerialRun.lot_id == lot.id,
            ShipmentSerialRun.prefix == prefix,
            ShipmentSerialRun.width == width,
            or_(ShipmentSerialRun.last == counter - 1, ShipmentSerialRun.first == counter + 1),
        )
    ).all()
    before = next((run for run in neighbours if run.last == counter - 1), None)
    after = next((run for run in neighbours if run.first == counter + 1), None)
    if before is not None and after is not None:
        before.last = after.last
        session.delete(after)
        grown = before
    elif before is not None:
        before.last = counter
        grown = before
    elif after is not None:
        after.first = counter
        grown = after
    else:
        grown = ShipmentSerialRun(
            lot_id=lot.id, prefix=prefix, width=width, first=counter, last=counter
        )
        session.add(grown)
    run = SerialRun(prefix, width, grown.first, grown.last)
    if run.outranks(_longest(lot)):
        lot.run_prefix, lot.run_width = prefix, width
        lot.run_first, lot.run_last = run.first, run.last


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
    rows = session.scalars(
        select(ShipmentLot)
        .where(ShipmentLot.shipment_id == shipment_id)
        .order_by(ShipmentLot.first_scan_id)
    ).all()
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
            for row in rows
        )
    )

"""Keep each shipment's tally up to date as scans are stored, and read it for the rules.

A scan touches only the row of its own lot (and, for a serialised pack, the
serial runs it extends): a few indexed statements whatever the shipment's
size. The caller holds the shipment's row lock (the scan endpoint reads it
FOR UPDATE), so concurrent batches of one shipment count one after the other.
The result equals `rules.tally.tally_scans` over the stored scans.

Rows are read and written with Core statements built once: this runs on
every scan, and the ORM's unit of work cost more than the statements.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from inspect_svc.models.tally import ShipmentLot, ShipmentSerialRun
from inspect_svc.models.triage import Scan
from rules.context import ProductFacts
from rules.tally import LotTally, SerialRun, ShipmentTally, lot_key, serial_shape

_LOT = cast(Table, ShipmentLot.__table__)
_RUN = cast(Table, ShipmentSerialRun.__table__)
_COUNTS = ("scans", "packs", "unserialised", "last_scan_id")
_LONGEST = ("run_prefix", "run_width", "run_first", "run_last")
_IDENTITY = ("key", "gtin", "ndc10", "lot", "first_scan_id")


@dataclass(slots=True)
class LotRow:
    """One `shipment_lot` row as counted so far (`id` is 0 until a new row is inserted)."""

    id: int
    key: str
    gtin: str | None
    ndc10: str | None
    lot: str | None
    first_scan_id: int
    last_scan_id: int
    scans: int = 0
    packs: int = 0
    unserialised: int = 0
    run_prefix: str | None = None
    run_width: int | None = None
    run_first: int | None = None
    run_last: int | None = None

    def longest(self) -> SerialRun | None:
        """The lot's longest serial run, if it has one."""
        if self.run_prefix is None or self.run_width is None:
            return None
        if self.run_first is None or self.run_last is None:
            return None
        return SerialRun(self.run_prefix, self.run_width, self.run_first, self.run_last)

    def values(self, names: Iterable[str]) -> dict[str, Any]:
        return {name: getattr(self, name) for name in names}


_LOTS = select(*(_LOT.c[name] for name in ("id", *_IDENTITY, *_COUNTS, *_LONGEST))).where(
    _LOT.c.shipment_id == bindparam("shipment_id")
)
_NEW_LOT = insert(_LOT).returning(_LOT.c.id)
_COUNT_LOT = update(_LOT).where(_LOT.c.id == bindparam("lot_id"))
_TOUCHING_RUNS = select(_RUN.c.id, _RUN.c.first, _RUN.c.last).where(
    _RUN.c.lot_id == bindparam("lot_id"),
    _RUN.c.prefix == bindparam("prefix"),
    _RUN.c.width == bindparam("width"),
    or_(
        _RUN.c.last.in_(bindparam("lasts", expanding=True)),
        _RUN.c.first.in_(bindparam("firsts", expanding=True)),
    ),
)
_NEW_RUN = insert(_RUN)
_GROW_RUN = (
    update(_RUN)
    .where(_RUN.c.id == bindparam("run_id"))
    .values(first=bindparam("new_first"), last=bindparam("new_last"))
)
_DROP_RUN = delete(_RUN).where(_RUN.c.id == bindparam("run_id"))


@dataclass
class _RunChanges:
    """Serial-run rows to write, gathered over a batch and written a statement per kind."""

    new: list[tuple[LotRow, SerialRun]] = field(default_factory=list)
    grown: list[dict[str, int]] = field(default_factory=list)
    dropped: list[dict[str, int]] = field(default_factory=list)

    def write(self, session: Session) -> None:
        """Write the changes; new runs' lots must have their ids by now."""
        if self.new:
            session.execute(
                _NEW_RUN,
                [
                    {
                        "lot_id": lot.id,
                        "prefix": run.prefix,
                        "width": run.width,
                        "first": run.first,
                        "last": run.last,
                    }
                    for lot, run in self.new
                ],
            )
        if self.grown:
            session.execute(_GROW_RUN, self.grown)
        if self.dropped:
            session.execute(_DROP_RUN, self.dropped)


def add_to_tally(
    session: Session, shipment_id: int, scans: Sequence[Scan], new_packs: Collection[int]
) -> list[LotRow]:
    """Add stored `scans` to their shipment's tally, in a fixed number of statements per lot;
    return every tally row of the shipment.

    `new_packs` are the ids of scans whose (GTIN, serial) no earlier scan of
    the shipment had.
    """
    lots = {row.key: row for row in _read_lots(session, shipment_id)}
    stored = set(lots)
    counted: set[str] = set()
    counters: dict[tuple[str, str, int], set[int]] = defaultdict(set)
    for scan in sorted(scans, key=lambda s: s.id):
        key = lot_key(scan.gtin, scan.ndc10, scan.lot)
        row = lots.get(key)
        if row is None:
            row = lots[key] = LotRow(0, key, scan.gtin, scan.ndc10, scan.lot, scan.id, scan.id)
        counted.add(key)
        row.scans += 1
        row.last_scan_id = scan.id
        if not (scan.gtin and scan.serial):
            row.unserialised += 1
        elif scan.id in new_packs:
            row.packs += 1
            shape = serial_shape(scan.serial)
            if shape is not None:
                counters[(key, shape[0], shape[1])].add(shape[2])
    changes = _RunChanges()
    for (key, prefix, width), added in counters.items():
        _extend_runs(session, lots[key], prefix, width, added, key in stored, changes)
    for key in sorted(counted - stored):
        row = lots[key]
        values = {"shipment_id": shipment_id, **row.values(_IDENTITY + _COUNTS + _LONGEST)}
        row.id = session.execute(_NEW_LOT, values).scalar_one()
    changes.write(session)
    updated = [
        {"lot_id": lots[key].id, **lots[key].values(_COUNTS + _LONGEST)}
        for key in sorted(counted & stored)
    ]
    if updated:
        session.execute(_COUNT_LOT, updated)
    return list(lots.values())


def _read_lots(session: Session, shipment_id: int) -> list[LotRow]:
    return [LotRow(**row._mapping) for row in session.execute(_LOTS, {"shipment_id": shipment_id})]


def _extend_runs(
    session: Session,
    lot: LotRow,
    prefix: str,
    width: int,
    added: set[int],
    lot_is_stored: bool,
    changes: _RunChanges,
) -> None:
    """Add new serial counters of one shape to the lot's runs: extend, join or start runs
    (one read of the stored runs they touch; a lot this batch created has none), and keep
    the lot's longest."""
    touching = (
        session.execute(
            _TOUCHING_RUNS,
            {
                "lot_id": lot.id,
                "prefix": prefix,
                "width": width,
                "lasts": [c - 1 for c in added],
                "firsts": [c + 1 for c in added],
            },
        ).all()
        if lot_is_stored
        else []
    )
    pieces: list[tuple[int, int, int | None]] = sorted(
        [(run.first, run.last, run.id) for run in touching] + [(c, c, None) for c in added],
        key=lambda piece: piece[0],
    )
    merged: list[list[tuple[int, int, int | None]]] = []
    for piece in pieces:
        if merged and merged[-1][-1][1] + 1 == piece[0]:
            merged[-1].append(piece)
        else:
            merged.append([piece])
    longest = lot.longest()
    for group in merged:
        grown = SerialRun(prefix, width, group[0][0], group[-1][1])
        stored_ids = [run_id for _, _, run_id in group if run_id is not None]
        if stored_ids:
            keep, *absorbed = stored_ids
            changes.grown.append({"run_id": keep, "new_first": grown.first, "new_last": grown.last})
            changes.dropped.extend({"run_id": run_id} for run_id in absorbed)
        else:
            changes.new.append((lot, grown))
        if grown.outranks(longest):
            longest = grown
    if longest is not None:
        lot.run_prefix, lot.run_width = longest.prefix, longest.width
        lot.run_first, lot.run_last = longest.first, longest.last


def load_tally(
    session: Session,
    shipment_id: int,
    product_of: Callable[[str], ProductFacts | None],
) -> ShipmentTally:
    """The shipment's tally, each lot with its directory product (`product_of` an NDC10)."""
    return tally_of(_read_lots(session, shipment_id), product_of)


def tally_of(
    rows: Sequence[LotRow], product_of: Callable[[str], ProductFacts | None]
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
                longest_run=row.longest(),
            )
            for row in sorted(rows, key=lambda row: row.first_scan_id)
        )
    )

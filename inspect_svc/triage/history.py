"""What was seen before: other scans of the same pack, other expiries of the same lot.

Read for a whole batch of scans in two queries, then handed to each scan's
rules as immutable facts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from sqlalchemy import Select, and_, bindparam, or_, select, tuple_
from sqlalchemy.orm import Session

from inspect_svc.models.tally import LotExpiry as LotExpiryRow
from inspect_svc.models.triage import Scan, Shipment
from inspect_svc.upsert import add_rows_if_absent
from rules.context import PriorSighting

MAX_SIGHTINGS = 10
"""Sightings of one pack handed to the rules (the evidence lists at most this many)."""

LOTS_PER_QUERY = 100
"""Lots looked up per statement (keeps SQLite's expression depth small)."""

Pair = tuple[str, str]


@dataclass(frozen=True)
class LotExpiry:
    expiry: date
    first_scan_id: int


@dataclass
class History:
    """Sightings per (GTIN, serial) and expiries per (GTIN, lot), including the batch's own."""

    sightings: dict[Pair, list[PriorSighting]] = field(default_factory=dict)
    expiries: dict[Pair, list[LotExpiry]] = field(default_factory=dict)
    # Scan ids per (shipment id, raw text), for codes whose separators may be lost.
    raw_scans: dict[tuple[int, str], list[int]] = field(default_factory=dict)

    def same_raw_rescans(
        self, scan_id: int, shipment_id: int, raw: str, *, earlier_only: bool
    ) -> int:
        """Other scans of this shipment with byte-identical raw text (a re-read of the code)."""
        return sum(
            1
            for other in self.raw_scans.get((shipment_id, raw), [])
            if (other < scan_id if earlier_only else other != scan_id)
        )

    def sightings_of(
        self, scan_id: int, gtin: str | None, serial: str | None, *, earlier_only: bool
    ) -> list[PriorSighting]:
        """Other scans of this pack (only those stored before `scan_id` when `earlier_only`)."""
        if not gtin or not serial:
            return []
        return [
            s
            for s in self.sightings.get((gtin, serial), [])
            if (s.scan_id < scan_id if earlier_only else s.scan_id != scan_id)
        ]

    def other_expiries(
        self,
        scan_id: int,
        gtin: str | None,
        lot: str | None,
        expiry: date | None,
        *,
        earlier_only: bool,
    ) -> tuple[date, ...]:
        if not gtin or not lot or expiry is None:
            return ()
        return tuple(
            seen.expiry
            for seen in self.expiries.get((gtin, lot), [])
            if seen.expiry != expiry and (not earlier_only or seen.first_scan_id < scan_id)
        )[:5]


def load_history(
    session: Session,
    packs: Iterable[Pair],
    lots: Iterable[Pair],
    raws: Iterable[tuple[int, str]] = (),
    linked: frozenset[int] = frozenset(),
) -> History:
    """Sightings, lot expiries and re-reads for a batch.

    `raws` are (shipment id, raw text) of codes to look for re-reads of;
    sightings in `linked` shipments (the same goods under a related entry or
    transport document, see `entry_links`) are marked as linked.
    """
    history = History()
    raw_list = sorted(set(raws))
    for shipment_id in sorted({shipment_id for shipment_id, _ in raw_list}):
        texts = [raw for sid, raw in raw_list if sid == shipment_id]
        for scan_id, raw in session.execute(_SAME_RAW, {"shipment_id": shipment_id, "raws": texts}):
            history.raw_scans.setdefault((shipment_id, raw), []).append(scan_id)
    pack_list, lot_list = sorted(set(packs)), sorted(set(lots))
    if pack_list:
        rows = session.execute(_SIGHTINGS, {"packs": pack_list}).all()
        grouped: dict[Pair, list[PriorSighting]] = defaultdict(list)
        for row in rows:
            grouped[(row.gtin, row.serial)].append(
                PriorSighting(
                    row.id,
                    row.shipment_id,
                    row.entry_number,
                    row.lot,
                    row.expiry,
                    linked=row.shipment_id in linked,
                )
            )
        history.sightings = dict(grouped)
    by_lot: dict[Pair, list[LotExpiry]] = defaultdict(list)
    for start in range(0, len(lot_list), LOTS_PER_QUERY):
        chunk = lot_list[start : start + LOTS_PER_QUERY]
        params: dict[str, str] = {}
        for n, (gtin, lot) in enumerate(chunk):
            params[f"gtin{n}"], params[f"lot{n}"] = gtin, lot
        lot_rows = session.execute(_expiries_of_lots(len(chunk)), params).all()
        for gtin, lot, expiry, first_id in lot_rows:
            if gtin is not None and lot is not None and expiry is not None:
                by_lot[(gtin, lot)].append(LotExpiry(expiry, first_id))
    history.expiries = dict(by_lot)
    return history


# Built once (these run on every scan): building and keying a statement costs
# more than running it.
_SAME_RAW = select(Scan.id, Scan.raw).where(
    Scan.shipment_id == bindparam("shipment_id"), Scan.raw.in_(bindparam("raws", expanding=True))
)
_SIGHTINGS = (
    select(
        Scan.id,
        Scan.shipment_id,
        Shipment.entry_number,
        Scan.lot,
        Scan.expiry,
        Scan.gtin,
        Scan.serial,
    )
    .join(Shipment, Shipment.id == Scan.shipment_id)
    .where(tuple_(Scan.gtin, Scan.serial).in_(bindparam("packs", expanding=True)))
    .order_by(Scan.id)
)


@cache
def _expiries_of_lots(count: int) -> Select[str, str, date, int]:
    """The expiries of `count` lots, bound as gtin0, lot0, gtin1, ...

    Spelled as equalities, not a row-value IN, so that SQLite's planner
    takes the (gtin, lot, expiry) index.
    """
    return select(
        LotExpiryRow.gtin, LotExpiryRow.lot, LotExpiryRow.expiry, LotExpiryRow.first_scan_id
    ).where(
        or_(
            *(
                and_(
                    LotExpiryRow.gtin == bindparam(f"gtin{n}"),
                    LotExpiryRow.lot == bindparam(f"lot{n}"),
                )
                for n in range(count)
            )
        )
    )


def record_lot_expiries(session: Session, scans: Iterable[Scan]) -> None:
    """Add the expiries these stored scans show for their lots to `lot_expiry`.

    Rows go in (GTIN, lot, expiry) order so that concurrent batches cannot
    deadlock; a concurrent first scan of the same expiry keeps its row.
    """
    rows = sorted(
        {
            (scan.gtin, scan.lot, scan.expiry): scan.id
            for scan in sorted(scans, key=lambda s: -s.id)
            if scan.gtin and scan.lot and scan.expiry
        }.items()
    )
    add_rows_if_absent(
        session,
        LotExpiryRow,
        [
            {"gtin": gtin, "lot": lot, "expiry": expiry, "first_scan_id": scan_id}
            for (gtin, lot, expiry), scan_id in rows
        ],
        ["gtin", "lot", "expiry"],
    )

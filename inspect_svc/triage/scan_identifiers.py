"""The identifiers of a shipment's stored scans, read incrementally.

Shipment rules look at every scan of the shipment after each new one. Scans
never change once stored, so each worker remembers what it has read per
shipment and asks only for scans with a higher id, plus a count that tells
whether it missed any: a scan whose lower id committed late (another worker
or host), or one that its own rolled-back transaction had added. On a
mismatch it reads the shipment afresh.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inspect_svc.interpret import Interpretation
from inspect_svc.models.triage import Scan, Shipment

MAX_REMEMBERED_SCANS = 200_000
"""Scans remembered per worker across all shipments (least recently used go first)."""


@dataclass(frozen=True)
class StoredScan:
    scan_id: int
    interpretation: Interpretation  # identifier fields only


@dataclass
class _Remembered:
    last_id: int
    scans: list[StoredScan]


# Keyed by database, shipment id and creation time: a shipment id alone could
# name another shipment after the database is swapped or emptied.
_Key = tuple[str, int, datetime]
_remembered: OrderedDict[_Key, _Remembered] = OrderedDict()
_remembered_total = 0  # scans held in `_remembered`
_lock = threading.Lock()


def stored_scans(session: Session, shipment: Shipment) -> list[StoredScan]:
    shipment_id = shipment.id
    key = (str(session.get_bind().engine.url), shipment_id, shipment.created_at)
    with _lock:
        known = _remembered.get(key)
    after = known.last_id if known else 0
    fresh = _read(session, shipment_id, after)
    total = session.scalar(select(func.count()).where(Scan.shipment_id == shipment_id)) or 0
    if known is not None and len(known.scans) + len(fresh) == total:
        scans = known.scans + fresh
    else:
        scans = fresh if after == 0 else _read(session, shipment_id, 0)
    _remember(key, scans)
    return scans


def _remember(key: _Key, scans: list[StoredScan]) -> None:
    global _remembered_total
    with _lock:
        replaced = _remembered.pop(key, None)
        _remembered_total += len(scans) - (len(replaced.scans) if replaced else 0)
        _remembered[key] = _Remembered(scans[-1].scan_id if scans else 0, scans)
        while _remembered_total > MAX_REMEMBERED_SCANS and len(_remembered) > 1:
            _evicted_key, evicted = _remembered.popitem(last=False)
            _remembered_total -= len(evicted.scans)


def _read(session: Session, shipment_id: int, after: int) -> list[StoredScan]:
    rows = session.execute(
        select(
            Scan.id, Scan.raw, Scan.gtin, Scan.serial, Scan.lot, Scan.expiry, Scan.ndc10, Scan.ndc
        )
        .where(Scan.shipment_id == shipment_id, Scan.id > after)
        .order_by(Scan.id)
    ).all()
    return [
        StoredScan(
            row.id,
            Interpretation(
                raw=row.raw,
                gtin=row.gtin,
                ndc10=row.ndc10,
                ndc=row.ndc,
                serial=row.serial,
                lot=row.lot,
                expiry=row.expiry,
                gtin_indicator=row.gtin[0] if row.gtin else None,
            ),
        )
        for row in rows
    ]

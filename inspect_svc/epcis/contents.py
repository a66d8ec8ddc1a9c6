"""Expected vs scanned: what the shipper's EPCIS data says against what inspectors scanned.

Everything is counted by the database (EXISTS over indexed look-ups), so a
truckload is never loaded into Python; lists of individual units are capped.
Rule R18c reads its counts from the shipment's tally instead (``tally``).

A pack counts as *present* when it was scanned itself, or when its sealed case
or pallet was scanned (the label stands for its contents, as the shipper's data
describes them; ``present_sealed`` says how many were counted that way).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, select
from sqlalchemy.orm import Session, aliased

from inspect_svc.epcis.sightings import scanned, sealed_scanned, unexpected_scans
from inspect_svc.epcis.store import expected_counts, has_epcis
from inspect_svc.epcis.tally import tally_facts
from inspect_svc.models.epcis import EpcisItem
from inspect_svc.models.triage import Scan
from rules.context import EpcisShipmentFacts

LIST_LIMIT = 100


def _packs(shipment_id: int) -> ColumnElement[bool]:
    return and_(
        EpcisItem.shipment_id == shipment_id,
        EpcisItem.level == "pack",
        EpcisItem.removed.is_(False),
    )


def contents(session: Session, shipment_id: int) -> dict[str, Any]:
    """The comparison (docs/epcis.md): per NDC and lot, cases opened, missing and unexpected."""
    attached = has_epcis(session, shipment_id)
    direct, sealed = scanned(EpcisItem), sealed_scanned(EpcisItem)
    per_lot = session.execute(
        select(
            EpcisItem.ndc10,
            EpcisItem.gtin,
            EpcisItem.lot,
            func.count(),
            func.sum(case((direct, 1), else_=0)),
            func.sum(case((and_(~direct, sealed), 1), else_=0)),
        )
        .where(_packs(shipment_id))
        .group_by(EpcisItem.ndc10, EpcisItem.gtin, EpcisItem.lot)
        .order_by(EpcisItem.ndc10, EpcisItem.lot)
    ).all()
    lines = [
        {
            "ndc10": ndc10,
            "gtin": gtin,
            "lot": lot,
            "expected": expected,
            "scanned": int(seen or 0),
            "present_sealed": int(sealed_count or 0),
            "missing": expected - int(seen or 0) - int(sealed_count or 0),
        }
        for ndc10, gtin, lot, expected, seen, sealed_count in per_lot
    ]
    missing_filter = and_(_packs(shipment_id), ~direct, ~sealed)
    missing = session.execute(
        select(EpcisItem.gtin, EpcisItem.serial, EpcisItem.lot, EpcisItem.parent_key)
        .where(missing_filter)
        .order_by(EpcisItem.key)
        .limit(LIST_LIMIT)
    ).all()
    return {
        "epcis_attached": attached,
        "expected": expected_counts(session, shipment_id).to_dict(),
        "lines": lines,
        "cases_opened": _cases_opened(session, shipment_id),
        "containers_scanned": _containers_scanned(session, shipment_id),
        "missing_count": sum(line["missing"] for line in lines),
        "missing": [
            {"gtin": g, "serial": s, "lot": lot, "container": parent}
            for g, s, lot, parent in missing
        ],
        **_unexpected(session, shipment_id, attached),
    }


def shipment_facts_of(session: Session, shipment_id: int) -> EpcisShipmentFacts | None:
    """Expected, missing and unexpected packs for rule R18c (None: no data).

    Read from the shipment's tally (``tally``), brought up to date with the scans
    recorded since it was last read: the cost follows those scans, not the
    number of packs expected.
    """
    return tally_facts(session, shipment_id)


def _cases_opened(session: Session, shipment_id: int) -> list[str]:
    """Cases one of whose packs was scanned on its own: the case was opened."""
    pack = aliased(EpcisItem)
    opened = exists().where(
        pack.shipment_id == shipment_id,
        pack.parent_key == EpcisItem.key,
        pack.level == "pack",
        scanned(pack),
    )
    rows = session.scalars(
        select(EpcisItem.key)
        .where(EpcisItem.shipment_id == shipment_id, EpcisItem.level == "case", opened)
        .order_by(EpcisItem.key)
        .limit(LIST_LIMIT)
    )
    return list(rows)


def _containers_scanned(session: Session, shipment_id: int) -> list[dict[str, str]]:
    rows = session.execute(
        select(EpcisItem.key, EpcisItem.level)
        .where(
            EpcisItem.shipment_id == shipment_id,
            EpcisItem.level.in_(("case", "pallet")),
            scanned(EpcisItem),
        )
        .order_by(EpcisItem.key)
        .limit(LIST_LIMIT)
    ).all()
    return [{"key": key, "level": level} for key, level in rows]


def _unexpected(session: Session, shipment_id: int, attached: bool) -> dict[str, Any]:
    """Packs scanned (GTIN + serial) that the shipper's data does not name."""
    if not attached:
        return {"unexpected_count": 0, "unexpected": []}
    where = unexpected_scans(shipment_id)
    pairs = select(Scan.gtin, Scan.serial).where(where).distinct().subquery()
    total = session.scalar(select(func.count()).select_from(pairs)) or 0
    rows = session.execute(
        select(Scan.gtin, Scan.serial, func.min(Scan.lot), func.min(Scan.ndc10))
        .where(where)
        .group_by(Scan.gtin, Scan.serial)
        .order_by(Scan.gtin, Scan.serial)
        .limit(LIST_LIMIT)
    ).all()
    return {
        "unexpected_count": total,
        "unexpected": [
            {"gtin": g, "serial": s, "lot": lot, "ndc10": ndc10} for g, s, lot, ndc10 in rows
        ],
    }

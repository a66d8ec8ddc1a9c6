"""Per-shipment EPCIS counts for rule R18c, kept up to date scan by scan.

``recount`` rebuilds a shipment's tally over all its packs and scans; it runs
once per attached document (whose storing is as large anyway). ``tally_facts``
then counts only the scans recorded since the tally was last read: each one
marks the packs its label accounts for (the pack itself, or the packs of the
case or pallet, as ``sightings`` defines it), a few index look-ups and one
update of at most a pallet's packs, however many packs the shipment expects.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Row, and_, func, or_, select, update
from sqlalchemy.orm import Session

from inspect_svc.epcis.sightings import scanned, sealed_scanned, unexpected_scans
from inspect_svc.epcis.store import CHUNK, has_epcis
from inspect_svc.models.epcis import EpcisItem, EpcisTally
from inspect_svc.models.triage import Scan
from rules.context import EpcisShipmentFacts

_NO_SYNC = {"synchronize_session": False}


def recount(session: Session, shipment_id: int) -> EpcisTally:
    """Mark every expected pack scans have accounted for, and count afresh."""
    packs = and_(EpcisItem.shipment_id == shipment_id, EpcisItem.level == "pack")
    session.execute(
        update(EpcisItem)
        .where(packs)
        .values(accounted=or_(scanned(EpcisItem), sealed_scanned(EpcisItem)))
        .execution_options(**_NO_SYNC)
    )
    expected, accounted = session.execute(
        select(func.count(), func.count().filter(EpcisItem.accounted.is_(True))).where(
            packs, EpcisItem.removed.is_(False)
        )
    ).one()
    pairs = select(Scan.gtin, Scan.serial).where(unexpected_scans(shipment_id)).distinct()
    unexpected = session.scalar(select(func.count()).select_from(pairs.subquery())) or 0
    last_scan = session.scalar(select(func.max(Scan.id)).where(Scan.shipment_id == shipment_id))
    tally = session.get(EpcisTally, shipment_id, with_for_update=True)
    if tally is None:
        tally = EpcisTally(shipment_id=shipment_id)
        session.add(tally)
    tally.expected_packs = expected
    tally.accounted_packs = accounted
    tally.unexpected_packs = unexpected
    tally.scans_through = last_scan or 0
    session.flush()
    return tally


def tally_facts(session: Session, shipment_id: int) -> EpcisShipmentFacts | None:
    """The shipment's expected, missing and unexpected packs (None: no EPCIS data)."""
    tally = session.get(EpcisTally, shipment_id, with_for_update=True)
    if tally is None:
        if not has_epcis(session, shipment_id):
            return None
        tally = recount(session, shipment_id)  # data attached before the tally existed
    _count_new_scans(session, tally)
    return EpcisShipmentFacts(
        tally.expected_packs,
        tally.expected_packs - tally.accounted_packs,
        tally.unexpected_packs,
    )


def _count_new_scans(session: Session, tally: EpcisTally) -> None:
    shipment_id = tally.shipment_id
    new = session.execute(
        select(Scan.id, Scan.gtin, Scan.serial, Scan.sscc)
        .where(Scan.shipment_id == shipment_id, Scan.id > tally.scans_through)
        .order_by(Scan.id)
    ).all()
    for scan_id, gtin, serial, sscc in new:
        labels = []
        if gtin and serial:
            labels.append(and_(EpcisItem.gtin == gtin, EpcisItem.serial == serial))
        if sscc:
            labels.append(EpcisItem.sscc == sscc)
        named: Sequence[Row[str, str, str | None, str | None]] = ()
        if labels:
            named = session.execute(
                select(EpcisItem.key, EpcisItem.level, EpcisItem.gtin, EpcisItem.serial).where(
                    EpcisItem.shipment_id == shipment_id, or_(*labels)
                )
            ).all()
        for key, level, _, _ in named:
            tally.accounted_packs += _account(session, shipment_id, key, level)
        if gtin and serial and (gtin, serial) not in {(g, s) for _, _, g, s in named}:
            tally.unexpected_packs += _first_sighting(session, shipment_id, scan_id, gtin, serial)
        tally.scans_through = scan_id


def _account(session: Session, shipment_id: int, key: str, level: str) -> int:
    """Mark the expected packs the label of item ``key`` accounts for; how many were new.

    The item itself when a pack, the packs in it and in the items in it: each by
    its own indexed look-up (key, then parent) rather than one OR over both.
    """
    unaccounted = and_(
        EpcisItem.shipment_id == shipment_id,
        EpcisItem.level == "pack",
        EpcisItem.removed.is_(False),
        EpcisItem.accounted.is_(False),
    )
    marked = 0
    if level == "pack":
        marked += _mark(session, and_(unaccounted, EpcisItem.key == key))
    children = session.scalars(
        select(EpcisItem.key).where(
            EpcisItem.shipment_id == shipment_id, EpcisItem.parent_key == key
        )
    ).all()
    containers = [key, *children]
    for start in range(0, len(containers), CHUNK):
        chunk = containers[start : start + CHUNK]
        marked += _mark(session, and_(unaccounted, EpcisItem.parent_key.in_(chunk)))
    return marked


def _mark(session: Session, packs: ColumnElement[bool]) -> int:
    result = session.execute(
        update(EpcisItem).where(packs).values(accounted=True).execution_options(**_NO_SYNC)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def _first_sighting(
    session: Session, shipment_id: int, scan_id: int, gtin: str, serial: str
) -> int:
    """1 when no earlier scan of the shipment named this pack, else 0."""
    earlier = select(Scan.id).where(
        Scan.shipment_id == shipment_id,
        Scan.gtin == gtin,
        Scan.serial == serial,
        Scan.id < scan_id,
    )
    return 0 if session.scalar(earlier.limit(1)) is not None else 1

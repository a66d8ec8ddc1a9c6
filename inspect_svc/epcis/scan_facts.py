"""What the shipper's EPCIS data says about scans, for the rules and the scan response."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from inspect_svc.epcis.store import has_epcis
from inspect_svc.models.epcis import EpcisItem
from inspect_svc.models.triage import Scan
from rules.context import ContainerContents, EpcisScanFacts, ExpectedItem

_LISTED = 10
"""Distinct GTINs, lots and expiries listed per container (more are not needed to see a mix)."""


def _matches(gtin: str | None, serial: str | None, sscc: str | None) -> ColumnElement[bool] | None:
    if gtin and serial:
        return and_(EpcisItem.gtin == gtin, EpcisItem.serial == serial)
    if sscc:
        return EpcisItem.sscc == sscc
    return None


def find_item(
    session: Session, shipment_id: int, gtin: str | None, serial: str | None, sscc: str | None
) -> EpcisItem | None:
    """The EPCIS item a label names in this shipment, if any."""
    match = _matches(gtin, serial, sscc)
    if match is None:
        return None
    return session.scalars(
        select(EpcisItem).where(EpcisItem.shipment_id == shipment_id, match).limit(1)
    ).first()


def container_contents(session: Session, shipment_id: int, key: str) -> ContainerContents:
    """Children and packs (directly or through its cases) of a container."""
    children = session.scalar(
        select(func.count()).where(
            EpcisItem.shipment_id == shipment_id, EpcisItem.parent_key == key
        )
    )
    child = aliased(EpcisItem)
    inner = select(child.key).where(child.shipment_id == shipment_id, child.parent_key == key)
    packs = and_(
        EpcisItem.shipment_id == shipment_id,
        EpcisItem.level == "pack",
        EpcisItem.removed.is_(False),
        or_(EpcisItem.parent_key == key, EpcisItem.parent_key.in_(inner)),
    )
    count = session.scalar(select(func.count()).where(packs)) or 0

    def distinct(column: Any) -> tuple[Any, ...]:
        rows = session.scalars(
            select(column).where(packs, column.is_not(None)).distinct().order_by(column)
            .limit(_LISTED)
        )  # fmt: skip
        return tuple(rows)

    return ContainerContents(
        children=children or 0,
        packs=count,
        pack_gtins=distinct(EpcisItem.gtin),
        pack_lots=distinct(EpcisItem.lot),
        pack_expiries=distinct(EpcisItem.expiry),
    )


def _opened_case(session: Session, shipment_id: int, scan_id: int) -> str | None:
    """The case whose label was scanned last before ``scan_id`` in this shipment.

    The shipment's earlier logistic labels (an SSCC, or a GTIN with indicator 1-8
    and a serial) are read newest first, each looked up by its indexed label, so
    the cost follows the scans since the last case label, not the expected items.
    """
    labels = session.execute(
        select(Scan.gtin, Scan.serial, Scan.sscc)
        .where(
            Scan.shipment_id == shipment_id,
            Scan.id < scan_id,
            or_(
                Scan.sscc.is_not(None),
                and_(Scan.serial.is_not(None), func.substr(Scan.gtin, 1, 1).between("1", "8")),
            ),
        )
        .order_by(Scan.id.desc())
    )
    for gtin, serial, sscc in labels:
        for match in (_matches(gtin, serial, None), _matches(None, None, sscc)):
            if match is None:
                continue
            key = session.scalar(
                select(EpcisItem.key)
                .where(EpcisItem.shipment_id == shipment_id, EpcisItem.level == "case", match)
                .limit(1)
            )
            if key is not None:
                return key
    return None


def scan_facts(
    session: Session, shipment_id: int, scans: list[Scan], *, attached: bool | None = None
) -> dict[int, EpcisScanFacts]:
    """The EPCIS facts of each scan (all ``attached=False`` when no data is attached).

    `attached`: whether EPCIS data is attached, if the caller knows (else read).
    """
    if attached is None:
        attached = has_epcis(session, shipment_id)
    if not attached:
        return {scan.id: EpcisScanFacts(attached=False) for scan in scans}
    facts: dict[int, EpcisScanFacts] = {}
    for scan in scans:
        row = find_item(session, shipment_id, scan.gtin, scan.serial, scan.sscc)
        if row is None:
            facts[scan.id] = EpcisScanFacts(attached=True)
            continue
        item = ExpectedItem(row.key, row.level, row.gtin, row.lot, row.expiry, row.parent_key)
        if row.level == "pack":
            facts[scan.id] = EpcisScanFacts(
                True, item, opened_case=_opened_case(session, shipment_id, scan.id)
            )
        else:
            contents = container_contents(session, shipment_id, row.key)
            facts[scan.id] = EpcisScanFacts(True, item, contents)
    return facts


def holds_view(session: Session, scan: Scan) -> dict[str, Any] | None:
    """For a case or pallet label: what the EPCIS data says it holds (None for anything else)."""
    if not (scan.sscc or (scan.gtin and scan.serial and "1" <= scan.gtin[0] <= "8")):
        return None
    row = find_item(session, scan.shipment_id, scan.gtin, scan.serial, scan.sscc)
    if row is None or row.level == "pack":
        return {"known": False} if has_epcis(session, scan.shipment_id) else None
    contents = container_contents(session, scan.shipment_id, row.key)
    return {
        "known": True,
        "key": row.key,
        "level": row.level,
        "children": contents.children,
        "packs": contents.packs,
        "gtins": list(contents.pack_gtins),
        "lots": list(contents.pack_lots),
        "expiries": [e.isoformat() for e in contents.pack_expiries],
        "counted_present": True,
        "note": "the sealed contents count as present in the shipment's contents",
    }

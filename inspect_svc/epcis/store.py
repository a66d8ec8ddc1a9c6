"""Persist a folded EPCIS document as the shipment's expected items, and count them.

A second document updates the rows of the items it names (what it says wins,
what it does not say is kept) and adds the others; work is done in chunks so a
truckload costs a bounded number of statements per thousand items.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, bindparam, exists, func, insert, select, update
from sqlalchemy.orm import Session, aliased

from inspect_core.ndc import ndc10_from_gtin
from inspect_svc.epcis.hierarchy import UNSET, Hierarchy, ItemState
from inspect_svc.models.epcis import EpcisItem

CHUNK = 1000


@dataclass(frozen=True, slots=True)
class ExpectedCounts:
    units: int
    cases: int
    pallets: int

    def to_dict(self) -> dict[str, int]:
        return {"units": self.units, "cases": self.cases, "pallets": self.pallets}


def _level(state: ItemState) -> str:
    epc = state.epc
    if epc.kind == "sscc":
        return "pallet"
    return "case" if epc.gtin and "1" <= epc.gtin[0] <= "8" else "pack"


def _row(shipment_id: int, state: ItemState, now: datetime) -> dict[str, Any]:
    epc = state.epc
    return {
        "shipment_id": shipment_id,
        "key": epc.key,
        "level": _level(state),
        "gtin": epc.gtin,
        "serial": epc.serial,
        "sscc": epc.sscc,
        "ndc10": ndc10_from_gtin(epc.gtin) if epc.gtin else None,
        "lot": state.lot,
        "expiry": state.expiry,
        "parent_key": None if state.parent_key == UNSET else state.parent_key,
        "shipped": state.shipped,
        "removed": bool(state.removed),
        "updated_at": now,
    }


def _changes(state: ItemState, now: datetime) -> dict[str, Any]:
    """What a later document changes on an item it names."""
    changes: dict[str, Any] = {"updated_at": now}
    if state.lot is not None:
        changes["lot"] = state.lot
    if state.expiry is not None:
        changes["expiry"] = state.expiry
    if state.parent_key != UNSET:
        changes["parent_key"] = state.parent_key
    if state.shipped:
        changes["shipped"] = True
    if state.removed is not None:
        changes["removed"] = state.removed
    return changes


def store_hierarchy(session: Session, shipment_id: int, tree: Hierarchy) -> None:
    """Add or update the shipment's expected items from ``tree``."""
    now = datetime.now(UTC)
    if tree.emptied:
        session.execute(
            update(EpcisItem)
            .where(EpcisItem.shipment_id == shipment_id, EpcisItem.parent_key.in_(tree.emptied))
            .values(parent_key=None, updated_at=now)
        )
    keys = list(tree.items)
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        found = session.execute(
            select(EpcisItem.key, EpcisItem.id).where(
                EpcisItem.shipment_id == shipment_id, EpcisItem.key.in_(chunk)
            )
        )
        existing = {key: row_id for key, row_id in found}
        updates = [
            {"id": existing[key], **_changes(tree.items[key], now)}
            for key in chunk
            if key in existing
        ]
        inserts = [_row(shipment_id, tree.items[key], now) for key in chunk if key not in existing]
        if updates:
            session.execute(update(EpcisItem), updates)
        if inserts:
            session.execute(insert(EpcisItem), inserts)
    _settle_sscc_levels(session, shipment_id)


def _settle_sscc_levels(session: Session, shipment_id: int) -> None:
    """An SSCC holding packs is a (shipper) case; one holding cases or nothing is a pallet."""
    child = aliased(EpcisItem)
    holds_packs = exists().where(
        child.shipment_id == shipment_id,
        child.parent_key == EpcisItem.key,
        child.level == "pack",
    )
    ssccs = and_(EpcisItem.shipment_id == shipment_id, EpcisItem.sscc.is_not(None))
    session.execute(update(EpcisItem).where(ssccs, holds_packs).values(level="case"))
    session.execute(update(EpcisItem).where(ssccs, ~holds_packs).values(level="pallet"))


def expected_counts(session: Session, shipment_id: int) -> ExpectedCounts:
    rows = session.execute(
        select(EpcisItem.level, func.count())
        .where(EpcisItem.shipment_id == shipment_id, EpcisItem.removed.is_(False))
        .group_by(EpcisItem.level)
    )
    counts: dict[str, int] = {level: count for level, count in rows}
    return ExpectedCounts(counts.get("pack", 0), counts.get("case", 0), counts.get("pallet", 0))


def has_epcis(session: Session, shipment_id: int) -> bool:
    """Whether any EPCIS data is attached to the shipment."""
    return session.scalar(_ANY_ITEM, {"shipment_id": shipment_id}) is not None


# Built once: asked on every scan.
_ANY_ITEM = select(EpcisItem.id).where(EpcisItem.shipment_id == bindparam("shipment_id")).limit(1)

"""Fold EPCIS events into the expected item tree (pure: no database).

Each serialised item named by an event becomes an ``ItemState``; later events
refine earlier ones (a commissioning gives lot and expiry, an aggregation ADD
sets the parent, a DELETE clears it). An event with an ``errorDeclaration``
retracts nothing here: it is skipped, and its corrective events carry the truth.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from inspect_svc.epcis.events import DocumentError, EventRecord
from inspect_svc.epcis.identifiers import Epc, EpcError, parse_epc

UNSET = "\x00unset"
"""``parent_key`` when the document said nothing about the item's container."""


@dataclass(slots=True)
class ItemState:
    epc: Epc
    lot: str | None = None
    expiry: date | None = None
    parent_key: str | None = UNSET
    shipped: bool = False
    removed: bool | None = None


@dataclass(slots=True)
class Hierarchy:
    items: dict[str, ItemState] = field(default_factory=dict)
    emptied: set[str] = field(default_factory=set)
    """Containers an aggregation DELETE without children emptied."""
    events: int = 0

    def item(self, uri: str, record: EventRecord, field_name: str) -> ItemState:
        try:
            epc = parse_epc(uri)
        except EpcError as exc:
            raise DocumentError(
                str(exc), index=record.index, event_id=record.event_id, field_name=field_name
            ) from exc
        state = self.items.get(epc.key)
        if state is None:
            state = self.items[epc.key] = ItemState(epc)
        return state


def _expiry(record: EventRecord) -> date | None:
    if record.expiry is None:
        return None
    try:
        return date.fromisoformat(record.expiry[:10])
    except ValueError as exc:
        raise DocumentError(
            f"itemExpirationDate {record.expiry!r} is no date (YYYY-MM-DD)",
            index=record.index, event_id=record.event_id, field_name="ilmd",
        ) from exc  # fmt: skip


def _lot(record: EventRecord) -> str | None:
    if record.lot is not None and not 1 <= len(record.lot) <= 20:
        raise DocumentError(
            "lotNumber must be 1 to 20 characters",
            index=record.index, event_id=record.event_id, field_name="ilmd",
        )  # fmt: skip
    return record.lot


def fold(records: Iterable[EventRecord]) -> Hierarchy:
    """The items and containers ``records`` describe, in event order."""
    tree = Hierarchy()
    for record in records:
        tree.events += 1
        if record.error_declared:
            continue
        if record.type == "ObjectEvent":
            _object_event(tree, record)
        elif record.type == "AggregationEvent":
            _aggregation_event(tree, record)
    return tree


def _object_event(tree: Hierarchy, record: EventRecord) -> None:
    lot, expiry = _lot(record), _expiry(record)
    for uri in record.epcs:
        state = tree.item(uri, record, "epcList")
        if state.epc.kind == "sgtin" and len(state.epc.serial or "") > 20:
            raise DocumentError(
                f"serial of {uri!r} is longer than 20 characters",
                index=record.index, event_id=record.event_id, field_name="epcList",
            )  # fmt: skip
        if record.action == "DELETE":
            state.removed = True
            continue
        if record.action == "ADD":
            state.removed = False
            state.lot = lot or state.lot
            state.expiry = expiry or state.expiry
        if record.shipping:
            state.shipped = True


def _aggregation_event(tree: Hierarchy, record: EventRecord) -> None:
    if record.parent is None:
        raise DocumentError(
            "an AggregationEvent needs parentID",
            index=record.index, event_id=record.event_id, field_name="parentID",
        )  # fmt: skip
    parent = tree.item(record.parent, record, "parentID")
    if record.shipping:
        parent.shipped = True
    if record.action == "DELETE" and not record.children:
        tree.emptied.add(parent.epc.key)
        for state in tree.items.values():
            if state.parent_key == parent.epc.key:
                state.parent_key = None
        return
    for uri in record.children:
        child = tree.item(uri, record, "childEPCs")
        if record.action == "DELETE":
            if child.parent_key in (parent.epc.key, UNSET):
                child.parent_key = None
        else:
            child.parent_key = parent.epc.key

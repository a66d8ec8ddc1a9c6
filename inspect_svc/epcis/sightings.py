"""When an expected item counts as seen, and which scanned packs the data does not name.

Shared by the contents comparison (counted over the whole shipment) and the
tally (rebuilt over the whole shipment once per document): one definition.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, or_
from sqlalchemy.orm import aliased
from sqlalchemy.orm.util import AliasedClass

from inspect_svc.models.epcis import EpcisItem
from inspect_svc.models.triage import Scan


def scanned(item: type[EpcisItem] | AliasedClass[EpcisItem]) -> ColumnElement[bool]:
    """The item's own label (GTIN + serial, or SSCC) was scanned in its shipment."""
    return exists().where(
        Scan.shipment_id == item.shipment_id,
        or_(
            and_(Scan.gtin == item.gtin, Scan.serial == item.serial),
            and_(item.sscc.is_not(None), Scan.sscc == item.sscc),
        ),
    )


def sealed_scanned(pack: type[EpcisItem] | AliasedClass[EpcisItem]) -> ColumnElement[bool]:
    """The pack's case, or that case's pallet, was scanned."""
    parent = aliased(EpcisItem)
    grandparent = aliased(EpcisItem)
    via_parent = exists().where(
        parent.shipment_id == pack.shipment_id, parent.key == pack.parent_key, scanned(parent)
    )
    via_grandparent = exists().where(
        parent.shipment_id == pack.shipment_id,
        parent.key == pack.parent_key,
        grandparent.shipment_id == pack.shipment_id,
        grandparent.key == parent.parent_key,
        scanned(grandparent),
    )
    return or_(via_parent, via_grandparent)


def unexpected_scans(shipment_id: int) -> ColumnElement[bool]:
    """Scans of a pack (GTIN + serial) that the shipment's EPCIS data does not name."""
    known = exists().where(
        EpcisItem.shipment_id == shipment_id,
        EpcisItem.gtin == Scan.gtin,
        EpcisItem.serial == Scan.serial,
    )
    return and_(
        Scan.shipment_id == shipment_id,
        Scan.gtin.is_not(None),
        Scan.serial.is_not(None),
        ~known,
    )

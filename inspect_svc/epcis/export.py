"""The shipper's aggregation behind an inspection, for the EPCIS export.

Only the containers the inspection touched: cases and pallets whose label was
scanned, and the containers of scanned items (the case of a pack scanned on
its own, the pallet of a scanned case), each with
its children as the shipper's data lists them. EPCs are GS1 Digital Link URIs,
which need no company-prefix length.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session, aliased

from inspect_svc.cases.exports.epc import DIGITAL_LINK_BASE, digital_link_uri
from inspect_svc.epcis.contents import scanned
from inspect_svc.models.epcis import EpcisItem

CHUNK = 500


def item_uri(gtin: str | None, serial: str | None, sscc: str | None) -> str:
    """The Digital Link URI of a serialised item or SSCC.

    >>> item_uri(None, None, "003000210000000011")
    'https://id.gs1.org/00/003000210000000011'
    """
    if sscc:
        return f"{DIGITAL_LINK_BASE}/00/{sscc}"
    return digital_link_uri(gtin or "", serial or "")


@dataclass
class InspectedContainer:
    uri: str
    level: str
    children: list[str] = field(default_factory=list)


def inspected_aggregation(
    session: Session, shipment_ids: Sequence[int]
) -> dict[int, list[InspectedContainer]]:
    """Per shipment, the containers the inspection touched, with their children."""
    if not shipment_ids:
        return {}
    pack = aliased(EpcisItem)
    touched = and_(
        EpcisItem.shipment_id.in_(shipment_ids),
        EpcisItem.level.in_(("case", "pallet")),
        or_(
            scanned(EpcisItem),
            exists().where(
                pack.shipment_id == EpcisItem.shipment_id,
                pack.parent_key == EpcisItem.key,
                scanned(pack),
            ),
        ),
    )
    containers = session.execute(
        select(
            EpcisItem.shipment_id,
            EpcisItem.key,
            EpcisItem.level,
            EpcisItem.gtin,
            EpcisItem.serial,
            EpcisItem.sscc,
        )
        .where(touched)
        .order_by(EpcisItem.shipment_id, EpcisItem.key)
    ).all()
    found: dict[tuple[int, str], InspectedContainer] = {}
    result: defaultdict[int, list[InspectedContainer]] = defaultdict(list)
    for shipment_id, key, level, gtin, serial, sscc in containers:
        container = InspectedContainer(item_uri(gtin, serial, sscc), level)
        found[(shipment_id, key)] = container
        result[shipment_id].append(container)
    if not found:
        return {}
    keys = sorted({key for _, key in found})
    for offset in range(0, len(keys), CHUNK):
        rows = session.execute(
            select(
                EpcisItem.shipment_id,
                EpcisItem.parent_key,
                EpcisItem.gtin,
                EpcisItem.serial,
                EpcisItem.sscc,
            )
            .where(
                EpcisItem.shipment_id.in_(shipment_ids),
                EpcisItem.parent_key.in_(keys[offset : offset + CHUNK]),
                EpcisItem.removed.is_(False),
            )
            .order_by(EpcisItem.key)
        )
        for shipment_id, parent_key, gtin, serial, sscc in rows:
            holder = found.get((shipment_id, parent_key or ""))
            if holder is not None:
                holder.children.append(item_uri(gtin, serial, sscc))
    return dict(result)

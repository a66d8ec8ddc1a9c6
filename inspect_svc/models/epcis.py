"""The contents a shipper's EPCIS data says a shipment holds: one row per serialised item.

``key`` is the item's GS1 key in HRI form (``(01)…(21)…`` or ``(00)…``), so a
second document about the same item updates its row. ``parent_key`` is the
container the item was last aggregated into; ``level`` is pack, case or pallet.

``EpcisTally`` keeps, per shipment, the counts rule R18c reads, so that an
assessment does not count a truckload's packs on every scan (docs/epcis.md).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from inspect_svc.models.base import Base, UtcDateTime, utcnow


class EpcisItem(Base):
    __tablename__ = "epcis_item"
    __table_args__ = (
        UniqueConstraint("shipment_id", "key"),
        CheckConstraint("level IN ('pack', 'case', 'pallet')", name="level"),
        Index("ix_epcis_item_shipment_parent", "shipment_id", "parent_key"),
        Index("ix_epcis_item_shipment_gtin_serial", "shipment_id", "gtin", "serial"),
        Index("ix_epcis_item_shipment_sscc", "shipment_id", "sscc"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipment.id"))
    key: Mapped[str] = mapped_column(String(64))
    level: Mapped[str] = mapped_column(String(6))
    gtin: Mapped[str | None] = mapped_column(String(14))
    serial: Mapped[str | None] = mapped_column(String(20))
    sscc: Mapped[str | None] = mapped_column(String(18))
    ndc10: Mapped[str | None] = mapped_column(String(10))
    lot: Mapped[str | None] = mapped_column(String(20))
    expiry: Mapped[date | None] = mapped_column(Date)
    parent_key: Mapped[str | None] = mapped_column(String(64))
    shipped: Mapped[bool] = mapped_column(Boolean, default=False)
    # Decommissioned (an ObjectEvent DELETE): no longer expected.
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    # A pack a scan has accounted for: its own label, or its sealed case's or pallet's.
    accounted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class EpcisTally(Base):
    """A shipment's EPCIS counts, rebuilt when a document is attached and then kept by scans.

    ``scans_through`` is the id of the last scan counted: scans recorded since
    are counted when the counts are next read (they are recorded under the
    shipment's row lock, so their ids only grow).
    """

    __tablename__ = "epcis_tally"

    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipment.id"), primary_key=True)
    expected_packs: Mapped[int] = mapped_column(Integer)  # not removed
    accounted_packs: Mapped[int] = mapped_column(Integer)  # expected, and accounted for
    unexpected_packs: Mapped[int] = mapped_column(Integer)  # distinct scanned packs not named
    scans_through: Mapped[int] = mapped_column(Integer)

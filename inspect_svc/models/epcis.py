"""The contents a shipper's EPCIS data says a shipment holds: one row per serialised item.

``key`` is the item's GS1 key in HRI form (``(01)…(21)…`` or ``(00)…``), so a
second document about the same item updates its row. ``parent_key`` is the
container the item was last aggregated into; ``level`` is pack, case or pallet.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
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
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

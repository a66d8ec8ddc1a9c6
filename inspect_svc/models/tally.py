"""Counts kept as scans are stored, so that a scan's cost does not grow with the data.

A shipment's tally: its scans counted per GTIN (or NDC) and lot, and its serial runs.

Kept up to date in each scan's transaction (`inspect_svc.triage.tally`) so
that shipment rules read a few rows instead of every scan (docs/rules.md,
"Shipment tallies").
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Date, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from inspect_svc.models.base import Base


class ShipmentLot(Base):
    """The scans of one GTIN (or bare NDC) and lot in a shipment, and its longest serial run."""

    __tablename__ = "shipment_lot"
    __table_args__ = (UniqueConstraint("shipment_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipment.id"))
    key: Mapped[str] = mapped_column(String(48))  # rules.tally.lot_key
    gtin: Mapped[str | None] = mapped_column(String(14))
    ndc10: Mapped[str | None] = mapped_column(String(10))
    lot: Mapped[str | None] = mapped_column(String(20))
    scans: Mapped[int] = mapped_column(Integer)
    packs: Mapped[int] = mapped_column(Integer)
    unserialised: Mapped[int] = mapped_column(Integer)
    first_scan_id: Mapped[int] = mapped_column(Integer)
    last_scan_id: Mapped[int] = mapped_column(Integer)
    run_prefix: Mapped[str | None] = mapped_column(String(20))
    run_width: Mapped[int | None] = mapped_column(Integer)
    run_first: Mapped[int | None] = mapped_column(BigInteger)
    run_last: Mapped[int | None] = mapped_column(BigInteger)


class ShipmentSerialRun(Base):
    """A gap-free run of serial counters within one lot tally (`rules.tally.SerialRun`)."""

    __tablename__ = "shipment_serial_run"
    __table_args__ = (
        Index("ix_shipment_serial_run_first", "lot_id", "prefix", "width", "first"),
        Index("ix_shipment_serial_run_last", "lot_id", "prefix", "width", "last"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("shipment_lot.id"))
    prefix: Mapped[str] = mapped_column(String(20))
    width: Mapped[int] = mapped_column(Integer)
    first: Mapped[int] = mapped_column(BigInteger)
    last: Mapped[int] = mapped_column(BigInteger)


class ShipmentRuleWeight(Base):
    """Per shipment, rule and severity, the heaviest weight a scan's finding reached.

    All the shipment score needs of the unit findings (each rule counts once,
    at its highest weight), kept as scans are stored.
    """

    __tablename__ = "shipment_rule_weight"
    __table_args__ = (UniqueConstraint("shipment_id", "rule", "severity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipment.id"))
    rule: Mapped[str] = mapped_column(String(16))
    severity: Mapped[str] = mapped_column(String(8))
    weight: Mapped[float] = mapped_column(Float)


class LotExpiry(Base):
    """Each expiry date seen for a GTIN and lot, in any shipment, and the first scan showing it."""

    __tablename__ = "lot_expiry"
    __table_args__ = (UniqueConstraint("gtin", "lot", "expiry"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    gtin: Mapped[str] = mapped_column(String(14))
    lot: Mapped[str] = mapped_column(String(20))
    expiry: Mapped[date] = mapped_column(Date)
    first_scan_id: Mapped[int] = mapped_column(Integer)

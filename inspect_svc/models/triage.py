"""Shipments under inspection, their scans, the units (GTIN + serial) ever seen, and findings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspect_svc.models.base import Base, UtcDateTime, utcnow

MODES = ("air", "ocean", "truck", "rail", "mail", "courier")
RECOMMENDATIONS = ("release", "exam", "detain")
VERDICTS = ("green", "amber", "red")
STATUSES = ("open", "released", "exam", "detained")
LINE_ENTRY_FIELDS = (
    "description",
    "fda_product_code",
    "processing_code",
    "intended_use_code",
    "hts_code",
    "value_usd",
    "production_country",
)
"""FDA line data stored as filed (affirmations are stored separately, as a list)."""


class Shipment(Base):
    __tablename__ = "shipment"
    __table_args__ = (
        CheckConstraint(
            "mode IN ('air', 'ocean', 'truck', 'rail', 'mail', 'courier')", name="mode"
        ),
        CheckConstraint("status IN ('open', 'released', 'exam', 'detained')", name="status"),
        Index("ix_shipment_status_risk", "status", "risk_score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_number: Mapped[str] = mapped_column(String(64), index=True)
    port_code: Mapped[str] = mapped_column(String(16), index=True)
    mode: Mapped[str] = mapped_column(String(8))
    origin_country: Mapped[str] = mapped_column(String(2), index=True)
    export_country: Mapped[str | None] = mapped_column(String(2))
    # {"manufacturer": {"name", "fei", "country"}, "shipper": {...}, "importer": {...}}
    parties: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12), default="open")
    risk_score: Mapped[float] = mapped_column(Float, default=0.0)
    recommendation: Mapped[str] = mapped_column(String(8), default="release")
    ruleset_version: Mapped[str | None] = mapped_column(String(64))
    # Shipment-level findings of the latest evaluation (unit findings live on scans).
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    reference_as_of: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    # Seq of the newest audit event about this shipment: the export cursor's clock.
    change_seq: Mapped[int | None] = mapped_column(Integer, index=True)
    # Selectivity (docs/selectivity.md): the lane, who put it there, and the
    # random draw made once at the first assessment (never shown to filers).
    lane: Mapped[str] = mapped_column(String(6), default="green", server_default="green")
    selected_by: Mapped[str | None] = mapped_column(String(8))
    random_draw: Mapped[float | None] = mapped_column(Float)
    random_selected: Mapped[bool | None] = mapped_column(Boolean)
    # The recommendation if the policy's shadow rules counted (None: no shadow finding).
    shadow_recommendation: Mapped[str | None] = mapped_column(String(8))
    # The current assessment (no foreign key: assessment rows point back at their shipment).
    assessment_id: Mapped[int | None] = mapped_column(Integer)
    # Why a decided shipment was reopened; cleared by the next decision.
    reopened_reason: Mapped[str | None] = mapped_column(Text)
    # Entry data as filed (docs/entry-data.md); all optional, kept verbatim.
    entry_type: Mapped[str | None] = mapped_column(String(8))
    transport_document: Mapped[str | None] = mapped_column(String(64))
    related_entries: Mapped[list[str]] = mapped_column(JSON, default=list)
    arrival_date: Mapped[date | None] = mapped_column(Date)
    # Normalised keys (letters and digits, upper case) that link entries of the same goods.
    entry_key: Mapped[str | None] = mapped_column(String(64), index=True)
    transport_key: Mapped[str | None] = mapped_column(String(64), index=True)

    declared_lines: Mapped[list[DeclaredLine]] = relationship(
        back_populates="shipment", order_by="DeclaredLine.line_number", cascade="all"
    )
    scans: Mapped[list[Scan]] = relationship(
        back_populates="shipment", order_by="Scan.id", cascade="all"
    )
    related_entry_links: Mapped[list[RelatedEntry]] = relationship(cascade="all")


class RelatedEntry(Base):
    """An earlier entry a shipment names as the same goods, by normalised entry key (indexed)."""

    __tablename__ = "related_entry"
    __table_args__ = (UniqueConstraint("shipment_id", "entry_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipment.id"), index=True)
    entry_key: Mapped[str] = mapped_column(String(64), index=True)


class DeclaredLine(Base):
    """A line of the entry as declared by the filer."""

    __tablename__ = "declared_line"
    __table_args__ = (UniqueConstraint("shipment_id", "line_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipment.id"), index=True)
    line_number: Mapped[int] = mapped_column(Integer)
    ndc: Mapped[str | None] = mapped_column(String(20))
    ndc10: Mapped[str | None] = mapped_column(String(10), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str | None] = mapped_column(String(20))
    lots: Mapped[list[str]] = mapped_column(JSON, default=list)
    # FDA line data as filed (docs/entry-data.md); all optional, kept verbatim.
    description: Mapped[str | None] = mapped_column(Text)
    fda_product_code: Mapped[str | None] = mapped_column(String(16))
    processing_code: Mapped[str | None] = mapped_column(String(8))
    intended_use_code: Mapped[str | None] = mapped_column(String(16))
    affirmations: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    hts_code: Mapped[str | None] = mapped_column(String(16))
    value_usd: Mapped[float | None] = mapped_column(Float)
    production_country: Mapped[str | None] = mapped_column(String(2))

    shipment: Mapped[Shipment] = relationship(back_populates="declared_lines")


class Scan(Base):
    """One barcode read as received, with its interpretation and triage result.

    `idempotency_key` is unique: a retried request finds the stored scan
    instead of storing a second one.
    """

    __tablename__ = "scan"
    __table_args__ = (
        CheckConstraint("verdict IN ('green', 'amber', 'red')", name="verdict"),
        Index("ix_scan_gtin_serial", "gtin", "serial"),
        Index("ix_scan_gtin_lot", "gtin", "lot"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipment.id"), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    request_digest: Mapped[str] = mapped_column(String(64))
    raw: Mapped[str] = mapped_column(Text)
    device_id: Mapped[str | None] = mapped_column(String(128))
    device_seq: Mapped[int | None] = mapped_column(Integer)
    # What the scanner noticed while reading (e.g. "partial_disconnect"), as the agent sent it.
    device_flags: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    scanned_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    interpretation: Mapped[dict[str, Any]] = mapped_column(JSON)
    gtin: Mapped[str | None] = mapped_column(String(14))
    serial: Mapped[str | None] = mapped_column(String(20))
    lot: Mapped[str | None] = mapped_column(String(20))
    expiry: Mapped[date | None] = mapped_column(Date)
    ndc10: Mapped[str | None] = mapped_column(String(10))
    ndc: Mapped[str | None] = mapped_column(String(14))
    # A logistic label's SSCC (AI 00): which pallet or case was scanned whole.
    sscc: Mapped[str | None] = mapped_column(String(18), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    duplicate: Mapped[bool] = mapped_column(Boolean, default=False)
    verdict: Mapped[str] = mapped_column(String(5), default="green")
    score: Mapped[float] = mapped_column(Float, default=0.0)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    ruleset_version: Mapped[str] = mapped_column(String(64))
    reference_as_of: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    shipment: Mapped[Shipment] = relationship(back_populates="scans")


class Unit(Base):
    """A physical pack as identified by (GTIN, serial), first seen once.

    Created with an insert the database arbitrates (ON CONFLICT DO NOTHING),
    so concurrent scans of one serial yield exactly one first sighting.
    """

    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("gtin", "serial"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    gtin: Mapped[str] = mapped_column(String(14))
    serial: Mapped[str] = mapped_column(String(20))
    first_scan_id: Mapped[int] = mapped_column(Integer)
    first_shipment_id: Mapped[int] = mapped_column(ForeignKey("shipment.id"), index=True)
    first_lot: Mapped[str | None] = mapped_column(String(20))
    first_expiry: Mapped[date | None] = mapped_column(Date)
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Finding(Base):
    """Queryable copy of each finding, for queues and dashboards ("which rule fired where")."""

    __tablename__ = "finding"
    __table_args__ = (
        Index("ix_finding_rule_shipment", "rule", "shipment_id"),
        # The shipment's own findings (scan_id NULL) are replaced at each assessment.
        Index("ix_finding_shipment_scan", "shipment_id", "scan_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipment.id"), index=True)
    scan_id: Mapped[int | None] = mapped_column(ForeignKey("scan.id"), index=True)
    rule: Mapped[str] = mapped_column(String(16))
    severity: Mapped[str] = mapped_column(String(8))
    weight: Mapped[float] = mapped_column(Float)
    message: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Assessment(Base):
    """One run of the shipment rules: what the shipment looked like to whoever decided on it.

    Rows are only ever added (at creation and after each scan batch); the
    shipment points at its current one, and a decision names the one it was
    made on.
    """

    __tablename__ = "assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipment.id"), index=True)
    # What caused it: "created" (the shipment was created), "scan" (a scan batch),
    # "epcis" (the shipper's EPCIS data was attached).
    cause: Mapped[str] = mapped_column(String(16))
    risk_score: Mapped[float] = mapped_column(Float)
    recommendation: Mapped[str] = mapped_column(String(8))
    # Shipment-level findings, and per rule the strongest unit finding the score counted.
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    unit_findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    scan_count: Mapped[int] = mapped_column(Integer, default=0)
    ruleset_version: Mapped[str | None] = mapped_column(String(64))
    reference_as_of: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

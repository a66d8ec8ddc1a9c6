"""Reference data: NDC Directory, openFDA recalls, import-alert firm lists.

Every loaded file set becomes a `ReferenceSnapshot`. Rows of a dataset carry
their snapshot id, and `ReferenceDataset.current_snapshot_id` says which
snapshot readers see. A re-load inserts a new snapshot, moves the pointer and
deletes the old rows in one transaction, so a reader never sees a mix.
Snapshot rows themselves are kept as the load history.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.expression import false

from inspect_svc.models.base import Base, UtcDateTime, utcnow


class ReferenceSnapshot(Base):
    """One load of one dataset: when it was taken, when loaded, from which files."""

    __tablename__ = "reference_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset: Mapped[str] = mapped_column(String(32), index=True)
    as_of: Mapped[date] = mapped_column(Date)
    loaded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # [{"name": ..., "sha256": ..., "bytes": ..., "variant": ...}, ...]
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    rows_loaded: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)


class ReferenceDataset(Base):
    """The snapshot currently served for a dataset name."""

    __tablename__ = "reference_dataset"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    current_snapshot_id: Mapped[int] = mapped_column(ForeignKey("reference_snapshot.id"))


class NdcProduct(Base):
    """A row of product.txt (or its unfinished/excluded variant)."""

    __tablename__ = "ndc_product"
    __table_args__ = (UniqueConstraint("snapshot_id", "variant", "product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("reference_snapshot.id"))
    variant: Mapped[str] = mapped_column(String(12))
    product_id: Mapped[str] = mapped_column(String(80))
    product_ndc: Mapped[str] = mapped_column(String(12))
    product_type: Mapped[str | None] = mapped_column(String(80))
    proprietary_name: Mapped[str | None] = mapped_column(Text)
    proprietary_name_suffix: Mapped[str | None] = mapped_column(Text)
    nonproprietary_name: Mapped[str | None] = mapped_column(Text)
    dosage_form: Mapped[str | None] = mapped_column(Text)
    route: Mapped[str | None] = mapped_column(Text)
    marketing_start: Mapped[date | None] = mapped_column(Date)
    marketing_end: Mapped[date | None] = mapped_column(Date)
    marketing_category: Mapped[str | None] = mapped_column(String(80))
    application_number: Mapped[str | None] = mapped_column(String(40))
    labeler_name: Mapped[str | None] = mapped_column(Text)
    substance_name: Mapped[str | None] = mapped_column(Text)
    active_strength: Mapped[str | None] = mapped_column(Text)
    active_unit: Mapped[str | None] = mapped_column(Text)
    pharm_classes: Mapped[str | None] = mapped_column(Text)
    dea_schedule: Mapped[str | None] = mapped_column(String(8))
    exclude_flag: Mapped[str | None] = mapped_column(String(1))
    listing_certified_through: Mapped[date | None] = mapped_column(Date)


class NdcPackage(Base):
    """A row of package.txt with the NDC in every form the look-ups need."""

    __tablename__ = "ndc_package"
    __table_args__ = (
        ForeignKeyConstraint(
            ["snapshot_id", "variant", "product_id"],
            ["ndc_product.snapshot_id", "ndc_product.variant", "ndc_product.product_id"],
        ),
        Index("ix_ndc_package_ndc10", "ndc10", "snapshot_id"),
        Index("ix_ndc_package_snapshot_id", "snapshot_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("reference_snapshot.id"))
    variant: Mapped[str] = mapped_column(String(12))
    product_id: Mapped[str] = mapped_column(String(80))
    ndc: Mapped[str] = mapped_column(String(12))
    labeler: Mapped[str] = mapped_column(String(5))
    product_code: Mapped[str] = mapped_column(String(4))
    package_code: Mapped[str] = mapped_column(String(2))
    layout: Mapped[str] = mapped_column(String(5))
    ndc10: Mapped[str] = mapped_column(String(10))
    ndc11: Mapped[str] = mapped_column(String(11))
    gtin14: Mapped[str] = mapped_column(String(14))
    description: Mapped[str | None] = mapped_column(Text)
    marketing_start: Mapped[date | None] = mapped_column(Date)
    marketing_end: Mapped[date | None] = mapped_column(Date)
    sample: Mapped[bool | None] = mapped_column(Boolean)
    exclude_flag: Mapped[str | None] = mapped_column(String(1))


class Recall(Base):
    """An openFDA drug enforcement report, with lots parsed out of `code_info`."""

    __tablename__ = "recall"
    __table_args__ = (Index("ix_recall_snapshot_id", "snapshot_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("reference_snapshot.id"))
    recall_number: Mapped[str] = mapped_column(String(32), index=True)
    event_id: Mapped[str | None] = mapped_column(String(16))
    classification: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str | None] = mapped_column(String(16))
    report_date: Mapped[date | None] = mapped_column(Date)
    initiation_date: Mapped[date | None] = mapped_column(Date)
    termination_date: Mapped[date | None] = mapped_column(Date)
    recalling_firm: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(80))
    reason: Mapped[str | None] = mapped_column(Text)
    product_description: Mapped[str | None] = mapped_column(Text)
    code_info: Mapped[str | None] = mapped_column(Text)
    more_code_info: Mapped[str | None] = mapped_column(Text)
    all_lots: Mapped[bool] = mapped_column(Boolean, default=False)
    # "high", "medium", "low" or "none": how sure the lot extraction is.
    lot_confidence: Mapped[str] = mapped_column(String(8))
    distribution_pattern: Mapped[str | None] = mapped_column(Text)
    # Bounds of an "all lots" statement, read from the text at load time (recall_scope.py):
    # the period the product was made or distributed in, the expiries it names.
    within_expiry: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    distributed_from: Mapped[date | None] = mapped_column(Date)
    distributed_until: Mapped[date | None] = mapped_column(Date)
    expiry_from: Mapped[date | None] = mapped_column(Date)
    expiry_until: Mapped[date | None] = mapped_column(Date)
    # "us", "non_us" or "unknown": where the recalled product went.
    distribution_scope: Mapped[str] = mapped_column(
        String(8), default="unknown", server_default="unknown"
    )
    # ISO alpha-2 codes of the countries outside the US the text names, comma-separated.
    distribution_countries: Mapped[str | None] = mapped_column(String(120))


class RecallNdc(Base):
    """An NDC a recall names: from its product description, or openFDA's hint."""

    __tablename__ = "recall_ndc"
    __table_args__ = (Index("ix_recall_ndc_ndc10", "ndc10", "snapshot_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("reference_snapshot.id"))
    recall_id: Mapped[int] = mapped_column(ForeignKey("recall.id"), index=True)
    ndc10: Mapped[str] = mapped_column(String(10))
    ndc: Mapped[str | None] = mapped_column(String(13))
    # "description" (written in the recall text) or "openfda" (harmonised hint).
    source: Mapped[str] = mapped_column(String(12))


class RecallLot(Base):
    """A lot (or the first lot of a range) a recall's code text names."""

    __tablename__ = "recall_lot"
    __table_args__ = (Index("ix_recall_lot_lot_key", "lot_key", "snapshot_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("reference_snapshot.id"))
    recall_id: Mapped[int] = mapped_column(ForeignKey("recall.id"), index=True)
    lot: Mapped[str] = mapped_column(String(80))
    # Upper case, letters and digits only: what a scanned lot is compared with.
    lot_key: Mapped[str] = mapped_column(String(80))
    # Set when the text gave a range "lot through range_last".
    range_last: Mapped[str | None] = mapped_column(String(80))


class ImportAlertFirm(Base):
    """A firm on an FDA import alert's red, yellow or green list."""

    __tablename__ = "import_alert_firm"
    __table_args__ = (
        Index("ix_import_alert_firm_fei", "fei", "snapshot_id"),
        Index("ix_import_alert_firm_name_key", "name_key", "snapshot_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("reference_snapshot.id"))
    alert_number: Mapped[str] = mapped_column(String(16))
    list_color: Mapped[str] = mapped_column(String(8))
    firm_name: Mapped[str] = mapped_column(Text)
    name_key: Mapped[str] = mapped_column(String(200))
    fei: Mapped[str | None] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String(2))
    city: Mapped[str | None] = mapped_column(String(120))
    product_scope: Mapped[str | None] = mapped_column(Text)
    listed_on: Mapped[date | None] = mapped_column(Date)


class Establishment(Base):
    """A drug establishment in FDA's current registration file (DECRS, `drls_reg.txt`)."""

    __tablename__ = "establishment"
    __table_args__ = (
        Index("ix_establishment_fei", "fei", "snapshot_id"),
        Index("ix_establishment_duns", "duns", "snapshot_id"),
        Index("ix_establishment_name_key", "name_key", "snapshot_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("reference_snapshot.id"))
    fei: Mapped[str | None] = mapped_column(String(10))
    duns: Mapped[str | None] = mapped_column(String(9))
    firm_name: Mapped[str] = mapped_column(Text)
    name_key: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(Text)
    # ISO alpha-2, from the "(ISO3)" FDA writes at the end of the address.
    country: Mapped[str | None] = mapped_column(String(2))
    expiration_date: Mapped[date | None] = mapped_column(Date)
    # Semicolon-separated business operations as FDA writes them ("MANUFACTURE; ANALYSIS").
    operations: Mapped[str | None] = mapped_column(Text)
    registrant_name: Mapped[str | None] = mapped_column(Text)
    registrant_duns: Mapped[str | None] = mapped_column(String(9))
    excluded: Mapped[bool] = mapped_column(Boolean, default=False)


class RefusalCharge(Base):
    """A row of FDA's `ACT_SECTION_CHARGES` table: what a refusal charge id means."""

    __tablename__ = "refusal_charge"
    __table_args__ = (UniqueConstraint("snapshot_id", "asc_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("reference_snapshot.id"))
    asc_id: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(40))
    statement: Mapped[str | None] = mapped_column(Text)
    section: Mapped[str | None] = mapped_column(Text)


class ImportRefusal(Base):
    """One refused entry line from FDA's Import Refusal data, with its charge codes."""

    __tablename__ = "import_refusal"
    __table_args__ = (
        Index("ix_import_refusal_fei", "fei", "snapshot_id"),
        Index("ix_import_refusal_name_key", "name_key", "snapshot_id"),
        Index("ix_import_refusal_country", "country", "snapshot_id"),
        Index("ix_import_refusal_product_code", "product_code", "snapshot_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("reference_snapshot.id"))
    fei: Mapped[str | None] = mapped_column(String(10))
    firm_name: Mapped[str] = mapped_column(Text)
    name_key: Mapped[str] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[str | None] = mapped_column(String(2))
    product_code: Mapped[str | None] = mapped_column(String(7))
    product_description: Mapped[str | None] = mapped_column(Text)
    refusal_date: Mapped[date] = mapped_column(Date)
    district: Mapped[str | None] = mapped_column(String(16))
    entry_number: Mapped[str | None] = mapped_column(String(32))
    line_number: Mapped[str | None] = mapped_column(String(16))
    # Charge codes (CHRG_CODE) in the order FDA lists them, e.g. ["NOT LISTED", "UNAPPROVED"].
    charges: Mapped[list[str]] = mapped_column(JSON)


class ReferenceDownload(Base):
    """What `inspect-svc reference update` last fetched for a dataset (for conditional GET)."""

    __tablename__ = "reference_download"

    dataset: Mapped[str] = mapped_column(String(32), primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    etag: Mapped[str | None] = mapped_column(String(200))
    last_modified: Mapped[str | None] = mapped_column(String(64))
    sha256: Mapped[str | None] = mapped_column(String(64))
    bytes: Mapped[int | None] = mapped_column(Integer)
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

"""The immutable facts a rule may look at. Built by the triage service; rules do no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from inspect_svc.interpret import Interpretation


@dataclass(frozen=True)
class DatasetStatus:
    """A reference dataset as the rules see it: loaded or not, and how old."""

    name: str
    loaded: bool
    as_of: date | None = None
    age_days: int | None = None
    max_age_days: int | None = None

    @property
    def stale(self) -> bool:
        return (
            self.age_days is not None
            and self.max_age_days is not None
            and self.age_days > self.max_age_days
        )


@dataclass(frozen=True)
class ProductFacts:
    """The NDC Directory package (and its product) a scanned GTIN resolved to."""

    ndc: str
    ndc10: str
    variant: str  # "finished", "unfinished" or "excluded"
    product_type: str | None = None
    proprietary_name: str | None = None
    nonproprietary_name: str | None = None
    labeler_name: str | None = None
    dosage_form: str | None = None
    marketing_category: str | None = None
    marketing_start: date | None = None
    marketing_end: date | None = None
    dea_schedule: str | None = None
    sample_package: bool = False
    exclude_flag: str | None = None
    pharm_classes: str | None = None
    substances: str | None = None
    package_description: str | None = None
    application_number: str | None = None  # APPLICATIONNUMBER, e.g. "NDA020702", "ANDA076543"

    @property
    def is_rx(self) -> bool:
        return (self.product_type or "").upper() == "HUMAN PRESCRIPTION DRUG"


@dataclass(frozen=True)
class RecallHit:
    recall_number: str
    classification: str  # "Class I", "Class II", "Class III"
    status: str
    firm: str | None
    reason: str | None
    lot_matched: str | None  # the recalled lot equal to the scanned one, if any
    all_lots: bool
    confidence: float


@dataclass(frozen=True)
class PriorSighting:
    """The same (GTIN, serial) seen in another scan."""

    scan_id: int
    shipment_id: int
    entry_number: str | None
    lot: str | None
    expiry: date | None
    # The other shipment is the same goods under a linked entry (related entry
    # number or the same transport document): a re-sighting, not a clone.
    linked: bool = False


@dataclass(frozen=True)
class ImportAlertHit:
    alert_number: str
    list_color: str  # "red", "yellow", "green"
    party_role: str  # "manufacturer", "shipper", "importer"
    firm_name: str
    matched_on: str  # "fei" or "name"
    fei: str | None = None
    product_scope: str | None = None


@dataclass(frozen=True)
class Affirmation:
    """An affirmation of compliance as filed on an entry line (e.g. DA 020702)."""

    code: str
    qualifier: str | None


@dataclass(frozen=True)
class DeclaredLineFacts:
    line_number: int
    ndc: str | None  # absent on a line that declares a non-drug product code
    ndc10: str | None  # from the NDC, else from a 10-digit DLS affirmation
    quantity: int
    unit: str | None
    lots: tuple[str, ...] = ()
    description: str | None = None
    fda_product_code: str | None = None
    processing_code: str | None = None
    intended_use_code: str | None = None
    affirmations: tuple[Affirmation, ...] = ()
    hts_code: str | None = None
    value_usd: float | None = None
    production_country: str | None = None

    def affirmed(self, code: str) -> tuple[Affirmation, ...]:
        """The line's affirmations with this code."""
        return tuple(a for a in self.affirmations if a.code.strip().upper() == code)


@dataclass(frozen=True)
class ShipmentFacts:
    id: int
    entry_number: str
    port_code: str
    mode: str
    origin_country: str
    export_country: str | None
    parties: Mapping[str, Mapping[str, Any]]
    declared_lines: tuple[DeclaredLineFacts, ...]
    entry_type: str | None = None
    transport_document: str | None = None
    related_entries: tuple[str, ...] = ()
    arrival_date: date | None = None
    # What makes foreign-market labelling lawful on this entry, in words
    # (e.g. "IND 123456 on line 2"); empty when nothing does.
    lawful_foreign_basis: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScanContext:
    """Everything a unit rule may know about one scan."""

    interpretation: Interpretation
    shipment: ShipmentFacts
    inspection_date: date
    policy: Any  # rules.policy.RulePolicy (Any here to keep this module import-light)
    datasets: Mapping[str, DatasetStatus]
    product: ProductFacts | None = None
    other_products: tuple[ProductFacts, ...] = ()  # further directory matches, if ambiguous
    recalls: tuple[RecallHit, ...] = ()
    prior_sightings: tuple[PriorSighting, ...] = ()  # same GTIN+serial, other shipments
    # Same GTIN+serial scanned earlier in this shipment (a re-scan, or a second pack).
    shipment_sightings: tuple[PriorSighting, ...] = ()
    lot_expiries: tuple[date, ...] = ()  # other expiries seen for this GTIN+lot


@dataclass(frozen=True)
class ScanSummary:
    """A stored scan as shipment rules see it.

    The interpretation carries the identifier fields (GTIN, NDC, serial, lot,
    expiry); shipment rules do not look at a scan's syntax.
    """

    scan_id: int
    interpretation: Interpretation
    product: ProductFacts | None


@dataclass(frozen=True)
class ShipmentContext:
    """Everything a shipment rule may know: all scans and the declaration."""

    shipment: ShipmentFacts
    scans: tuple[ScanSummary, ...]
    inspection_date: date
    policy: Any
    datasets: Mapping[str, DatasetStatus]
    import_alert_hits: tuple[ImportAlertHit, ...] = ()
    # Directory entries of the NDCs the lines declare (NDC or DLS), by 10 digits.
    declared_products: Mapping[str, ProductFacts] = field(default_factory=dict)

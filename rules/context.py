"""The immutable facts a rule may look at. Built by the triage service; rules do no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from inspect_core.interpret import Interpretation

if TYPE_CHECKING:
    from rules.policy import RulePolicy
    from rules.tally import ShipmentTally


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
    route: str | None = None  # NDC Directory ROUTENAME, several joined by "; "
    application_number: str | None = None  # APPLICATIONNUMBER, e.g. "NDA020702", "ANDA076543"

    @property
    def lawful_foreign_basis(self) -> LawfulBasis | None:
        """The directory's own reason for foreign labelling, if it gives one (shortage import)."""
        category = (self.marketing_category or "").upper()
        if category == SHORTAGE_CATEGORY:
            return LawfulBasis(
                "drug_shortage",
                f"listed in the NDC Directory as {self.marketing_category}: FDA lets this "
                "product in with its foreign labelling during the shortage",
            )
        return None


SHORTAGE_CATEGORY = "UNAPPROVED DRUG FOR USE IN DRUG SHORTAGE"
"""NDC Directory marketing category of products FDA temporarily lets in during a shortage."""


@dataclass(frozen=True)
class LawfulBasis:
    """Why a pack may lawfully carry foreign labelling, a foreign GTIN or national number.

    `kind` is "drug_shortage" (temporary importation FDA allows during a
    shortage, read from the directory) or "ind" (an investigational drug under
    an IND, read from the entry line); `reason` says so in an officer's words.
    """

    kind: str
    reason: str


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
    # Where the NDC came from: "description" (the recall's own text) or "openfda" (a hint).
    ndc_source: str = "description"
    initiation_date: date | None = None
    # Bounds of an "all lots" statement (inspect_svc/reference/recall_scope.py).
    within_expiry: bool = False
    distributed_from: date | None = None
    distributed_until: date | None = None
    expiry_from: date | None = None
    expiry_until: date | None = None
    distribution_scope: str = "unknown"  # "us", "non_us" or "unknown"
    distribution_countries: tuple[str, ...] = ()
    distribution_pattern: str | None = None


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
class ExpectedItem:
    """An item as the shipper's EPCIS data describes it (docs/epcis.md)."""

    key: str  # GS1 key in HRI form: "(01)…(21)…" or "(00)…"
    level: str  # "pack", "case" or "pallet"
    gtin: str | None = None
    lot: str | None = None
    expiry: date | None = None
    container: str | None = None  # key of the case or pallet it was packed into


@dataclass(frozen=True)
class ContainerContents:
    """What the shipper's data says a case or pallet holds."""

    children: int  # items packed directly into it
    packs: int  # packs in it, directly or in its cases
    pack_gtins: tuple[str, ...] = ()  # distinct GTINs of its packs
    pack_lots: tuple[str, ...] = ()  # distinct lots of its packs
    pack_expiries: tuple[date, ...] = ()


@dataclass(frozen=True)
class EpcisScanFacts:
    """The shipper's EPCIS data as it concerns one scan."""

    attached: bool  # the shipment has EPCIS data at all
    item: ExpectedItem | None = None  # the scanned item, when the data names it
    contents: ContainerContents | None = None  # when the scanned item is a case or pallet
    # The case opened last before this scan (the most recent case label scanned), if any.
    opened_case: str | None = None


@dataclass(frozen=True)
class EpcisShipmentFacts:
    """The shipper's EPCIS data against the shipment's scans, in counts."""

    expected_packs: int
    missing_packs: int  # neither scanned nor in a scanned case or pallet
    unexpected_packs: int  # scanned packs the data does not name


@dataclass(frozen=True)
class ScanContext:
    """Everything a unit rule may know about one scan."""

    interpretation: Interpretation
    shipment: ShipmentFacts
    inspection_date: date
    policy: RulePolicy
    datasets: Mapping[str, DatasetStatus]
    product: ProductFacts | None = None
    other_products: tuple[ProductFacts, ...] = ()  # further directory matches, if ambiguous
    recalls: tuple[RecallHit, ...] = ()
    prior_sightings: tuple[PriorSighting, ...] = ()  # same GTIN+serial, other shipments
    # Same GTIN+serial scanned earlier in this shipment (a re-scan, or a second pack).
    shipment_sightings: tuple[PriorSighting, ...] = ()
    lot_expiries: tuple[date, ...] = ()  # other expiries seen for this GTIN+lot
    # Lawful bases for foreign labelling from the entry (e.g. IND on an INV line);
    # the directory's own basis is `product.lawful_foreign_basis`.
    lawful_bases: tuple[LawfulBasis, ...] = ()
    # Other scans in this shipment with byte-identical raw text (a re-read of the same code).
    same_raw_rescans: int = 0
    # The shipper's EPCIS data about this scan (None: not looked up, e.g. on replay).
    epcis: EpcisScanFacts | None = None

    @property
    def lawful_foreign_basis(self) -> LawfulBasis | None:
        """The first lawful basis for foreign labelling: a declared shortage line, an IND on
        an investigational line (21 CFR 312.110), or the pack's own directory listing."""
        if self.lawful_bases:
            return self.lawful_bases[0]
        if self.shipment.lawful_foreign_basis:
            return LawfulBasis(
                "ind",
                f"{self.shipment.lawful_foreign_basis[0]}: an investigational drug shipped "
                "under an IND may carry its foreign labelling",
            )
        return self.product.lawful_foreign_basis if self.product else None


@dataclass(frozen=True)
class ScanSummary:
    """A stored scan, as counted into a shipment's tally (`rules.tally.tally_scans`).

    The interpretation carries the identifier fields (GTIN, NDC, serial, lot,
    expiry); shipment rules do not look at a scan's syntax.
    """

    scan_id: int
    interpretation: Interpretation
    product: ProductFacts | None


@dataclass(frozen=True)
class ShipmentContext:
    """Everything a shipment rule may know: the tally of its scans and the declaration."""

    shipment: ShipmentFacts
    tally: ShipmentTally
    inspection_date: date
    policy: RulePolicy
    datasets: Mapping[str, DatasetStatus]
    import_alert_hits: tuple[ImportAlertHit, ...] = ()
    registry: RegistryFacts = field(default_factory=lambda: RegistryFacts())
    # Directory entries of the NDCs the lines declare (NDC or DLS), by 10 digits.
    declared_products: Mapping[str, ProductFacts] = field(default_factory=dict)
    # The shipper's EPCIS data in counts (None: no data attached).
    epcis: EpcisShipmentFacts | None = None


@dataclass(frozen=True)
class EstablishmentFacts:
    """An establishment in FDA's current drug registration file."""

    fei: str | None
    duns: str | None
    firm_name: str
    country: str | None
    expiration_date: date | None
    operations: tuple[str, ...]
    excluded: bool = False
    registrant_name: str | None = None

    def current_on(self, day: date) -> bool:
        """Registered on `day`: not excluded and not past its expiration date."""
        return not self.excluded and (self.expiration_date is None or self.expiration_date >= day)


@dataclass(frozen=True)
class RefusalFacts:
    """A prior FDA import refusal matched to a party of the entry."""

    party_role: str
    matched_on: str  # "fei" or "name+country"
    firm_name: str
    fei: str | None
    country: str | None
    refusal_date: date
    charges: tuple[str, ...]
    product_code: str | None = None
    entry_number: str | None = None


@dataclass(frozen=True)
class RefusalContext:
    """Drug refusals since a date: from the origin country and per declared product code."""

    since: date
    drug_refusals: int
    country: str | None
    country_refusals: int
    product_codes: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class RegistryFacts:
    """What the registration and refusal data say about an entry's parties.

    `establishments` maps "fei:<digits>" and "duns:<digits>" to the registered
    establishments carrying that identifier (empty when none does).
    """

    establishments: Mapping[str, tuple[EstablishmentFacts, ...]] = field(default_factory=dict)
    refusals: tuple[RefusalFacts, ...] = ()
    refusal_context: RefusalContext | None = None

"""Builders for rule tests: a policy, products, scan and shipment contexts.

The policy is built directly (not from `config/rules.toml`) so that rule tests
do not depend on the policy loader; its numbers mirror the shipped policy.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from inspect_core.datasets import IMPORT_ALERTS
from inspect_core.interpret import Interpretation, InterpretOptions, interpret
from rules import (
    DatasetStatus,
    DeclaredLineFacts,
    ProductFacts,
    ScanContext,
    ScanSummary,
    Severity,
    ShipmentContext,
    ShipmentFacts,
)
from rules.exclusions import load_exclusions
from rules.freshness import RULES_NEEDING
from rules.policy import RulePolicy
from rules.tally import tally_scans

CONFIG_DIR = Path(__file__).resolve().parents[2] / "config"
SAMPLE_DIR = Path(__file__).resolve().parents[2] / "inspect_svc" / "sample_data"
RX_PRODUCT_TYPES = frozenset(
    {
        "HUMAN PRESCRIPTION DRUG",
        "VACCINE",
        "PLASMA DERIVATIVE",
        "CELLULAR THERAPY",
        "STANDARDIZED ALLERGENIC",
        "NON-STANDARDIZED ALLERGENIC",
        "LICENSED MINIMALLY MANIPULATED CELLS",
    }
)
LAWFUL_UNAPPROVED = (
    "UNAPPROVED MEDICAL GAS",
    "UNAPPROVED HOMEOPATHIC",
    "UNAPPROVED DRUG FOR USE IN DRUG SHORTAGE",
)
SHIPPED_EXCLUSIONS = load_exclusions(CONFIG_DIR / "dscsa_exclusions.toml")

TODAY = date(2025, 6, 1)
GS = "\x1d"
NO_SERIAL = "]d201003000214070181727030010LOT42"
"""A pack scan without AI 21."""
PACK = f"]d201003000214070181727030010LOT42{GS}21SN0001"
"""T1: NDC 0002-1407-01, lot LOT42, serial SN0001, expiry 2027-03-31."""

QUINIDINE = ProductFacts(
    ndc="0002-1407-01",
    ndc10="0002140701",
    variant="finished",
    product_type="HUMAN PRESCRIPTION DRUG",
    proprietary_name="Quinidine Gluconate",
    nonproprietary_name="Quinidine Gluconate",
    labeler_name="Eli Lilly and Company",
    dosage_form="INJECTION, SOLUTION",
    marketing_category="NDA",
    marketing_start=date(1950, 1, 1),
    substances="QUINIDINE GLUCONATE",
)
XARELTO = ProductFacts(
    ndc="50458-579-30",
    ndc10="5045857930",
    variant="finished",
    product_type="HUMAN PRESCRIPTION DRUG",
    proprietary_name="Xarelto",
    nonproprietary_name="rivaroxaban",
    labeler_name="Janssen Pharmaceuticals, Inc.",
    marketing_category="NDA",
    marketing_start=date(2011, 7, 1),
    substances="RIVAROXABAN",
)
ADVIL = ProductFacts(
    ndc="0573-0150-20",
    ndc10="0573015020",
    variant="finished",
    product_type="HUMAN OTC DRUG",
    proprietary_name="ADVIL",
    nonproprietary_name="IBUPROFEN",
    labeler_name="Pfizer Consumer Healthcare",
    marketing_category="NDA",
    marketing_start=date(1984, 5, 18),
)


def make_policy(**overrides: Any) -> RulePolicy:
    """A policy with the shipped numbers; test-only country tiers on user-assigned codes XA/XB."""
    values: dict[str, Any] = {
        "severity_weights": {
            Severity.INFO: 0.0,
            Severity.LOW: 10.0,
            Severity.MEDIUM: 25.0,
            Severity.HIGH: 50.0,
            Severity.CRITICAL: 100.0,
        },
        "amber_at": 25.0,
        "red_at": 50.0,
        "exam_at": 25.0,
        "detain_at": 100.0,
        "hard_detain": frozenset({"R9", "R9b", "R13", "R14"}),
        "short_dated_days": 90,
        "max_shelf_life_years": 6,
        "grandfather_before": date(2018, 11, 27),
        "quantity_tolerance_pct": 2.0,
        "country_tiers": {"US": 0, "DE": 0, "XA": 2, "XB": 3},
        "default_country_tier": 0,
        "watch_substances": ("SILDENAFIL", "TADALAFIL", "OXYCODONE"),
        "watch_pharm_classes": ("Phosphodiesterase 5 Inhibitor", "Opioid Agonist"),
        "rx_product_types": RX_PRODUCT_TYPES,
        "lawful_unapproved_categories": LAWFUL_UNAPPROVED,
        "dscsa_exclusions": SHIPPED_EXCLUSIONS,
    }
    values.update(overrides)
    return RulePolicy(**values)


def all_datasets(**statuses: DatasetStatus) -> dict[str, DatasetStatus]:
    """Every dataset the rules need, loaded and fresh, with `statuses` replacing some."""
    loaded = {
        name: DatasetStatus(name, True, as_of=TODAY, age_days=0, max_age_days=7)
        for name in (*RULES_NEEDING, IMPORT_ALERTS)
    }
    return {**loaded, **statuses}


def read(raw: str) -> Interpretation:
    """Interpret `raw` as on the test day."""
    return interpret(raw, InterpretOptions(today=TODAY))


def make_shipment(**overrides: Any) -> ShipmentFacts:
    values: dict[str, Any] = {
        "id": 1,
        "entry_number": "ABC1234567",
        "port_code": "2704",
        "mode": "air",
        "origin_country": "US",
        "export_country": None,
        "parties": {"manufacturer": {"name": "Eli Lilly and Company", "fei": "1819470"}},
        "declared_lines": (DeclaredLineFacts(1, "0002-1407-01", "0002140701", 100, "each"),),
    }
    values.update(overrides)
    return ShipmentFacts(**values)


def make_scan_context(
    raw_or_interpretation: str | Interpretation = PACK, **facts: Any
) -> ScanContext:
    """A scan context for `raw` (interpreted as on TODAY) with `facts` replacing the defaults.

    Defaults: shipment 1, inspection on TODAY, the test policy, every dataset
    loaded, product Quinidine Gluconate.
    """
    interpretation = (
        read(raw_or_interpretation)
        if isinstance(raw_or_interpretation, str)
        else raw_or_interpretation
    )
    values: dict[str, Any] = {
        "interpretation": interpretation,
        "shipment": make_shipment(),
        "inspection_date": TODAY,
        "policy": make_policy(),
        "datasets": all_datasets(),
        "product": QUINIDINE,
    }
    values.update(facts)
    return ScanContext(**values)


def make_summary(
    raw: str = PACK, product: ProductFacts | None = QUINIDINE, scan_id: int = 1
) -> ScanSummary:
    return ScanSummary(scan_id, read(raw), product)


def make_shipment_context(scans: tuple[ScanSummary, ...] = (), **overrides: Any) -> ShipmentContext:
    """A shipment context whose tally counts `scans` (see `rules.tally.tally_scans`)."""
    values: dict[str, Any] = {
        "shipment": make_shipment(),
        "tally": tally_scans(scans),
        "inspection_date": TODAY,
        "policy": make_policy(),
        "datasets": all_datasets(),
    }
    values.update(overrides)
    return ShipmentContext(**values)


def pack(
    serial: str = "SN0001", lot: str = "LOT42", expiry: str = "270300", gtin: str = "00300021407018"
) -> str:
    """A GS1 DataMatrix scan of one pack."""
    return f"]d201{gtin}17{expiry}10{lot}{GS}21{serial}"


def run(rule: Any, ctx: Any) -> list[Any]:
    """The findings of one rule function."""
    return list(rule(ctx))


def only(findings: list[Any], rule_id: str) -> Any:
    """The single finding, asserting it is of `rule_id`."""
    assert [f.rule for f in findings] == [rule_id], findings
    return findings[0]


def with_product(product: ProductFacts, **changes: Any) -> ProductFacts:
    return replace(product, **changes)


def dataset(name: str, **fields: Any) -> Mapping[str, DatasetStatus]:
    return {name: DatasetStatus(name, **fields)}


@cache
def _sample_products() -> dict[str, dict[str, str]]:
    with (SAMPLE_DIR / "product.txt").open(encoding="cp1252", newline="") as handle:
        return {row["PRODUCTNDC"]: row for row in csv.DictReader(handle, delimiter="\t")}


def sample_product(package_ndc: str, rows: Mapping[str, str] | None = None) -> ProductFacts:
    """ProductFacts for a package NDC, from the bundled FDA sample (or `rows` in FDA's layout)."""
    row = rows if rows is not None else _sample_products()[package_ndc.rsplit("-", 1)[0]]

    def text(column: str) -> str | None:
        return (row.get(column) or "").strip() or None

    return ProductFacts(
        ndc=package_ndc,
        ndc10=package_ndc.replace("-", ""),
        variant="finished",
        product_type=text("PRODUCTTYPENAME"),
        proprietary_name=text("PROPRIETARYNAME"),
        nonproprietary_name=text("NONPROPRIETARYNAME"),
        labeler_name=text("LABELERNAME"),
        dosage_form=text("DOSAGEFORMNAME"),
        marketing_category=text("MARKETINGCATEGORYNAME"),
        dea_schedule=text("DEASCHEDULE"),
        pharm_classes=text("PHARM_CLASSES"),
        substances=text("SUBSTANCENAME"),
        route=text("ROUTENAME"),
        application_number=text("APPLICATIONNUMBER"),
    )

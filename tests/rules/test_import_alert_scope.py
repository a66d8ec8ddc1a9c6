"""R14 honours a listing's product scope and prefers the FEI to the name."""

from __future__ import annotations

from datetime import date

import pytest

from rules import DeclaredLineFacts, ImportAlertHit, ProductFacts, Severity
from rules.import_alerts import firm_on_import_alert
from tests.rules.conftest import (
    QUINIDINE,
    make_shipment,
    make_shipment_context,
    make_summary,
    pack,
    run,
)

VIAGRA = ProductFacts(  # FDA NDC Directory row 0069-4200 (openFDA test data)
    ndc="0069-4200-30",
    ndc10="0069420030",
    variant="finished",
    product_type="HUMAN PRESCRIPTION DRUG",
    proprietary_name="Viagra",
    nonproprietary_name="sildenafil citrate",
    labeler_name="Pfizer Laboratories Div Pfizer Inc",
    marketing_category="NDA",
    marketing_start=date(1998, 3, 27),
    substances="SILDENAFIL CITRATE",
)


def listed(scope: str | None, matched_on: str = "fei") -> ImportAlertHit:
    return ImportAlertHit(
        "66-40", "red", "manufacturer", "Acme Pharma Ltd", matched_on, fei="3001234567",
        product_scope=scope,
    )  # fmt: skip


def severities(hit: ImportAlertHit, **context: object) -> list[Severity]:
    findings = run(firm_on_import_alert, make_shipment_context(import_alert_hits=(hit,), **context))
    return [finding.severity for finding in findings]


def test_firm_listed_for_one_substance_does_not_hit_another_product() -> None:
    quinidine = (make_summary(pack(), QUINIDINE),)
    assert severities(listed("sildenafil citrate"), scans=quinidine) == [Severity.INFO]
    viagra = (make_summary(pack(gtin="00300694200306"), VIAGRA),)
    assert severities(listed("sildenafil"), scans=viagra) == [Severity.CRITICAL]


def test_declared_products_count_before_any_scan() -> None:
    assert severities(listed("SILDENAFIL CITRATE"), declared_products={"viagra": VIAGRA}) == [
        Severity.CRITICAL
    ]
    assert severities(listed("sildenafil citrate"), declared_products={"quinidine": QUINIDINE}) == [
        Severity.INFO
    ]


@pytest.mark.parametrize(
    ("code", "expected"),
    [("62GCA01", Severity.CRITICAL), ("60LCA99", Severity.INFO), (None, Severity.HIGH)],
)
def test_product_code_scope_against_declared_lines(code: str | None, expected: Severity) -> None:
    line = DeclaredLineFacts(1, "0002-1407-01", "0002140701", 100, "each", fda_product_code=code)
    shipment = make_shipment(declared_lines=(line,))
    assert severities(listed("62GCA"), shipment=shipment) == [expected]


def test_scope_that_cannot_be_read_is_said_not_detained() -> None:
    hit = listed("Unapproved new drugs promoted to US consumers")
    findings = run(firm_on_import_alert, make_shipment_context(import_alert_hits=(hit,)))
    (finding,) = findings
    assert finding.severity is Severity.HIGH
    assert "could not be compared" in finding.message and finding.evidence["in_scope"] == "unknown"


def test_no_scope_and_all_drugs_mean_every_product() -> None:
    quinidine = (make_summary(pack(), QUINIDINE),)
    assert severities(listed(None), scans=quinidine) == [Severity.CRITICAL]
    assert severities(listed("All drugs (remark)"), scans=quinidine) == [Severity.CRITICAL]


def test_name_only_match_to_a_listing_with_an_fei_asks_for_the_fei() -> None:
    (finding,) = run(
        firm_on_import_alert,
        make_shipment_context(import_alert_hits=(listed(None, matched_on="name"),)),
    )
    assert finding.severity is Severity.CRITICAL and "ask for the FEI" in finding.message

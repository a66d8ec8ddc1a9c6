"""Product rules R7, R8, R8b, R20, R22, R23."""

from __future__ import annotations

from typing import Any

import pytest

from rules import DatasetStatus, ProductFacts, Severity
from rules.product import (
    controlled_substance,
    high_risk_product_class,
    ndc_excluded_listing,
    ndc_not_in_directory,
    sample_or_non_saleable,
    unfinished_drug_in_pack,
)
from tests.rules.conftest import (
    PACK,
    QUINIDINE,
    XARELTO,
    all_datasets,
    make_scan_context,
    pack,
    run,
    with_product,
)

XARELTO_PACK = pack(gtin="00350458579307")
INSULIN_BULK = ProductFacts(
    ndc="0002-0485-04",
    ndc10="0002048504",
    variant="unfinished",
    product_type="BULK INGREDIENT",
    nonproprietary_name="Insulin human",
    labeler_name="Eli Lilly and Company",
    marketing_category="BULK INGREDIENT",
)
NOT_LOADED = DatasetStatus("ndc", False)


@pytest.mark.parametrize(
    ("raw", "datasets", "not_checked"),
    [
        pytest.param(XARELTO_PACK, all_datasets(), [], id="all-lists-loaded"),
        pytest.param(
            XARELTO_PACK,
            {"ndc": all_datasets()["ndc"]},
            ["ndc_excluded", "ndc_unfinished"],
            id="finished-only",
        ),
    ],
)
def test_r7_fires(raw: str, datasets: dict[str, DatasetStatus], not_checked: list[str]) -> None:
    finding = run(ndc_not_in_directory, make_scan_context(raw, product=None, datasets=datasets))[0]
    assert (finding.rule, finding.severity) == ("R7", Severity.HIGH)
    assert finding.evidence["not_checked"] == not_checked
    assert "50458-579-30" in finding.evidence["candidates"]
    assert "50458-579-30" in finding.message and "GTIN 00350458579307" in finding.message


@pytest.mark.parametrize(
    ("raw", "facts"),
    [
        pytest.param(PACK, {}, id="found"),
        pytest.param(XARELTO_PACK, {"product": None, "datasets": {}}, id="directory-absent"),
        pytest.param(
            XARELTO_PACK,
            {"product": None, "datasets": all_datasets(ndc=NOT_LOADED)},
            id="directory-not-loaded",
        ),
        pytest.param(pack(gtin="04000000000005"), {"product": None}, id="no-ndc"),
    ],
)
def test_r7_silent(raw: str, facts: dict[str, Any]) -> None:
    assert run(ndc_not_in_directory, make_scan_context(raw, **facts)) == []


@pytest.mark.parametrize(
    ("flag", "severity"),
    [("E", Severity.MEDIUM), ("I", Severity.HIGH), ("Y", Severity.HIGH), (None, Severity.MEDIUM)],
)
def test_r8_grades_by_flag(flag: str | None, severity: Severity) -> None:
    product = with_product(QUINIDINE, variant="excluded", exclude_flag=flag)
    finding = run(ndc_excluded_listing, make_scan_context(PACK, product=product))[0]
    assert (finding.rule, finding.severity) == ("R8", severity)
    assert finding.evidence["exclude_flag"] == flag
    assert "0002-1407-01" in finding.message and f"flag {flag or 'none'}" in finding.message


@pytest.mark.parametrize("product", [QUINIDINE, INSULIN_BULK, None])
def test_r8_silent(product: ProductFacts | None) -> None:
    assert run(ndc_excluded_listing, make_scan_context(PACK, product=product)) == []


def test_r8b_fires_for_bulk_ingredient() -> None:
    raw = pack(gtin="00300020485040")
    finding = run(unfinished_drug_in_pack, make_scan_context(raw, product=INSULIN_BULK))[0]
    assert (finding.rule, finding.severity) == ("R8b", Severity.HIGH)
    assert finding.evidence["ndc"] == "0002-0485-04"
    assert "Insulin human" in finding.message and "BULK INGREDIENT" in finding.message


@pytest.mark.parametrize("product", [QUINIDINE, None])
def test_r8b_silent(product: ProductFacts | None) -> None:
    assert run(unfinished_drug_in_pack, make_scan_context(PACK, product=product)) == []


@pytest.mark.parametrize(
    ("schedule", "fires"), [("CIII", True), ("CII", True), (None, False), ("", False)]
)
def test_r20(schedule: str | None, fires: bool) -> None:
    product = with_product(XARELTO, dea_schedule=schedule)
    findings = run(controlled_substance, make_scan_context(XARELTO_PACK, product=product))
    assert [(f.rule, f.severity) for f in findings] == ([("R20", Severity.HIGH)] if fires else [])
    if fires:
        assert f"schedule {schedule}" in findings[0].message
        assert findings[0].evidence["dea_schedule"] == schedule


@pytest.mark.parametrize(
    ("changes", "hits"),
    [
        pytest.param({"substances": "SILDENAFIL CITRATE"}, ["SILDENAFIL"], id="substance"),
        pytest.param(
            {"pharm_classes": "Phosphodiesterase 5 Inhibitor [EPC]"},
            ["Phosphodiesterase 5 Inhibitor"],
            id="class",
        ),
        pytest.param({"nonproprietary_name": "oxycodone hydrochloride"}, ["OXYCODONE"], id="name"),
        pytest.param({"substances": "NOSILDENAFILX"}, [], id="word-boundary"),
        pytest.param({}, [], id="not-on-list"),
    ],
)
def test_r22(changes: dict[str, str], hits: list[str]) -> None:
    product = with_product(XARELTO, **changes)
    findings = run(high_risk_product_class, make_scan_context(XARELTO_PACK, product=product))
    if not hits:
        assert findings == []
        return
    finding = findings[0]
    assert (finding.rule, finding.severity) == ("R22", Severity.LOW)
    assert finding.evidence["watchlist_matches"] == hits
    assert all(hit in finding.message for hit in hits)


@pytest.mark.parametrize(
    ("changes", "quoted"),
    [
        pytest.param({"sample_package": True}, "sample package", id="sample"),
        pytest.param(
            {"marketing_category": "UNAPPROVED DRUG OTHER"},
            "UNAPPROVED DRUG OTHER",
            id="unapproved",
        ),
        pytest.param({"marketing_category": "EXPORT ONLY"}, "EXPORT ONLY", id="export-only"),
    ],
)
def test_r23_fires(changes: dict[str, Any], quoted: str) -> None:
    product = with_product(QUINIDINE, **changes)
    finding = run(sample_or_non_saleable, make_scan_context(PACK, product=product))[0]
    assert (finding.rule, finding.severity) == ("R23", Severity.MEDIUM)
    assert quoted in finding.message


@pytest.mark.parametrize("product", [QUINIDINE, None])
def test_r23_silent(product: ProductFacts | None) -> None:
    assert run(sample_or_non_saleable, make_scan_context(PACK, product=product)) == []

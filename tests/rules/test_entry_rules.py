"""Entry-data rules R30-R39 and the entry parts of R15 and R6, as tables.

Products are real rows of the bundled NDC Directory sample (application
numbers, marketing categories and DEA schedules as FDA lists them).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from inspect_core.ndc import gs1_check_digit
from inspect_svc.triage.facts import lawful_foreign_basis
from rules import Affirmation, DeclaredLineFacts, PriorSighting, ProductFacts, Severity
from rules.affirmations import (
    affirmations_missing_or_malformed,
    application_mismatch,
    drug_listing_mismatch,
)
from rules.entry_goods import controlled_substance_undeclared, foreign_pack_for_consumption
from rules.entry_number import check_entry_number, entry_number_invalid
from rules.history import resighted_in_linked_entry, serial_cloned
from rules.hts import hts_product_mismatch
from rules.identifier import non_us_pack
from rules.manifest import entry_ndc_mismatch
from rules.policy import PolicyError, parse_policy
from rules.product_code import product_code_invalid, product_code_misfits_goods
from tests.rules.conftest import (
    GS,
    make_scan_context,
    make_shipment,
    make_shipment_context,
    make_summary,
    run,
)

ZOLOFT = ProductFacts(
    ndc="0049-4960-50",
    ndc10="0049496050",
    variant="finished",
    product_type="HUMAN PRESCRIPTION DRUG",
    proprietary_name="Zoloft",
    labeler_name="Roerig",
    dosage_form="TABLET, FILM COATED",
    marketing_category="NDA",
    application_number="NDA019839",
)
SERTRALINE_MYLAN = ProductFacts(
    ndc="0378-4187-05",
    ndc10="0378418705",
    variant="finished",
    product_type="HUMAN PRESCRIPTION DRUG",
    proprietary_name="Sertraline Hydrochloride",
    labeler_name="Mylan Pharmaceuticals Inc.",
    marketing_category="ANDA",
    application_number="ANDA076671",
)
PREVIDENT = ProductFacts(
    ndc="0126-0022-92",
    ndc10="0126002292",
    variant="finished",
    product_type="HUMAN PRESCRIPTION DRUG",
    proprietary_name="PreviDent 5000 Enamel Protect",
    labeler_name="Colgate Oral Pharmaceuticals, Inc.",
    marketing_category="UNAPPROVED DRUG OTHER",
)
RITALIN = ProductFacts(
    ndc="0078-0424-05",
    ndc10="0078042405",
    variant="finished",
    product_type="HUMAN PRESCRIPTION DRUG",
    proprietary_name="Ritalin",
    labeler_name="Novartis Pharmaceuticals Corporation",
    marketing_category="NDA",
    application_number="NDA021284",
    dea_schedule="CII",
)
ZOLOFT_GTIN = "00300494960502"
RITALIN_GTIN = "00300780424054"


def gtin(first13: str) -> str:
    return first13 + str(gs1_check_digit(first13))


def scan_of(gtin14: str, serial: str = "SN0001", extra: str = "") -> str:
    return f"]d201{gtin14}1727030010LOT42{GS}21{serial}{extra}"


def line(number: int = 1, ndc: str | None = "0049-4960-50", **fields: Any) -> DeclaredLineFacts:
    affirmations = tuple(Affirmation(c, q) for c, q in fields.pop("affirmations", ()))
    ndc10 = fields.pop("ndc10", ndc.replace("-", "") if ndc else None)
    return DeclaredLineFacts(number, ndc, ndc10, 10, "each", affirmations=affirmations, **fields)


def entry_context(*lines: DeclaredLineFacts, scans: tuple[Any, ...] = (), **shipment: Any) -> Any:
    products = {p.ndc10: p for p in (ZOLOFT, SERTRALINE_MYLAN, PREVIDENT, RITALIN)}
    declared = {ln.ndc10: products[ln.ndc10] for ln in lines if ln.ndc10 in products}
    for ln in lines:
        for a in ln.affirmed("DLS"):
            if a.qualifier in products:
                declared[a.qualifier] = products[a.qualifier]
    return make_shipment_context(
        scans,
        shipment=make_shipment(declared_lines=lines, **shipment),
        declared_products=declared,
    )


# R30: entry number


@pytest.mark.parametrize(
    "number", ["K80-2162679-2", "K80-9034518-3", "KL1-0283935-6", "ABC-1234567-6", "K8021626792"]
)
def test_real_cbp_entry_numbers_pass_the_check_digit(number: str) -> None:
    check = check_entry_number(number)
    assert check.well_formed and check.check_digit_ok
    assert run(entry_number_invalid, entry_context(entry_number=number, entry_type="01")) == []


def test_wrong_check_digit_is_a_low_finding() -> None:
    (finding,) = run(entry_number_invalid, entry_context(entry_number="K80-2162679-3"))
    assert (finding.rule, finding.severity) == ("R30", Severity.LOW)
    assert finding.evidence["expected"] == 2 and "2" in finding.message


@pytest.mark.parametrize(
    ("number", "entry_type", "fires"),
    [
        ("ENT-0001", None, False),  # an id, not meant as an entry number
        ("17612345675", None, False),  # an air waybill (11 digits)
        ("ENT-0001", "01", True),  # a filed consumption entry needs a CBP number
    ],
)
def test_entry_number_format(number: str, entry_type: str | None, fires: bool) -> None:
    findings = run(entry_number_invalid, entry_context(entry_number=number, entry_type=entry_type))
    assert [f.evidence["check"] for f in findings] == (["format"] if fires else [])


def test_related_entry_with_a_wrong_check_digit_is_reported() -> None:
    ctx = entry_context(entry_number="K80-2162679-2", related_entries=("K80-9034518-4",))
    (finding,) = run(entry_number_invalid, ctx)
    assert finding.evidence["field"] == "related_entries.0"


# R31, R32: product code


@pytest.mark.parametrize(
    ("code", "processing", "check"),
    [
        ("6OLCA01", "PRE", "structure"),  # letter O for zero
        ("60-LCA-01", "PRE", "structure"),
        ("60LCA01", "XYZ", "processing_code"),
        ("60LAA01", "PRE", "subclass"),  # PRE needs C or D
        ("60LCA01", "OTC", "subclass"),  # OTC needs A or B
        ("60LCA01", "INV", "subclass"),  # INV needs I
        ("53LY-99", "PRE", "processing_industry"),
    ],
)
def test_product_code_findings(code: str, processing: str, check: str) -> None:
    ctx = entry_context(line(fda_product_code=code, processing_code=processing))
    assert check in [f.evidence["check"] for f in run(product_code_invalid, ctx)]


@pytest.mark.parametrize(("code", "processing"), [("60LCA01", "PRE"), ("60LBA01", "OTC")])
def test_consistent_product_code_is_silent(code: str, processing: str) -> None:
    ndc = "0049-4960-50" if processing == "PRE" else None
    ctx = entry_context(line(ndc=ndc, fda_product_code=code, processing_code=processing))
    assert run(product_code_invalid, ctx) == []


def test_api_process_indicator_on_a_finished_tablet() -> None:
    ctx = entry_context(line(fda_product_code="62GCS01", processing_code="PRE"))
    (finding,) = run(product_code_invalid, ctx)
    assert finding.evidence["check"] == "pic_finished"
    assert "0049-4960-50" in finding.message


@pytest.mark.parametrize("code", ["53LY-99", "54AY-01"])
def test_rx_drug_on_a_cosmetics_or_vitamin_line_is_misdeclared(code: str) -> None:
    ctx = entry_context(line(fda_product_code=code))
    (finding,) = run(product_code_misfits_goods, ctx)
    assert (finding.rule, finding.severity) == ("R32", Severity.HIGH)
    assert "0049-4960-50" in finding.message and "misdeclared" in finding.message


def test_rx_drug_filed_as_otc() -> None:
    ctx = entry_context(line(fda_product_code="60LBA01", processing_code="OTC"))
    (finding,) = run(product_code_misfits_goods, ctx)
    assert finding.evidence["check"] == "processing_rx"


# R33, R34, R35: affirmations

FULL_PRE = (("DA", "019839"), ("REG", "123456789"), ("DLS", "0049496050"))


def test_complete_prescription_line_is_silent() -> None:
    ctx = entry_context(
        line(processing_code="PRE", intended_use_code="080.012", affirmations=FULL_PRE)
    )
    for rule in (affirmations_missing_or_malformed, drug_listing_mismatch, application_mismatch):
        assert run(rule, ctx) == [], rule


@pytest.mark.parametrize(
    ("processing", "use", "affirmations", "missing"),
    [
        ("PRE", "080.012", (("DA", "019839"),), ["REG", "DLS or PLR"]),
        ("PRE", "150.007", (("DA", "019839"), ("REG", "123456789")), ["DLS"]),
        ("OTC", None, (), ["REG", "DLS"]),
        ("INV", "180.009", (), ["IND"]),
    ],
)
def test_missing_affirmations(
    processing: str, use: str | None, affirmations: tuple[Any, ...], missing: list[str]
) -> None:
    ctx = entry_context(
        line(processing_code=processing, intended_use_code=use, affirmations=affirmations)
    )
    (finding,) = run(affirmations_missing_or_malformed, ctx)
    assert finding.evidence["missing"] == missing


@pytest.mark.parametrize(
    ("code", "qualifier"),
    [("DA", "NDA019839"), ("DLS", "0049-4960-50"), ("REG", "12345678"), ("IND", "12345")],
)
def test_malformed_affirmations_are_low_findings(code: str, qualifier: str) -> None:
    ctx = entry_context(line(affirmations=((code, qualifier),)))
    (finding,) = run(affirmations_missing_or_malformed, ctx)
    assert (finding.severity, finding.evidence["check"]) == (Severity.LOW, "format")


def test_dls_not_in_the_directory_is_not_listed() -> None:
    ctx = entry_context(line(affirmations=(("DLS", "0049496099"),)))
    (finding,) = run(drug_listing_mismatch, ctx)
    assert (finding.severity, finding.evidence["check"]) == (Severity.HIGH, "not_listed")


def test_dls_of_another_listed_product_is_a_mismatch() -> None:
    ctx = entry_context(line(affirmations=(("DLS", "0378418705"),)))
    (finding,) = run(drug_listing_mismatch, ctx)
    assert finding.evidence["check"] == "mismatch"


def test_da_of_the_generic_on_the_brand_line_is_a_mismatch() -> None:
    ctx = entry_context(line(affirmations=(("DA", "076671"),)))  # Mylan's ANDA, not Zoloft's NDA
    (finding,) = run(application_mismatch, ctx)
    assert (finding.severity, finding.evidence["check"]) == (Severity.HIGH, "mismatch")
    assert "NDA 019839" in finding.message


def test_da_checked_against_the_scanned_pack_when_the_line_has_only_a_dls() -> None:
    scans = (make_summary(scan_of(ZOLOFT_GTIN), ZOLOFT),)
    ctx = entry_context(
        line(ndc=None, ndc10="0049496050", affirmations=(("DA", "076671"),)), scans=scans
    )
    assert [f.evidence["check"] for f in run(application_mismatch, ctx)] == ["mismatch"]


def test_unapproved_product_declared_with_a_da() -> None:
    ctx = entry_context(line(ndc="0126-0022-92", affirmations=(("DA", "123456"),)))
    (finding,) = run(application_mismatch, ctx)
    assert finding.evidence["check"] == "unapproved"
    assert "UNAPPROVED DRUG OTHER" in finding.message


# R36: HTS


@pytest.mark.parametrize(
    ("hts", "code", "checks"),
    [
        ("3004909260", "60LCA01", []),
        ("3004.90.9260", "60LCA01", []),
        ("3304990000", "60LCA01", ["rx_chapter"]),
        ("300490", "60LCA01", ["format"]),
    ],
)
def test_hts_against_the_goods(hts: str, code: str, checks: list[str]) -> None:
    ctx = entry_context(line(hts_code=hts, fda_product_code=code))
    assert [f.evidence["check"] for f in run(hts_product_mismatch, ctx)] == checks


def test_drug_product_code_outside_the_pharmaceutical_chapters() -> None:
    ctx = entry_context(
        line(ndc=None, fda_product_code="60LCA01", processing_code="PRE", hts_code="2106909998")
    )
    assert [f.evidence["check"] for f in run(hts_product_mismatch, ctx)] == ["drug_code_chapter"]


@pytest.mark.parametrize(
    ("hts", "processing"),
    [
        ("3304990000", "OTC"),  # sunscreen: an OTC drug classified as a toiletry
        ("2804400000", "PRE"),  # medical oxygen
        ("2844400000", "PRE"),  # radiopharmaceutical (sodium iodide I-131)
    ],
)
def test_lawful_classifications_outside_chapter_30(hts: str, processing: str) -> None:
    ctx = entry_context(
        line(ndc=None, fda_product_code="60LCA01", processing_code=processing, hts_code=hts)
    )
    assert run(hts_product_mismatch, ctx) == []


# R15 (issue: goods declared as something else)


def test_rx_packs_on_an_entry_of_cosmetics_lines_fire_r15() -> None:
    scans = (make_summary(scan_of(ZOLOFT_GTIN), ZOLOFT),)
    ctx = entry_context(line(ndc=None, fda_product_code="53LY-99"), scans=scans)
    (finding,) = run(entry_ndc_mismatch, ctx)
    assert (finding.severity, finding.evidence["check"]) == (Severity.HIGH, "no_drug_line")
    assert "cosmetics" in finding.message


def test_rx_packs_on_a_filed_entry_without_lines_fire_r15() -> None:
    scans = (make_summary(scan_of(ZOLOFT_GTIN), ZOLOFT),)
    ctx = entry_context(scans=scans, entry_type="01")
    assert [f.rule for f in run(entry_ndc_mismatch, ctx)] == ["R15"]


# R37, R6 (foreign-market packs)

FOREIGN = scan_of(gtin("0847000123456"))
SPANISH = scan_of(ZOLOFT_GTIN, extra=f"{GS}712123456")
IND_LINE = line(
    ndc=None,
    fda_product_code="60LIA01",
    processing_code="INV",
    intended_use_code="180.009",
    affirmations=(("IND", "123456"),),
)


@pytest.mark.parametrize("raw", [FOREIGN, SPANISH])
def test_foreign_pack_on_a_consumption_entry_is_critical(raw: str) -> None:
    ctx = make_scan_context(raw, product=None, shipment=make_shipment(entry_type="01"))
    (finding,) = run(foreign_pack_for_consumption, ctx)
    assert finding.severity is Severity.CRITICAL


@pytest.mark.parametrize(
    ("entry_type", "lines", "category"),
    [
        ("61", (), None),  # in-bond: not entered for consumption
        (None, (), None),  # entry type unknown: R6 alone
        ("01", (IND_LINE,), None),  # investigational under an IND
        ("01", (), "UNAPPROVED DRUG FOR USE IN DRUG SHORTAGE"),
    ],
)
def test_foreign_pack_with_a_lawful_basis_or_not_for_consumption(
    entry_type: str | None, lines: tuple[DeclaredLineFacts, ...], category: str | None
) -> None:
    shipment = make_shipment(
        entry_type=entry_type,
        declared_lines=lines,
        lawful_foreign_basis=lawful_foreign_basis(lines),
    )
    product = ProductFacts("0049-4960-50", "0049496050", "finished", marketing_category=category)
    ctx = make_scan_context(SPANISH, product=product, shipment=shipment)
    assert run(foreign_pack_for_consumption, ctx) == []


def test_ind_on_an_investigational_line_softens_r6_to_info() -> None:
    basis = lawful_foreign_basis((IND_LINE,))
    assert basis == ("IND 123456 on line 1",)
    shipment = make_shipment(declared_lines=(IND_LINE,), lawful_foreign_basis=basis)
    (finding,) = run(non_us_pack, make_scan_context(FOREIGN, product=None, shipment=shipment))
    assert finding.severity is Severity.INFO and "IND 123456" in finding.message


def test_ind_on_a_prescription_line_is_no_basis() -> None:
    assert lawful_foreign_basis((line(affirmations=(("IND", "123456"),)),)) == ()


# R38: controlled substances


@pytest.mark.parametrize(
    ("lines", "fires"),
    [
        ((), True),
        ((line(),), True),  # only Zoloft declared
        ((line(ndc="0078-0424-05", fda_product_code="53LY-99"),), True),
        ((line(ndc="0078-0424-05"),), False),
        ((line(ndc="0078-0424-05", fda_product_code="60LCE01"),), False),
    ],
)
def test_controlled_substance_outside_a_drug_line(
    lines: tuple[DeclaredLineFacts, ...], fires: bool
) -> None:
    ctx = make_scan_context(
        scan_of(RITALIN_GTIN), product=RITALIN, shipment=make_shipment(declared_lines=lines)
    )
    findings = run(controlled_substance_undeclared, ctx)
    assert [f.severity for f in findings] == ([Severity.CRITICAL] if fires else [])
    if fires:
        assert "CBP/DEA" in findings[0].message


# R9 / R39: linked entries

PRIOR = PriorSighting(7, 12, "K80-2162679-2", "LOT42", date(2027, 3, 31))


def test_pack_seen_under_a_linked_entry_is_a_resighting() -> None:
    linked = PriorSighting(**{**PRIOR.__dict__, "linked": True})
    ctx = make_scan_context(prior_sightings=(linked,))
    assert run(serial_cloned, ctx) == []
    (finding,) = run(resighted_in_linked_entry, ctx)
    assert finding.severity is Severity.INFO
    assert "re-sighting in linked entry shipment 12 (entry K80-2162679-2)" in finding.message


def test_pack_seen_in_an_unrelated_shipment_is_still_a_clone() -> None:
    ctx = make_scan_context(prior_sightings=(PRIOR,))
    assert [f.rule for f in run(serial_cloned, ctx)] == ["R9"]
    assert run(resighted_in_linked_entry, ctx) == []


# Policy


def test_shipped_policy_matches_the_code_defaults() -> None:
    from rules.entry_policy import EntryPolicy
    from rules.policy import load_policy

    config = Path(__file__).resolve().parents[2] / "config" / "rules.toml"
    policy = load_policy(config)
    assert policy.entry == EntryPolicy()
    assert {"R37", "R38"} <= policy.hard_detain


def test_unknown_entry_policy_key_is_an_error(tmp_path: Path) -> None:
    import tomllib

    config = Path(__file__).resolve().parents[2] / "config"
    data = tomllib.loads((config / "rules.toml").read_text())
    data["entry"]["consumption_types"] = ["01"]
    with pytest.raises(PolicyError, match="consumption_types"):
        parse_policy(data, base_dir=config, source="test")

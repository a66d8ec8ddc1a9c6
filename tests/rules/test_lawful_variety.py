"""Lawful imports that look odd (issue 12): exclusions, biologics, shortage imports, APIs,
short-dated packs, lost separators, serial runs and AI 715.

Products come from the bundled FDA NDC sample (inspect_svc/sample_data/product.txt)
where the case exists there; rows written here in FDA's product.txt layout are
marked as such.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from inspect_core.ndc import gtin14_from_ndc10
from rules import DeclaredLineFacts, Finding, LawfulBasis, ProductFacts, Severity
from rules.engine import evaluate_shipment, evaluate_unit
from rules.exclusions import ExclusionFileError, load_exclusions, match_exclusion
from rules.identifier import (
    dscsa_excluded_product,
    nhrn_ndc_mismatch,
    non_us_pack,
    not_gs1_datamatrix,
    product_identifier_incomplete,
    separator_probably_lost,
)
from rules.policy import PolicyError, load_policy
from rules.product import sample_or_non_saleable, unfinished_drug_in_pack
from tests.rules.conftest import (
    CONFIG_DIR,
    GS,
    QUINIDINE,
    SHIPPED_EXCLUSIONS,
    make_policy,
    make_scan_context,
    make_shipment,
    make_shipment_context,
    make_summary,
    pack,
    run,
    sample_product,
    with_product,
)
from tests.rules.test_product import INSULIN_BULK

OXYGEN = "24533-001-02"  # Oxygen, 255 L cylinder, UNAPPROVED MEDICAL GAS
NITROUS_OXIDE = "42751-1070-1"  # Nitrous Oxide cylinder, UNAPPROVED MEDICAL GAS
SODIUM_IODIDE_I131 = "0019-9450-02"  # Sodium Iodide I-131, Radioactive Therapeutic Agent [EPC]
SALINE_3L = "0338-0047-27"  # Sodium Chloride, 3000 mL bag, route IRRIGATION
DEXTROSE_IV = "0409-7517-16"  # Dextrose, INTRAVENOUS
BOIRON_CAMILIA = "0220-9054-09"  # Boiron Camilia, UNAPPROVED HOMEOPATHIC
ADACEL = "49281-400-05"  # Adacel (Tdap), product type VACCINE
PHISOHEX = "0024-1535-02"  # Phisohex, HUMAN PRESCRIPTION DRUG, NDA


def gtin_of(ndc: str) -> str:
    return gtin14_from_ndc10(ndc.replace("-", ""))


def no_serial(ndc: str, lot: str = "LOT42") -> str:
    """A DataMatrix scan with GTIN, expiry and lot but no serial."""
    return f"]d201{gtin_of(ndc)}1727030010{lot}"


def linear(ndc: str) -> str:
    """A UPC-A / GS1-128 style scan carrying only the GTIN."""
    return f"]E0{gtin_of(ndc)[1:]}"


def fda_row(**columns: str) -> dict[str, str]:
    """A product row in FDA's product.txt layout (columns by header name)."""
    return {"PRODUCTTYPENAME": "HUMAN PRESCRIPTION DRUG", **columns}


def rules_of(findings: Any) -> dict[str, Severity]:
    return {f.rule: f.severity for f in findings}


# --- item 1: DSCSA exclusions ------------------------------------------------------------


@pytest.mark.parametrize(
    ("ndc", "exclusion", "because"),
    [
        pytest.param(OXYGEN, "medical_gas", "UNAPPROVED MEDICAL GAS", id="oxygen-cylinder"),
        pytest.param(NITROUS_OXIDE, "medical_gas", "MEDICAL GAS", id="nitrous-oxide"),
        pytest.param(SODIUM_IODIDE_I131, "radioactive", "Radioactive", id="sodium-iodide-i131"),
        pytest.param(SALINE_3L, "irrigation_sterile_water", "IRRIGATION", id="saline-3l-bag"),
        pytest.param(DEXTROSE_IV, "iv_replenishment", "DEXTROSE", id="dextrose-iv"),
    ],
)
def test_excluded_rx_products_need_no_identifier(ndc: str, exclusion: str, because: str) -> None:
    product = sample_product(ndc)
    for raw in (no_serial(ndc), linear(ndc)):
        ctx = make_scan_context(raw, product=product)
        assert run(product_identifier_incomplete, ctx) == []
        assert run(not_gs1_datamatrix, ctx) == []
        finding = run(dscsa_excluded_product, ctx)[0]
        assert (finding.rule, finding.severity) == ("R4e", Severity.INFO)
        assert finding.evidence["exclusion"] == exclusion
        assert because.upper() in finding.evidence["because"].upper()
        assert "§581(13)" in finding.message or "§581(24)" in finding.message
        unit = evaluate_unit(ctx, make_policy())
        assert unit.verdict == "green", unit.findings


def test_medical_gas_is_not_a_non_saleable_unapproved_drug() -> None:
    ctx = make_scan_context(no_serial(OXYGEN), product=sample_product(OXYGEN))
    finding = run(sample_or_non_saleable, ctx)[0]
    assert finding.severity is Severity.INFO
    assert "UNAPPROVED MEDICAL GAS" in finding.message


def test_boiron_homeopathic_is_released() -> None:
    product = sample_product(BOIRON_CAMILIA)
    assert product.labeler_name == "Laboratoires Boiron"
    ctx = make_scan_context(no_serial(BOIRON_CAMILIA), product=product)
    found = rules_of(evaluate_unit(ctx, make_policy()).findings)
    assert found == {"R4e": Severity.INFO, "R23": Severity.INFO}
    boiron = make_shipment(
        parties={"manufacturer": {"name": "Laboratoires Boiron"}},
        declared_lines=(DeclaredLineFacts(1, BOIRON_CAMILIA, "0220905409", 1, "each"),),
    )
    shipment = evaluate_shipment(
        make_shipment_context((make_summary(no_serial(BOIRON_CAMILIA), product),), shipment=boiron),
        evaluate_unit(ctx, make_policy()).weights,
        make_policy(),
    )
    assert shipment.recommendation == "release"


@pytest.mark.parametrize(
    ("row", "exclusion"),
    [
        # Rows written in FDA's product.txt layout: the 2014 sample has none of these.
        pytest.param(
            fda_row(
                PROPRIETARYNAME="Omnipaque",
                NONPROPRIETARYNAME="iohexol",
                DOSAGEFORMNAME="INJECTION, SOLUTION",
                ROUTENAME="INTRATHECAL; INTRAVASCULAR; ORAL",
                MARKETINGCATEGORYNAME="NDA",
                SUBSTANCENAME="IOHEXOL",
                PHARM_CLASSES="Radiographic Contrast Agent [EPC],X-Ray Contrast Activity [MoA]",
            ),
            "imaging",
            id="contrast-agent",
        ),
        pytest.param(
            fda_row(
                PROPRIETARYNAME="Dianeal Low Calcium with Dextrose",
                NONPROPRIETARYNAME="dextrose monohydrate, sodium chloride, sodium lactate",
                DOSAGEFORMNAME="INJECTION, SOLUTION",
                ROUTENAME="INTRAPERITONEAL",
                MARKETINGCATEGORYNAME="NDA",
                SUBSTANCENAME=(
                    "DEXTROSE MONOHYDRATE; SODIUM CHLORIDE; SODIUM LACTATE; CALCIUM CHLORIDE; "
                    "MAGNESIUM CHLORIDE"
                ),
            ),
            "dialysis",
            id="peritoneal-dialysis",
        ),
        pytest.param(
            fda_row(
                PRODUCTTYPENAME="HUMAN COMPOUNDED DRUG LABEL",
                PROPRIETARYNAME="Oxytocin in Sodium Chloride",
                DOSAGEFORMNAME="INJECTION, SOLUTION",
                ROUTENAME="INTRAVENOUS",
                MARKETINGCATEGORYNAME=(
                    "OUTSOURCING FACILITY COMPOUNDED HUMAN DRUG PRODUCT "
                    "(EXEMPT FROM APPROVAL REQUIREMENTS)"
                ),
                SUBSTANCENAME="OXYTOCIN",
            ),
            "compounded",
            id="503b-compounded",
        ),
        pytest.param(
            fda_row(
                PROPRIETARYNAME="Lactated Ringer's",
                NONPROPRIETARYNAME="sodium chloride, sodium lactate, potassium chloride",
                DOSAGEFORMNAME="INJECTION, SOLUTION",
                ROUTENAME="INTRAVENOUS",
                MARKETINGCATEGORYNAME="NDA",
                SUBSTANCENAME=(
                    "SODIUM CHLORIDE; SODIUM LACTATE; POTASSIUM CHLORIDE; CALCIUM CHLORIDE"
                ),
            ),
            "iv_replenishment",
            id="lactated-ringers",
        ),
        pytest.param(
            fda_row(
                PROPRIETARYNAME="Travasol",
                NONPROPRIETARYNAME="amino acids",
                DOSAGEFORMNAME="INJECTION, SOLUTION",
                ROUTENAME="INTRAVENOUS",
                MARKETINGCATEGORYNAME="NDA",
                SUBSTANCENAME=(
                    "LEUCINE; ISOLEUCINE; LYSINE HYDROCHLORIDE; VALINE; PHENYLALANINE; "
                    "HISTIDINE; THREONINE; METHIONINE; TRYPTOPHAN; ALANINE; GLYCINE; ARGININE; "
                    "PROLINE; SERINE; TYROSINE"
                ),
            ),
            "iv_replenishment",
            id="amino-acids",
        ),
    ],
)
def test_exclusions_not_in_the_bundled_sample(row: dict[str, str], exclusion: str) -> None:
    product = sample_product("99999-999-99", row)
    found = match_exclusion(product, SHIPPED_EXCLUSIONS)
    assert found is not None and found.exclusion.id == exclusion
    assert (
        run(product_identifier_incomplete, make_scan_context(no_serial(PHISOHEX), product=product))
        == []
    )


@pytest.mark.parametrize(
    "row",
    [
        # A biologic pen listed as KIT still needs its identifier (written row).
        fda_row(
            PROPRIETARYNAME="Humira",
            NONPROPRIETARYNAME="adalimumab",
            DOSAGEFORMNAME="KIT",
            ROUTENAME="SUBCUTANEOUS",
            MARKETINGCATEGORYNAME="BLA",
            SUBSTANCENAME="ADALIMUMAB",
        ),
        # An IV drug in saline is not a fluid replenisher (written row).
        fda_row(
            PROPRIETARYNAME="Heparin Sodium in Sodium Chloride",
            DOSAGEFORMNAME="INJECTION, SOLUTION",
            ROUTENAME="INTRAVENOUS",
            MARKETINGCATEGORYNAME="NDA",
            SUBSTANCENAME="HEPARIN SODIUM; SODIUM CHLORIDE",
        ),
    ],
    ids=["biologic-kit", "heparin-in-saline"],
)
def test_look_alikes_are_not_excluded(row: dict[str, str]) -> None:
    product = sample_product("99999-999-99", row)
    assert match_exclusion(product, SHIPPED_EXCLUSIONS) is None
    ctx = make_scan_context(no_serial(PHISOHEX), product=product)
    assert run(product_identifier_incomplete, ctx)[0].severity is Severity.HIGH


@pytest.mark.parametrize("ndc", [PHISOHEX, "0378-1066-01"], ids=["phisohex", "meloxicam"])
def test_ordinary_rx_products_in_the_sample_are_not_excluded(ndc: str) -> None:
    product = sample_product(ndc)
    assert match_exclusion(product, SHIPPED_EXCLUSIONS) is None


def test_shipped_policy_loads_the_exclusions_and_rx_types() -> None:
    policy = load_policy(CONFIG_DIR / "rules.toml")
    assert {e.id for e in policy.dscsa_exclusions} >= {
        "medical_gas",
        "radioactive",
        "imaging",
        "iv_replenishment",
        "dialysis",
        "irrigation_sterile_water",
        "homeopathic",
        "compounded",
        "blood",
        "medical_convenience_kit",
    }
    assert all("§581" in e.statute for e in policy.dscsa_exclusions)
    assert {"VACCINE", "PLASMA DERIVATIVE", "CELLULAR THERAPY"} <= policy.rx_product_types


HEAD = '[[exclusion]]\nid = "x"\nname = "x"\nstatute = "s"\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (HEAD, "when"),
        (f'{HEAD}[[exclusion.when]]\ncolour = ["RED"]\n', "unknown criterion 'colour'"),
        (f'{HEAD}[[exclusion.when]]\nroute = "ORAL"\n', "route must be a non-empty list"),
        ('[[exclusion]]\nid = "x"\nname = "x"\n[[exclusion.when]]\nroute = ["ORAL"]\n', "statute"),
    ],
)
def test_invalid_exclusions_file_names_the_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "dscsa_exclusions.toml"
    path.write_text(text)
    with pytest.raises(ExclusionFileError, match=message):
        load_exclusions(path)


def test_policy_with_missing_exclusions_file_is_a_policy_error(tmp_path: Path) -> None:
    (tmp_path / "country_tiers.toml").write_text((CONFIG_DIR / "country_tiers.toml").read_text())
    (tmp_path / "rules.toml").write_text((CONFIG_DIR / "rules.toml").read_text())
    with pytest.raises(PolicyError, match="DSCSA exclusions file not found"):
        load_policy(tmp_path / "rules.toml")


# --- item 2: vaccines and biologics are prescription drugs -------------------------------


def test_vaccine_without_serial_is_incomplete() -> None:
    product = sample_product(ADACEL)
    assert product.product_type == "VACCINE"
    finding = run(
        product_identifier_incomplete, make_scan_context(no_serial(ADACEL), product=product)
    )[0]
    assert (finding.rule, finding.severity) == ("R4", Severity.HIGH)
    assert finding.evidence["rx_assumed"] is False


@pytest.mark.parametrize("product_type", ["PLASMA DERIVATIVE", "CELLULAR THERAPY"])
def test_other_biologic_product_types_are_rx(product_type: str) -> None:
    product = with_product(QUINIDINE, product_type=product_type)
    ctx = make_scan_context(linear(PHISOHEX), product=product)
    assert run(not_gs1_datamatrix, ctx)[0].rule == "R3"


def test_otc_is_still_not_rx() -> None:
    product = with_product(QUINIDINE, product_type="HUMAN OTC DRUG")
    assert (
        run(product_identifier_incomplete, make_scan_context(no_serial(PHISOHEX), product=product))
        == []
    )


# --- item 3: shortage imports -------------------------------------------------------------

# Written row in FDA's layout: the 2014 sample predates shortage-import listings.
SHORTAGE_SALINE = sample_product(
    "63323-920-10",
    fda_row(
        PROPRIETARYNAME="Cloruro de Sodio 0,9% Fresenius Kabi",
        NONPROPRIETARYNAME="sodium chloride",
        DOSAGEFORMNAME="INJECTION, SOLUTION",
        ROUTENAME="INTRAVENOUS",
        MARKETINGCATEGORYNAME="UNAPPROVED DRUG FOR USE IN DRUG SHORTAGE",
        LABELERNAME="Fresenius Kabi USA, LLC",
        SUBSTANCENAME="SODIUM CHLORIDE",
    ),
)
SHORTAGE_CISPLATIN = sample_product(
    "70121-1708-01",
    fda_row(
        PROPRIETARYNAME="Cisplatin Injection",
        NONPROPRIETARYNAME="cisplatin",
        DOSAGEFORMNAME="INJECTION, SOLUTION",
        ROUTENAME="INTRAVENOUS",
        MARKETINGCATEGORYNAME="UNAPPROVED DRUG FOR USE IN DRUG SHORTAGE",
        LABELERNAME="Qilu Pharmaceutical Co., Ltd.",
        SUBSTANCENAME="CISPLATIN",
    ),
)
SPANISH_PACK = f"]d20108470001234568172703001010L123{GS}7126543217"
"""A Spanish-market pack: GS1 Spain GTIN (84...), AI 712 national code, no serial."""


def test_shortage_product_has_a_lawful_foreign_basis() -> None:
    basis = SHORTAGE_SALINE.lawful_foreign_basis
    assert basis is not None and basis.kind == "drug_shortage"
    assert QUINIDINE.lawful_foreign_basis is None


def test_foreign_shortage_iv_fluid_is_information_not_detention() -> None:
    ctx = make_scan_context(SPANISH_PACK, product=SHORTAGE_SALINE)
    unit = evaluate_unit(ctx, make_policy())
    found = rules_of(unit.findings)
    assert found == {"R4e": Severity.INFO, "R6": Severity.INFO, "R23": Severity.INFO}
    assert unit.verdict == "green"
    entry = make_shipment(
        origin_country="ES",
        parties={"manufacturer": {"name": "Fresenius Kabi USA, LLC"}},
        declared_lines=(DeclaredLineFacts(1, "63323-920-10", "6332392010", 1, "each"),),
    )
    summary = make_summary(SPANISH_PACK, SHORTAGE_SALINE)
    context = make_shipment_context((summary,), shipment=entry)
    shipment = evaluate_shipment(context, unit.weights, make_policy())
    assert shipment.recommendation == "release"


def test_foreign_shortage_drug_without_serial_is_information() -> None:
    ctx = make_scan_context(SPANISH_PACK, product=SHORTAGE_CISPLATIN)
    unit = evaluate_unit(ctx, make_policy())
    found = rules_of(unit.findings)
    assert found == {"R4": Severity.INFO, "R6": Severity.INFO, "R23": Severity.INFO}
    assert unit.verdict == "green"
    r6 = next(f for f in unit.findings if f.rule == "R6")
    assert "DRUG SHORTAGE" in r6.finding.message
    assert r6.finding.evidence["lawful_basis"] == "drug_shortage"


def test_basis_from_the_entry_softens_an_unresolved_foreign_pack() -> None:
    basis = LawfulBasis(
        "drug_shortage", "declared line 1 names NDC 63323-920-10, a shortage import"
    )
    ctx = make_scan_context(SPANISH_PACK, product=None, lawful_bases=(basis,))
    assert run(non_us_pack, ctx)[0].severity is Severity.INFO
    assert run(product_identifier_incomplete, ctx)[0].severity is Severity.INFO
    bare = make_scan_context(SPANISH_PACK, product=None)
    assert run(non_us_pack, bare)[0].severity is Severity.HIGH
    assert run(product_identifier_incomplete, bare)[0].severity is Severity.HIGH


# --- item 6: APIs -------------------------------------------------------------------------

INSULIN_GTIN = "00300020485048"  # NDC 0002-0485-04 (unfinished 2018 list)


@pytest.mark.parametrize(
    "raw",
    [
        f"]E0{INSULIN_GTIN[1:]}",
        f"]C101{INSULIN_GTIN}10BULK42",
        f"]C101{INSULIN_GTIN}1727030010BULK42",
    ],
    ids=["linear-gtin", "gs1-128-lot", "gs1-128-lot-expiry"],
)
def test_api_import_without_pack_identifier_is_not_r8b(raw: str) -> None:
    ctx = make_scan_context(raw, product=INSULIN_BULK)
    assert run(unfinished_drug_in_pack, ctx) == []
    assert evaluate_unit(ctx, make_policy()).verdict == "green"


@pytest.mark.parametrize(
    "raw",
    [pack(gtin=INSULIN_GTIN), f"]d201{INSULIN_GTIN}1727030010BULK42"],
    ids=["serialised", "datamatrix-pack-identifier"],
)
def test_unfinished_ndc_as_saleable_pack_is_r8b(raw: str) -> None:
    finding = run(unfinished_drug_in_pack, make_scan_context(raw, product=INSULIN_BULK))[0]
    assert (finding.rule, finding.severity) == ("R8b", Severity.HIGH)


# --- item 7: short-dated but valid --------------------------------------------------------


def test_short_dated_pack_does_not_push_a_shipment_to_exam() -> None:
    policy = make_policy()
    sildenafil = with_product(sample_product(PHISOHEX), substances="SILDENAFIL CITRATE")
    raw = pack(gtin=gtin_of(PHISOHEX), expiry="250730")  # 59 days after 2025-06-01
    unit = evaluate_unit(make_scan_context(raw, product=sildenafil), policy)
    short = next(f for f in unit.findings if f.rule == "R5b")
    assert (short.severity, short.weight) == (Severity.INFO, 0)
    assert "59 days" in short.finding.message
    phisohex_entry = make_shipment(
        origin_country="XA",
        parties={"manufacturer": {"name": sildenafil.labeler_name}},
        declared_lines=(DeclaredLineFacts(1, PHISOHEX, "0024153502", 1, "each"),),
    )
    context = make_shipment_context((make_summary(raw, sildenafil),), shipment=phisohex_entry)
    result = evaluate_shipment(context, unit.weights, policy)
    assert {f.rule for f in result.findings if f.severity is not Severity.INFO} == {"R19"}
    assert (result.risk_score, result.recommendation) == (20, "release")


# --- items 10 and 15: lost separators -----------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(no_serial(PHISOHEX, lot="LT2107B"), id="lot-LT2107B"),
        pytest.param(f"]d201{gtin_of(PHISOHEX)}1727030010LOT42{GS}7126543210021", id="712-ends-21"),
        pytest.param(
            f"]d201{gtin_of(PHISOHEX)}172703007126543217{GS}10LOT4221SN000123",
            id="gs-elsewhere-in-payload",
        ),
    ],
)
def test_missing_serial_is_not_taken_for_a_lost_separator(raw: str) -> None:
    ctx = make_scan_context(raw, product=sample_product(PHISOHEX))
    assert run(separator_probably_lost, ctx) == []
    finding = run(product_identifier_incomplete, ctx)[0]
    assert (finding.rule, finding.severity) == ("R4", Severity.HIGH)
    assert "missing_serial" in finding.evidence["missing"]


WEDGE = f"01{gtin_of(PHISOHEX)}1727030010LOT4221SN000123"
"""A keyboard-wedge read of a genuine pack: GS lost, lot swallowed 21 + serial (13 chars)."""


def test_ambiguous_lost_separator_asks_for_a_rescan_with_the_readings() -> None:
    ctx = make_scan_context(WEDGE, product=sample_product(PHISOHEX))
    unit = evaluate_unit(ctx, make_policy())
    assert rules_of(unit.findings) == {"R1b": Severity.MEDIUM}
    assert unit.verdict == "amber"
    finding = unit.findings[0].finding
    assert "Re-scan" in finding.message
    readings = finding.evidence["readings"]
    assert {"01": gtin_of(PHISOHEX), "17": "270300", "10": "LOT4221SN000123"} in readings
    assert {"01": gtin_of(PHISOHEX), "17": "270300", "10": "LOT42", "21": "SN000123"} in readings


def test_identical_rescan_is_judged_as_read() -> None:
    ctx = make_scan_context(WEDGE, product=sample_product(PHISOHEX), same_raw_rescans=1)
    unit = evaluate_unit(ctx, make_policy())
    found = rules_of(unit.findings)
    assert found == {"R1b": Severity.INFO, "R4": Severity.HIGH}
    assert unit.verdict == "red"
    r4 = next(f for f in unit.findings if f.rule == "R4").finding
    assert r4.evidence["missing"] == ["missing_serial"]
    assert "read again" in r4.message


# --- item 14: R25 runs per lot ------------------------------------------------------------


def _serial_shipment(serials_by_lot: dict[str, list[str]]) -> list[Finding]:
    from rules.aggregate import serial_pattern_anomaly

    scans = tuple(
        make_summary(pack(serial=serial, lot=lot), scan_id=index)
        for index, (lot, serial) in enumerate(
            (lot, serial) for lot, serials in serials_by_lot.items() for serial in serials
        )
    )
    return run(serial_pattern_anomaly, make_shipment_context(scans))


def test_r25_one_random_serial_does_not_hide_a_sequential_run() -> None:
    findings = _serial_shipment({"LOT42": [*(f"SN{n:06d}" for n in range(1, 10)), "K7QX2M9P"]})
    assert [(f.rule, f.severity) for f in findings] == [("R25", Severity.LOW)]
    assert findings[0].evidence["lot"] == "LOT42"
    assert len(findings[0].evidence["serials"]) == 9
    assert "9 of the 10 serials" in findings[0].message


def test_r25_runs_are_per_lot() -> None:
    findings = _serial_shipment(
        {"LOTA": ["SN000001", "SN000002", "SN000003"], "LOTB": ["P4Z81Q", "M2K9LX", "T7R3WD"]}
    )
    assert [f.evidence["lot"] for f in findings] == ["LOTA"]


def test_r25_silent_on_random_serials() -> None:
    assert _serial_shipment({"LOT42": ["P4Z81Q", "M2K9LX", "T7R3WD", "SN000001"]}) == []


# --- item 18 (part): AI 715 against the GTIN's NDC ----------------------------------------


@pytest.mark.parametrize(
    ("nhrn", "fires"),
    [("0024153502", False), ("00024153502", False), ("0024153599", True), ("50458057930", True)],
    ids=["ndc10-same", "ndc11-same", "other-package", "other-product"],
)
def test_ai_715_is_compared_with_the_gtin(nhrn: str, fires: bool) -> None:
    raw = f"]d201{gtin_of(PHISOHEX)}1727030010LOT42{GS}21SN000123{GS}715{nhrn}"
    findings = run(nhrn_ndc_mismatch, make_scan_context(raw, product=sample_product(PHISOHEX)))
    assert [(f.rule, f.severity) for f in findings] == ([("R2b", Severity.HIGH)] if fires else [])
    if fires:
        assert (
            nhrn in findings[0].message and "0024-1535-02" not in findings[0].evidence["nhrn_715"]
        )


def test_ai_715_on_a_foreign_gtin_is_not_compared() -> None:
    raw = f"]d20108470001234568172703001010L123{GS}21SN000123{GS}7150024153502"
    assert run(nhrn_ndc_mismatch, make_scan_context(raw, product=None)) == []


def test_excluded_products_keep_other_rules() -> None:
    """An exclusion only lifts the identifier requirement: expiry still counts."""
    product: ProductFacts = sample_product(OXYGEN)
    ctx = make_scan_context(no_serial(OXYGEN).replace("17270300", "17240300"), product=product)
    assert "R5" in rules_of(evaluate_unit(ctx, make_policy()).findings)

"""Product code rules: is each line's FDA product code well formed, consistent with its
processing code, and does it fit the goods the directory and the scans show?"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rules.base import Finding, Severity, shipment_rule
from rules.context import DeclaredLineFacts, ProductFacts, ShipmentContext
from rules.entry_lines import (
    ProductCode,
    industry_name,
    industry_of,
    line_products,
    processing_code,
)
from rules.product import is_prescription

PROCESSING_CODES = {
    "PRE": "prescription",
    "OTC": "over the counter",
    "INV": "investigational",
    "PHN": "pharmacy compounding",
    "RND": "research and development",
    "804": "section 804 importation",
}
PROCESSING_INDUSTRIES = {"54", "56", "58", "60", "61", "62", "63", "64", "65", "66"}
"""Industries the drug processing codes may be filed with (PHN also with 55)."""
SUBCLASS_OF_PROCESSING = {"PRE": "CD", "OTC": "AB", "INV": "I"}
"""Subclass letters that go with a processing code (human drugs, industries 60-66)."""
API_PIC = "S"
"""Process indicator code of an active ingredient for further manufacturing."""
API_INTENDED_USES = ("150.007", "150.017")


def _line_evidence(line: DeclaredLineFacts, check: str, **extra: Any) -> dict[str, Any]:
    return {
        "line": line.line_number,
        "check": check,
        "fda_product_code": line.fda_product_code,
        "processing_code": line.processing_code,
        "intended_use_code": line.intended_use_code,
        **extra,
    }


def _is_human_drug(code: ProductCode) -> bool:
    return "60" <= code.industry <= "66"


@shipment_rule("R31", "PRODUCT_CODE_INVALID")
def product_code_invalid(ctx: ShipmentContext) -> Iterator[Finding]:
    """A line's product code is malformed or contradicts its processing code, intended use or
    the product's form: the line was coded carelessly or to steer screening.

    FDA product code structure and the PGA processing codes (docs/entry-data.md).
    Low: the subclass and process-indicator meanings for industries 60-66 are
    inferred, so these are data-quality signals, not proof.
    """
    for line in ctx.shipment.declared_lines:
        yield from _code_structure(line)
        yield from _processing_consistency(line)
        yield from _dosage_form(ctx, line)


def _code_structure(line: DeclaredLineFacts) -> Iterator[Finding]:
    text = line.fda_product_code
    if text is None and not line.ndc and not line.ndc10:
        yield Finding(
            "R31",
            Severity.LOW,
            f"Line {line.line_number} declares neither an NDC nor an FDA product code: "
            "what it holds cannot be checked.",
            _line_evidence(line, "unidentified"),
        )
    if text is not None and ProductCode.parse(text) is None:
        yield Finding(
            "R31",
            Severity.LOW,
            f"Line {line.line_number}: product code {text!r} is not an FDA product code "
            "(7 characters: industry 2 digits, class, subclass or -, PIC or -, product 2).",
            _line_evidence(line, "structure"),
        )
    processing = processing_code(line)
    if processing is not None and processing not in PROCESSING_CODES:
        yield Finding(
            "R31",
            Severity.LOW,
            f"Line {line.line_number}: processing code {line.processing_code!r} is not a drug "
            f"processing code ({', '.join(PROCESSING_CODES)}).",
            _line_evidence(line, "processing_code"),
        )


def _processing_consistency(line: DeclaredLineFacts) -> Iterator[Finding]:
    code = ProductCode.parse(line.fda_product_code)
    processing = processing_code(line)
    if code is None or processing not in PROCESSING_CODES:
        return
    allowed = PROCESSING_INDUSTRIES | ({"55"} if processing == "PHN" else set())
    if code.industry not in allowed:
        yield Finding(
            "R31",
            Severity.LOW,
            f"Line {line.line_number}: processing code {processing} is filed with product code "
            f"{line.fda_product_code}, industry {code.industry} "
            f"({industry_name(code.industry)}), which takes no drug processing code.",
            _line_evidence(line, "processing_industry"),
        )
        return
    expected = SUBCLASS_OF_PROCESSING.get(processing)
    if expected and _is_human_drug(code) and code.subclass not in expected:
        yield Finding(
            "R31",
            Severity.LOW,
            f"Line {line.line_number}: processing code {processing} "
            f"({PROCESSING_CODES[processing]}) needs product code subclass "
            f"{' or '.join(expected)}, but {line.fda_product_code} has subclass "
            f"{code.subclass}.",
            _line_evidence(line, "subclass", expected_subclass=list(expected)),
        )


def _dosage_form(ctx: ShipmentContext, line: DeclaredLineFacts) -> Iterator[Finding]:
    """PIC S (active ingredient) on a finished-dose line, or a finished-dose PIC on an API."""
    code = ProductCode.parse(line.fda_product_code)
    if code is None or not _is_human_drug(code):
        return
    intended = (line.intended_use_code or "").strip()
    if intended in API_INTENDED_USES and code.pic != API_PIC:
        yield Finding(
            "R31",
            Severity.LOW,
            f"Line {line.line_number}: intended use {intended} (ingredient for further "
            f"manufacturing) needs process indicator S, but {line.fda_product_code} has "
            f"{code.pic}.",
            _line_evidence(line, "pic_intended_use"),
        )
    products = line_products(ctx, line)
    finished = [p for p in products if p.variant == "finished"]
    unfinished = [p for p in products if p.variant == "unfinished"]
    if code.pic == API_PIC and finished and not unfinished:
        yield Finding(
            "R31",
            Severity.LOW,
            f"Line {line.line_number}: product code {line.fda_product_code} declares an active "
            f"ingredient (PIC S), but NDC {_ndcs(finished)} is a finished drug "
            f"({finished[0].dosage_form or 'finished dosage form'}).",
            _line_evidence(line, "pic_finished", ndcs=[p.ndc for p in finished]),
        )
    elif code.pic not in (API_PIC, "-") and unfinished and not finished:
        yield Finding(
            "R31",
            Severity.LOW,
            f"Line {line.line_number}: product code {line.fda_product_code} declares a "
            f"finished dosage form (PIC {code.pic}), but NDC {_ndcs(unfinished)} is listed "
            "only as an unfinished drug (ingredient for further manufacturing).",
            _line_evidence(line, "pic_unfinished", ndcs=[p.ndc for p in unfinished]),
        )


def _ndcs(products: list[ProductFacts]) -> str:
    return ", ".join(p.ndc for p in products)


@shipment_rule("R32", "PRODUCT_CODE_MISFITS_GOODS")
def product_code_misfits_goods(ctx: ShipmentContext) -> Iterator[Finding]:
    """A line's product code or processing code does not fit the drug it holds: a prescription
    drug declared as a cosmetic, a vitamin or an OTC product escapes the drug screening.

    FDA product code industries (drugs 60-66, 56-58; cosmetics 53, vitamins 54)
    and processing codes PRE/OTC against the NDC Directory's product type
    (docs/entry-data.md).
    """
    industries = ctx.policy.entry.drug_industries
    for line in ctx.shipment.declared_lines:
        products = line_products(ctx, line)
        if not products:
            continue
        industry = industry_of(line.fda_product_code)
        rx = [p for p in products if is_prescription(p, ctx.policy)]
        if industry is not None and industry not in industries:
            drugs = rx or products
            yield Finding(
                "R32",
                Severity.HIGH if rx else Severity.LOW,
                f"Line {line.line_number} is coded {line.fda_product_code} "
                f"({industry_name(industry)}), but holds "
                f"{'prescription drug' if rx else 'drug'} NDC {_ndcs(drugs)} "
                f"({drugs[0].product_type or 'drug'}): the goods are misdeclared.",
                _line_evidence(
                    line, "industry", ndcs=[p.ndc for p in drugs], rx=bool(rx), industry=industry
                ),
            )
            continue
        processing = processing_code(line)
        if processing == "OTC" and rx:
            yield Finding(
                "R32",
                Severity.MEDIUM,
                f"Line {line.line_number} is filed as OTC, but NDC {_ndcs(rx)} is a "
                f"{rx[0].product_type}: an OTC line needs no application (DA).",
                _line_evidence(line, "processing_rx", ndcs=[p.ndc for p in rx]),
            )

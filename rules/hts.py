"""HTS rules: does a line's tariff classification fit the drug it declares or holds?"""

from __future__ import annotations

from collections.abc import Iterator

from rules.base import Finding, Severity, shipment_rule
from rules.context import ShipmentContext
from rules.entry_lines import digits, industry_name, industry_of, line_products, processing_code
from rules.product import is_prescription

HTS_DIGITS = 10


@shipment_rule("R36", "HTS_PRODUCT_MISMATCH")
def hts_product_mismatch(ctx: ShipmentContext) -> Iterator[Finding]:
    """A prescription drug line is classified outside the pharmaceutical HTS chapters (28
    medical gases and radioisotopes, 29 organic chemicals, 30 pharmaceutical products):
    classification chosen to avoid drug screening.

    Harmonized Tariff Schedule chapters 28-30 (docs/entry-data.md). OTC lines are
    not judged: sunscreens, toothpastes and antiperspirants are drugs classified
    as toiletries (chapter 33).
    """
    chapters = ctx.policy.entry.hts_drug_chapters
    industries = ctx.policy.entry.drug_industries
    for line in ctx.shipment.declared_lines:
        if line.hts_code is None:
            continue
        number = digits(line.hts_code)
        evidence = {"line": line.line_number, "hts_code": line.hts_code}
        if len(number) != HTS_DIGITS or number != line.hts_code.replace(".", "").strip():
            yield Finding(
                "R36",
                Severity.LOW,
                f"Line {line.line_number}: HTS code {line.hts_code!r} is not a 10-digit HTS "
                "number.",
                {**evidence, "check": "format"},
            )
            if len(number) < 2:
                continue
        chapter = number[:2]
        if chapter in chapters:
            continue
        industry = industry_of(line.fda_product_code)
        rx = [p for p in line_products(ctx, line) if is_prescription(p, ctx.policy)]
        if rx:
            yield Finding(
                "R36",
                Severity.MEDIUM,
                f"Line {line.line_number} holds prescription drug NDC "
                f"{', '.join(p.ndc for p in rx)} but is classified under HTS chapter {chapter} "
                f"({line.hts_code}), not a pharmaceutical chapter ({', '.join(sorted(chapters))}).",
                {**evidence, "check": "rx_chapter", "ndcs": [p.ndc for p in rx]},
            )
        elif industry is not None and industry in industries and processing_code(line) == "PRE":
            yield Finding(
                "R36",
                Severity.MEDIUM,
                f"Line {line.line_number} is coded {line.fda_product_code} "
                f"({industry_name(industry)}) but classified under HTS chapter {chapter} "
                f"({line.hts_code}), not a pharmaceutical chapter ({', '.join(sorted(chapters))}).",
                {
                    **evidence,
                    "check": "drug_code_chapter",
                    "fda_product_code": line.fda_product_code,
                },
            )

"""Entry-goods rules: packs whose kind the entry must answer for (foreign-market packs
entered for consumption, controlled substances outside a declared drug line)."""

from __future__ import annotations

from collections.abc import Iterator

from rules.base import Finding, Severity, unit_rule
from rules.context import ScanContext
from rules.entry_lines import industry_name, industry_of, line_keys
from rules.identifier import foreign_pack_reasons
from rules.product import describe_pack, pack_evidence


@unit_rule("R37", "FOREIGN_PACK_FOR_CONSUMPTION")
def foreign_pack_for_consumption(ctx: ScanContext) -> Iterator[Finding]:
    """A pack made for another market is entered for consumption with no shortage or IND
    basis: an unapproved new drug, refused under FD&C §505(a) and §801(a), not an oddity.

    Lawful bases: the NDC Directory category for shortage importation, or an IND
    on an investigational line (docs/entry-data.md).
    """
    shipment = ctx.shipment
    entry_type = (shipment.entry_type or "").strip()
    if entry_type not in ctx.policy.entry.consumption_entry_types:
        return
    interpretation = ctx.interpretation
    reasons = foreign_pack_reasons(interpretation)
    # A shortage import (the pack's own listing or its declared line) or an IND.
    if not reasons or ctx.lawful_foreign_basis is not None:
        return
    product = ctx.product
    yield Finding(
        "R37",
        Severity.CRITICAL,
        f"{describe_pack(interpretation, product)} is a pack for another market "
        f"({'; '.join(reasons)}) on consumption entry {shipment.entry_number} (type "
        f"{entry_type}), with no shortage importation or IND to make it lawful: an unapproved "
        "drug. Detain.",
        {**pack_evidence(interpretation), "entry_type": entry_type, "reasons": reasons},
    )


@unit_rule("R38", "CONTROLLED_SUBSTANCE_UNDECLARED")
def controlled_substance_undeclared(ctx: ScanContext) -> Iterator[Finding]:
    """A DEA-scheduled controlled substance is found outside any declared drug line: smuggling
    of a controlled substance, for CBP and DEA rather than a drug review.

    21 U.S.C. 952 and 21 CFR 1312 (import of controlled substances needs DEA
    authority); directory DEASCHEDULE (docs/entry-data.md).
    """
    product = ctx.product
    if product is None or not product.dea_schedule:
        return
    ndc10 = ctx.interpretation.ndc10 or product.ndc10.replace("-", "")
    industries = ctx.policy.entry.drug_industries
    lines = [line for line in ctx.shipment.declared_lines if ndc10 in line_keys(line)]
    drug_lines = [
        line
        for line in lines
        if (industry := industry_of(line.fda_product_code)) is None or industry in industries
    ]
    if drug_lines:
        return
    if lines:
        industry = industry_of(lines[0].fda_product_code) or ""
        where = (
            f"declared on line {lines[0].line_number} as {lines[0].fda_product_code} "
            f"({industry_name(industry)})"
        )
    else:
        where = f"not declared on entry {ctx.shipment.entry_number}"
    yield Finding(
        "R38",
        Severity.CRITICAL,
        f"{describe_pack(ctx.interpretation, product)} is a schedule {product.dea_schedule} "
        f"controlled substance {where}: hold and refer to CBP/DEA.",
        {
            **pack_evidence(ctx.interpretation),
            "dea_schedule": product.dea_schedule,
            "declared_lines": [line.line_number for line in lines],
            "referral": "CBP/DEA",
        },
    )

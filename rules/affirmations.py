"""Affirmation of compliance rules: are the affirmations a line needs there, well formed,
and true of the product (drug listing, application number)?"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from rules.base import Finding, Severity, shipment_rule
from rules.context import Affirmation, DeclaredLineFacts, ProductFacts, ShipmentContext
from rules.entry_lines import digits, line_keys, line_products, processing_code
from rules.freshness import NDC_FINISHED, is_loaded
from rules.product import product_name

FORMATS = {
    "DA": (re.compile(r"^[0-9]{6}$"), "6 digits (the NDA, ANDA or BLA number)"),
    "DLS": (re.compile(r"^[0-9]{10}$"), "10 digits (the NDC without hyphens)"),
    "REG": (re.compile(r"^[0-9]{9}$"), "9 digits (the establishment's DUNS)"),
    "IND": (re.compile(r"^[0-9]{6}$"), "6 digits (the IND number)"),
}
"""Qualifier formats of the drug affirmations (docs/entry-data.md)."""
APPLICATION = re.compile(r"^(NDA|ANDA|BLA)\s*([0-9]+)$")
UNAPPROVED = "UNAPPROVED"


def _qualifier(affirmation: Affirmation) -> str:
    return (affirmation.qualifier or "").strip()


def _evidence(line: DeclaredLineFacts, check: str, **extra: Any) -> dict[str, Any]:
    return {
        "line": line.line_number,
        "check": check,
        "affirmations": [{"code": a.code, "qualifier": a.qualifier} for a in line.affirmations],
        **extra,
    }


@shipment_rule("R33", "AOFC_MISSING_OR_MALFORMED")
def affirmations_missing_or_malformed(ctx: ShipmentContext) -> Iterator[Finding]:
    """A line lacks an affirmation its processing code and intended use require, or one is
    malformed: FDA cannot check listing, approval or registration, the screening it exists for.

    FDA affirmation-of-compliance requirements for drugs by intended use and
    processing code (matrix in the policy `[entry]`; docs/entry-data.md).
    """
    requirements = ctx.policy.entry.affirmations_required
    for line in ctx.shipment.declared_lines:
        present = {a.code.strip().upper() for a in line.affirmations if _qualifier(a)}
        processing = processing_code(line)
        for requirement in requirements:
            if processing is None or not requirement.applies(processing, line.intended_use_code):
                continue
            missing = [code for code in requirement.all_of if code not in present]
            if requirement.one_of and not present & set(requirement.one_of):
                missing.append(" or ".join(requirement.one_of))
            if missing:
                use = f", intended use {line.intended_use_code}" if line.intended_use_code else ""
                yield Finding(
                    "R33",
                    Severity.MEDIUM,
                    f"Line {line.line_number} (processing code {processing}{use}) lacks the "
                    f"affirmation(s) {', '.join(missing)} that FDA requires for it.",
                    _evidence(line, "missing", missing=missing),
                )
        for affirmation in line.affirmations:
            yield from _malformed(line, affirmation)


def _malformed(line: DeclaredLineFacts, affirmation: Affirmation) -> Iterator[Finding]:
    code = affirmation.code.strip().upper()
    qualifier = _qualifier(affirmation)
    if code not in FORMATS:
        return
    pattern, expected = FORMATS[code]
    if pattern.match(qualifier):
        return
    yield Finding(
        "R33",
        Severity.LOW,
        f"Line {line.line_number}: affirmation {code} {qualifier!r} is malformed; "
        f"{code} takes {expected}.",
        _evidence(line, "format", code=code, qualifier=affirmation.qualifier),
    )


@shipment_rule("R34", "DLS_NOT_LISTED_OR_MISMATCHED")
def drug_listing_mismatch(ctx: ShipmentContext) -> Iterator[Finding]:
    """The Drug Listing affirmation (DLS) names an NDC that is not listed, or not the NDC the
    line declares: the most common FDA refusal charge, NOT LISTED.

    FD&C §502(o) and §510(j) (drug listing); DLS is the 10-digit NDC
    (docs/entry-data.md). Listing is checked only with the directory loaded.
    """
    directory = is_loaded(ctx.datasets, NDC_FINISHED)
    for line in ctx.shipment.declared_lines:
        for affirmation in line.affirmed("DLS"):
            ndc10 = digits(affirmation.qualifier)
            if len(ndc10) != 10:
                continue  # malformed: R33
            if directory and ndc10 not in ctx.declared_products:
                yield Finding(
                    "R34",
                    Severity.HIGH,
                    f"Line {line.line_number}: the drug listing affirmed (DLS {ndc10}) is not in "
                    "the FDA NDC Directory: the product is not listed (charge NOT LISTED).",
                    _evidence(line, "not_listed", dls=ndc10),
                )
                continue
            keys = line_keys(line) if line.ndc else frozenset()
            if keys and ndc10 not in keys:
                declared = ctx.declared_products.get(next(iter(sorted(keys))))
                named = f" ({declared.ndc})" if declared else ""
                yield Finding(
                    "R34",
                    Severity.HIGH,
                    f"Line {line.line_number}: DLS {ndc10} is not the NDC the line declares and "
                    f"its packs carry ({line.ndc}{named}).",
                    _evidence(line, "mismatch", dls=ndc10, declared_ndc=line.ndc),
                )


@shipment_rule("R35", "DA_MISMATCH")
def application_mismatch(ctx: ShipmentContext) -> Iterator[Finding]:
    """The application affirmed (DA) is not the one the NDC Directory gives the product, or the
    product is marketed unapproved: the charge UNAPPROVED (FD&C §505(a)).

    The DA qualifier is the NDA, ANDA or BLA number; the directory's
    APPLICATIONNUMBER and MARKETINGCATEGORYNAME say what the product really has
    (docs/entry-data.md).
    """
    for line in ctx.shipment.declared_lines:
        affirmed = line.affirmed("DA")
        if not affirmed:
            continue
        products = line_products(ctx, line)
        for affirmation in affirmed:
            number = digits(affirmation.qualifier)
            if not number:
                continue  # malformed: R33
            for product in products:
                yield from _against_product(line, number, affirmation, product)


def _against_product(
    line: DeclaredLineFacts, number: str, affirmation: Affirmation, product: ProductFacts
) -> Iterator[Finding]:
    category = product.marketing_category or "unknown marketing category"
    application = APPLICATION.match((product.application_number or "").strip().upper())
    evidence = _evidence(
        line,
        "",
        da=affirmation.qualifier,
        ndc=product.ndc,
        application_number=product.application_number,
        marketing_category=product.marketing_category,
    )
    if category.upper().startswith(UNAPPROVED) or application is None:
        yield Finding(
            "R35",
            Severity.HIGH,
            f"Line {line.line_number} affirms approved application DA {affirmation.qualifier}, "
            f"but NDC {product.ndc} ({product_name(product)}) is marketed as {category} "
            f"with {product.application_number or 'no application number'}: no approved "
            "application covers it.",
            {**evidence, "check": "unapproved"},
        )
        return
    kind, listed = application.groups()
    if int(number) != int(listed):
        yield Finding(
            "R35",
            Severity.HIGH,
            f"Line {line.line_number} affirms DA {affirmation.qualifier}, but NDC {product.ndc} "
            f"({product_name(product)}, {product.labeler_name or 'labeler unknown'}) is approved "
            f"under {kind} {listed}: the application declared is not the product's.",
            {**evidence, "check": "mismatch"},
        )

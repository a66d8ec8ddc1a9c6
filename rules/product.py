"""Product rules: what the FDA NDC Directory says about the scanned NDC.

Also holds the helpers other families use to name a pack in a message and to
decide whether a prescription-only rule applies.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from inspect_core.interpret import Interpretation
from inspect_core.interpret.symbology import GS1_DATAMATRIX
from rules.base import Finding, Severity, unit_rule
from rules.context import ProductFacts, ScanContext
from rules.freshness import NDC_FINISHED, NDC_LISTS, is_loaded

if TYPE_CHECKING:
    from rules.policy import RulePolicy

UNKNOWN_PRODUCT_NOTE = (
    "The product could not be identified in the NDC Directory, so it is treated as a "
    "prescription drug."
)
EXCLUDE_FLAG_SEVERITY = {"E": Severity.MEDIUM, "I": Severity.HIGH, "Y": Severity.HIGH}
EXCLUDE_FLAG_MEANING = {
    "E": "listing certification expired",
    "I": "listing inactivated by FDA",
    "Y": "listing found non-compliant by FDA",
}
_NON_SALEABLE_CATEGORIES = ("UNAPPROVED", "EXPORT ONLY")


def product_name(product: ProductFacts) -> str:
    """The proprietary name, else the nonproprietary name, else the NDC."""
    return product.proprietary_name or product.nonproprietary_name or product.ndc


def describe_pack(interpretation: Interpretation, product: ProductFacts | None) -> str:
    """Name a scanned pack for a message: its GTIN or NDC, plus the product when known.

    >>> describe_pack(Interpretation(raw="", gtin="00300021407018"), None)
    'GTIN 00300021407018'
    """
    if interpretation.gtin:
        label = f"GTIN {interpretation.gtin}"
    elif interpretation.ndc or interpretation.ndc10:
        label = f"NDC {interpretation.ndc or interpretation.ndc10}"
    else:
        label = "the scanned item"
    if product is not None:
        label += f" (NDC {product.ndc} {product_name(product)})"
    return label


def pack_evidence(interpretation: Interpretation) -> dict[str, Any]:
    """The identifiers of a scan, for a finding's evidence."""
    return {
        "gtin": interpretation.gtin,
        "ndc10": interpretation.ndc10,
        "serial": interpretation.serial,
        "lot": interpretation.lot,
        "expiry": interpretation.expiry.isoformat() if interpretation.expiry else None,
    }


def rx_applies(product: ProductFacts | None, policy: RulePolicy) -> tuple[bool, bool]:
    """(a prescription-only rule applies, the Rx status is only assumed).

    A product is prescription when its directory product type is one of the
    policy's `rx_product_types` (human prescription drugs, vaccines, plasma
    derivatives, cellular therapies ...). An unidentified product is treated
    as prescription: a drug import whose product cannot be named must not
    pass the Rx checks by default.
    """
    if product is None:
        return True, True
    return is_prescription(product, policy), False


def is_prescription(product: ProductFacts, policy: RulePolicy) -> bool:
    """The directory product type is one of the policy's prescription product types."""
    return (product.product_type or "").strip().upper() in policy.rx_product_types


@unit_rule("R7", "NDC_NOT_IN_DIRECTORY")
def ndc_not_in_directory(ctx: ScanContext) -> Iterator[Finding]:
    """The scanned NDC is in no NDC Directory list: unlisted product, unapproved or fabricated.

    Runs only when the finished-drug directory is loaded (otherwise R0 reports
    it); FD&C §510(j) drug listing; resolution in docs/identifiers.md §2.3.
    """
    interpretation = ctx.interpretation
    if (
        ctx.product is not None
        or not interpretation.ndc10
        or not is_loaded(ctx.datasets, NDC_FINISHED)
    ):
        return
    not_checked = [name for name in NDC_LISTS if not is_loaded(ctx.datasets, name)]
    candidates = list(interpretation.ndc_candidates) or [interpretation.ndc or interpretation.ndc10]
    message = (
        f"NDC {' / '.join(candidates)} of {describe_pack(interpretation, None)} is not listed "
        "in the FDA NDC Directory"
    )
    if not_checked:
        message += f" (the lists {', '.join(not_checked)} are not loaded and were not checked)"
    yield Finding(
        "R7",
        Severity.HIGH,
        message + ".",
        {**pack_evidence(interpretation), "candidates": candidates, "not_checked": not_checked},
    )


@unit_rule("R8", "NDC_EXCLUDED_LISTING")
def ndc_excluded_listing(ctx: ScanContext) -> Iterator[Finding]:
    """The NDC is only in FDA's excluded listings: its listing is expired, inactivated or rejected.

    Flag E medium, I and Y high (FDA NDC Directory, NDC_EXCLUDE_FLAG).
    """
    product = ctx.product
    if product is None or product.variant != "excluded":
        return
    flag = (product.exclude_flag or "").upper()
    meaning = EXCLUDE_FLAG_MEANING.get(flag, "listing not current")
    yield Finding(
        "R8",
        EXCLUDE_FLAG_SEVERITY.get(flag, Severity.MEDIUM),
        f"NDC {product.ndc} ({product_name(product)}) appears only in FDA's excluded "
        f"listings, flag {flag or 'none'}: {meaning}.",
        {**pack_evidence(ctx.interpretation), "ndc": product.ndc, "exclude_flag": flag or None},
    )


@unit_rule("R8b", "UNFINISHED_DRUG_IN_FINISHED_PACK")
def unfinished_drug_in_pack(ctx: ScanContext) -> Iterator[Finding]:
    """A bulk ingredient or drug for further processing arrives as a saleable, serialised pack.

    APIs lawfully carry unfinished NDCs and no DSCSA identifier (they are checked
    on registration, application and import alerts); only a serial, or a full
    DataMatrix pack identifier, marks the API passed off as a finished drug
    (FDA NDC Directory unfinished-drug files; FD&C §581(13) "finished dosage form").
    """
    product = ctx.product
    if product is None or product.variant != "unfinished":
        return
    interpretation = ctx.interpretation
    if not _saleable_pack(interpretation):
        return
    yield Finding(
        "R8b",
        Severity.HIGH,
        f"NDC {product.ndc} ({product_name(product)}) is listed only as an unfinished drug "
        f"({product.marketing_category or product.product_type or 'unfinished'}) but was "
        f"scanned as a saleable, serialised pack: {describe_pack(interpretation, None)}.",
        {
            **pack_evidence(interpretation),
            "ndc": product.ndc,
            "marketing_category": product.marketing_category,
        },
    )


def _saleable_pack(interpretation: Interpretation) -> bool:
    """A serial, or a DataMatrix with GTIN, lot and expiry: the identifier of a saleable pack."""
    if interpretation.serial:
        return True
    return (
        interpretation.symbology == GS1_DATAMATRIX
        and interpretation.gtin is not None
        and interpretation.lot is not None
        and interpretation.expiry is not None
    )


@unit_rule("R20", "CONTROLLED_SUBSTANCE")
def controlled_substance(ctx: ScanContext) -> Iterator[Finding]:
    """The product is a DEA-scheduled controlled substance: import needs DEA authority (refer).

    21 CFR 1312 (importation of controlled substances); directory DEASCHEDULE.
    """
    product = ctx.product
    if product is None or not product.dea_schedule:
        return
    yield Finding(
        "R20",
        Severity.HIGH,
        f"{describe_pack(ctx.interpretation, product)} is a schedule {product.dea_schedule} "
        "controlled substance: refer to CBP/DEA for import authority.",
        {**pack_evidence(ctx.interpretation), "dea_schedule": product.dea_schedule},
    )


def _watchlist_hits(
    product: ProductFacts, substances: tuple[str, ...], classes: tuple[str, ...]
) -> list[str]:
    return list(
        _hits_in(
            product.substances,
            product.nonproprietary_name,
            product.pharm_classes,
            substances,
            classes,
        )
    )


@lru_cache(maxsize=4096)
def _hits_in(
    substance_names: str | None,
    nonproprietary_name: str | None,
    pharm_classes: str | None,
    substances: tuple[str, ...],
    classes: tuple[str, ...],
) -> tuple[str, ...]:
    """Watchlist entries a product's names and classes match; remembered, since the packs
    of a shipment share a few products and the watchlist is matched by regular expression."""
    names = " ".join(filter(None, (substance_names, nonproprietary_name))).upper()
    hits = [name for name in substances if re.search(rf"\b{re.escape(name.upper())}\b", names)]
    lowered_classes = (pharm_classes or "").lower()
    hits += [name for name in classes if name.lower() in lowered_classes]
    return tuple(hits)


@unit_rule("R22", "HIGH_RISK_PRODUCT_CLASS")
def high_risk_product_class(ctx: ScanContext) -> Iterator[Finding]:
    """The active ingredient or class is on the watchlist of historically counterfeited drugs.

    Watchlist from the policy (docs/rules.md, "Watch list").
    """
    product = ctx.product
    if product is None:
        return
    hits = _watchlist_hits(product, ctx.policy.watch_substances, ctx.policy.watch_pharm_classes)
    if hits:
        yield Finding(
            "R22",
            Severity.LOW,
            f"{describe_pack(ctx.interpretation, product)} contains {', '.join(hits)}, "
            "on the watchlist of often counterfeited products.",
            {**pack_evidence(ctx.interpretation), "watchlist_matches": hits},
        )


@unit_rule("R23", "SAMPLE_OR_NON_SALEABLE_PACK")
def sample_or_non_saleable(ctx: ScanContext) -> Iterator[Finding]:
    """A sample package, or a product marketed unapproved or for export only, is not for US sale.

    PDMA (FD&C §503(c)(1)) forbids selling drug samples; directory SAMPLE_PACKAGE
    and MARKETINGCATEGORYNAME.
    """
    product = ctx.product
    if product is None:
        return
    reasons = []
    if product.sample_package:
        reasons.append("it is listed as a sample package, which may not be sold")
    category = (product.marketing_category or "").strip().upper()
    lawful = category in ctx.policy.lawful_unapproved_categories
    if not lawful and any(marker in category for marker in _NON_SALEABLE_CATEGORIES):
        reasons.append(f"its marketing category is {product.marketing_category}")
    evidence = {
        **pack_evidence(ctx.interpretation),
        "sample_package": product.sample_package,
        "marketing_category": product.marketing_category,
    }
    label = describe_pack(ctx.interpretation, product)
    if reasons:
        yield Finding("R23", Severity.MEDIUM, f"{label}: {'; '.join(reasons)}.", evidence)
    elif lawful:
        basis = ctx.lawful_foreign_basis
        why = basis.reason if basis else "a category under which the product is lawfully marketed"
        yield Finding(
            "R23",
            Severity.INFO,
            f"{label} is marketed as {product.marketing_category}: {why}. Not a risk in itself.",
            {**evidence, "lawful_category": True},
        )

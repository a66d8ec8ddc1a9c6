"""Reading the entry's declared lines: product codes, NDC keys, the packs scanned on a line.

Pure helpers shared by the entry-data rule families (no rules here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from inspect_core.ndc import normalise_declared_ndc
from rules.context import DeclaredLineFacts, ProductFacts, ShipmentContext

PRODUCT_CODE = re.compile(r"^(\d{2})([A-Z0-9])([A-Z-])([A-Z-])([A-Z0-9]{2})$")
"""FDA product code: industry, class, subclass, process indicator (PIC), product."""

INDUSTRY_NAMES = {
    "53": "cosmetics",
    "54": "vitamins, minerals and dietary supplements",
    "55": "pharmaceutical necessities and containers",
    "56": "antibiotics",
    "57": "biologics (CBER)",
    "58": "therapeutic biologics (CDER)",
}
"""Industry codes named in messages; 60-66 are human and animal drugs."""


@dataclass(frozen=True)
class ProductCode:
    industry: str
    product_class: str
    subclass: str
    pic: str
    product: str

    @classmethod
    def parse(cls, text: str | None) -> ProductCode | None:
        """The five fields of a well-formed code, else None.

        >>> ProductCode.parse("60LCA01").subclass
        'C'
        >>> ProductCode.parse("60-LC-A01") is None
        True
        """
        match = PRODUCT_CODE.match((text or "").strip().upper())
        return cls(*match.groups()) if match else None


def industry_of(text: str | None) -> str | None:
    """The two industry digits a product code starts with, even when the rest is malformed."""
    value = (text or "").strip()
    return value[:2] if len(value) >= 2 and value[:2].isdigit() else None


def industry_name(industry: str) -> str:
    if industry in INDUSTRY_NAMES:
        return INDUSTRY_NAMES[industry]
    if "60" <= industry <= "66":
        return "drugs"
    return f"industry {industry}"


def line_keys(line: DeclaredLineFacts) -> frozenset[str]:
    """The 10-digit NDCs a declared line may stand for (one, once the form settles it)."""
    if line.ndc10:
        return frozenset({line.ndc10})
    declared = normalise_declared_ndc(line.ndc) if line.ndc else None
    return frozenset(declared.candidates) if declared else frozenset()


def is_drug_line(line: DeclaredLineFacts, drug_industries: frozenset[str]) -> bool:
    """The line declares a drug: an NDC (or DLS), or a drug industry product code."""
    if line_keys(line):
        return True
    industry = industry_of(line.fda_product_code)
    return industry is not None and industry in drug_industries


def line_products(ctx: ShipmentContext, line: DeclaredLineFacts) -> list[ProductFacts]:
    """What the directory says the line holds: its declared NDC, and the packs scanned on it."""
    keys = line_keys(line)
    found: dict[str, ProductFacts] = {}
    for key in sorted(keys):
        if key in ctx.declared_products:
            product = ctx.declared_products[key]
            found[product.ndc] = product
    for lot in ctx.tally.lots:
        if lot.product is not None and lot.ndc10_or_product in keys:
            found.setdefault(lot.product.ndc, lot.product)
    return list(found.values())


def processing_code(line: DeclaredLineFacts) -> str | None:
    code = (line.processing_code or "").strip().upper()
    return code or None


def digits(text: str | None) -> str:
    return "".join(ch for ch in (text or "") if ch.isdigit())

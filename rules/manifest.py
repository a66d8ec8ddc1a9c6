"""Manifest rules: what was scanned against what the entry declared."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from inspect_core.datasets import REGISTRATIONS
from rules.base import Finding, Severity, shipment_rule
from rules.context import DeclaredLineFacts, ShipmentContext
from rules.entry_lines import industry_name, industry_of, is_drug_line
from rules.entry_lines import line_keys as _line_keys
from rules.freshness import is_loaded
from rules.import_alerts import same_firm_name
from rules.product import is_prescription
from rules.registration import party_identifiers, registration_of
from rules.tally import LotTally

PACKAGE_UNITS = frozenset(
    {"", "ea", "each", "pk", "pkg", "pkgs", "package", "packages", "pack", "packs", "unit",
     "units", "pc", "pcs", "piece", "pieces", "box", "boxes", "carton", "cartons"}
)  # fmt: skip
"""Declared units that count packs, so that a count of scanned serials compares with them."""
DECLARED_PARTIES = ("manufacturer", "shipper")


@shipment_rule("R15", "ENTRY_NDC_MISMATCH")
def entry_ndc_mismatch(ctx: ShipmentContext) -> Iterator[Finding]:
    """A scanned NDC is not declared on the entry, or prescription packs are found on an entry
    that declares no drug: misdeclaration hides the true product.

    FDA entry data: the Drug Listing (DLS) affirmation carries the NDC and the
    product code names the industry (docs/entry-data.md). A shipment with
    neither lines nor an entry type (a parcel, a bare manifest) declares
    nothing to contradict.
    """
    lines = ctx.shipment.declared_lines
    industries = ctx.policy.entry.drug_industries
    if not any(is_drug_line(line, industries) for line in lines):
        yield from _no_drug_declared(ctx)
        return
    declared = frozenset().union(*(_line_keys(line) for line in lines))
    undeclared: dict[str, list[LotTally]] = {}
    for lot in ctx.tally.lots:
        ndc10 = lot.ndc10_or_product
        if ndc10 and ndc10 not in declared:
            undeclared.setdefault(ndc10, []).append(lot)
    if not undeclared:
        return
    names = [_ndc_name(ctx, ndc10) for ndc10 in undeclared]
    shown = [line.ndc or line.ndc10 or f"line {line.line_number}" for line in lines]
    yield Finding(
        "R15",
        Severity.HIGH,
        f"Scanned NDC {', '.join(names)} not declared on entry "
        f"{ctx.shipment.entry_number} (declared: {', '.join(shown)}).",
        {
            "entry_number": ctx.shipment.entry_number,
            "undeclared": [{"ndc10": k, **_scans_of(v)} for k, v in undeclared.items()],
            "declared": shown,
        },
    )


def _no_drug_declared(ctx: ShipmentContext) -> Iterator[Finding]:
    """Prescription packs scanned on an entry whose lines declare no drug (or that has none)."""
    shipment = ctx.shipment
    lines = shipment.declared_lines
    if not lines and shipment.entry_type is None:
        return
    rx: dict[str, list[LotTally]] = {}
    for lot in ctx.tally.lots:
        if lot.product is not None and is_prescription(lot.product, ctx.policy):
            rx.setdefault(lot.product.ndc, []).append(lot)
    if not rx:
        return
    if lines:
        declared = (
            "declares only non-drug lines ("
            + "; ".join(f"line {line.line_number}: {_line_goods(line)}" for line in lines)
            + ")"
        )
    else:
        declared = "declares no lines"
    yield Finding(
        "R15",
        Severity.HIGH,
        f"Prescription drug packs (NDC {', '.join(rx)}) were scanned, but entry "
        f"{shipment.entry_number} {declared}: the goods are declared as something else.",
        {
            "entry_number": shipment.entry_number,
            "check": "no_drug_line",
            "undeclared": [{"ndc": k, **_scans_of(v)} for k, v in rx.items()],
            "declared": [
                {
                    "line": line.line_number,
                    "fda_product_code": line.fda_product_code,
                    "description": line.description,
                }
                for line in lines
            ],
        },
    )


def _scans_of(lots: list[LotTally]) -> dict[str, int]:
    """How many scans the lots hold and the first of them, for evidence."""
    return {
        "scan_count": sum(lot.scans for lot in lots),
        "first_scan_id": min(lot.first_scan_id for lot in lots),
    }


def _line_goods(line: DeclaredLineFacts) -> str:
    parts = []
    if line.fda_product_code:
        industry = industry_of(line.fda_product_code)
        named = f" ({industry_name(industry)})" if industry else ""
        parts.append(f"product code {line.fda_product_code}{named}")
    if line.description:
        parts.append(repr(line.description))
    return ", ".join(parts) or "no product code"


def _ndc_name(ctx: ShipmentContext, ndc10: str) -> str:
    for lot in ctx.tally.lots:
        if lot.product is not None and lot.ndc10_or_product == ndc10:
            return lot.product.ndc
    return ndc10


@shipment_rule("R16", "ENTRY_QUANTITY_OR_PARTY_MISMATCH")
def entry_quantity_or_party_mismatch(ctx: ShipmentContext) -> Iterator[Finding]:
    """More packs than declared or an undeclared labeler: over-shipping, substitution, false source.

    Only excess is judged: scanning may still be under way, so fewer scans than
    declared is no finding. Tolerance from the policy.
    """
    yield from _quantity_excess(ctx)
    yield from _party_mismatch(ctx)


def _quantity_excess(ctx: ShipmentContext) -> Iterator[Finding]:
    declared: dict[frozenset[str], list[DeclaredLineFacts]] = {}
    for line in ctx.shipment.declared_lines:
        if (line.unit or "").strip().lower() in PACKAGE_UNITS:
            declared.setdefault(_line_keys(line), []).append(line)
    tolerance = ctx.policy.quantity_tolerance_pct
    for keys, lines in declared.items():
        quantity = sum(line.quantity for line in lines)
        serials = sum(
            lot.packs
            for lot in ctx.tally.lots
            if lot.gtin_indicator == "0" and lot.ndc10_or_product in keys
        )
        if serials <= quantity * (1 + tolerance / 100):
            continue
        ndc = lines[0].ndc
        yield Finding(
            "R16",
            Severity.MEDIUM,
            f"{serials} distinct serialised packs of NDC {ndc} were scanned, but entry "
            f"{ctx.shipment.entry_number} declares {quantity} (tolerance {tolerance:g} %).",
            {
                "check": "quantity",
                "ndc": ndc,
                "declared_quantity": quantity,
                "scanned_serials": serials,
                "tolerance_pct": tolerance,
                "lines": [line.line_number for line in lines],
            },
        )


def _party_mismatch(ctx: ShipmentContext) -> Iterator[Finding]:
    """A labeler other than the declared parties: information, unless registration contradicts.

    Private label, contract manufacturing and corporate divisions make a
    labeler that is not the manufacturer ordinary (a pharmacy chain's product
    made in India). It weighs only when the registration file says the declared
    manufacturer is not registered, or not registered to make, pack or label.
    """
    parties: dict[str, str] = {}
    for role in DECLARED_PARTIES:
        name = (ctx.shipment.parties.get(role) or {}).get("name")
        if isinstance(name, str) and name.strip():
            parties[role] = name
    if not parties:
        return
    labelers: dict[str, list[str]] = {}
    for product in ctx.tally.products:
        if product.labeler_name:
            labelers.setdefault(product.labeler_name, [])
            if product.ndc not in labelers[product.labeler_name]:
                labelers[product.labeler_name].append(product.ndc)
    contradiction = _registration_contradiction(ctx)
    for labeler, ndcs in labelers.items():
        if any(same_firm_name(labeler, name) for name in parties.values()):
            continue
        declared = ", ".join(f"{role} {name}" for role, name in parties.items())
        evidence: dict[str, Any] = {
            "check": "party",
            "labeler_name": labeler,
            "ndcs": ndcs,
            "declared_parties": parties,
            "registration": contradiction,
        }
        message = (
            f"NDC {', '.join(ndcs)} is listed by {labeler}, which matches neither declared "
            f"party ({declared}) of entry {ctx.shipment.entry_number}"
        )
        if contradiction is None:
            yield Finding(
                "R16",
                Severity.INFO,
                message + ": usual for private label, contract manufacturing or a corporate "
                "division; information only.",
                evidence,
            )
        else:
            yield Finding("R16", Severity.MEDIUM, f"{message}, and {contradiction}.", evidence)


def _registration_contradiction(ctx: ShipmentContext) -> str | None:
    """Why the registration file contradicts the declared manufacturer, or None."""
    if not is_loaded(ctx.datasets, REGISTRATIONS):
        return None
    manufacturer = ctx.shipment.parties.get("manufacturer") or {}
    registration = registration_of(ctx, party_identifiers(manufacturer))
    if registration.status in ("unregistered", "lapsed"):
        return "the declared manufacturer is not currently registered with FDA"
    operations = ctx.policy.registration.manufacturing_operations
    if registration.status == "registered" and not registration.manufactures(operations):
        listed = sorted({op for est in registration.current for op in est.operations})
        return (
            "the declared manufacturer is registered only for "
            f"{', '.join(listed) or 'no operation'}, not to make, pack or label drugs"
        )
    return None

"""Aggregation rules: a scan checked against the shipper's EPCIS data (pallet -> case -> pack).

DSCSA enhanced security (FD&C §582(g)(1)) has transaction information carry the
product identifier of every package, exchanged as EPCIS events; a homogeneous
case holds one NDC and one lot (docs/epcis.md). These rules run only when the
shipment has EPCIS data attached.
"""

from __future__ import annotations

from collections.abc import Iterator

from rules.base import Finding, Severity, shipment_rule, unit_rule
from rules.context import ScanContext, ShipmentContext
from rules.product import pack_evidence


def _item_code(gtin: str) -> str:
    """Company prefix + item reference of a GTIN, without indicator and check digit."""
    return gtin[1:13]


@unit_rule("R18b", "UNIT_NOT_IN_EPCIS")
def unit_not_in_epcis(ctx: ScanContext) -> Iterator[Finding]:
    """A serialised pack that the shipper's EPCIS data for this shipment does not name.

    The shipper's transaction information lists every package shipped (§582(g)(1));
    a pack outside it was added, substituted or carries a made-up serial.
    """
    facts, interpretation = ctx.epcis, ctx.interpretation
    if facts is None or not facts.attached or facts.item is not None:
        return
    if interpretation.level != "pack" or not interpretation.gtin or not interpretation.serial:
        return
    yield Finding(
        "R18b",
        Severity.HIGH,
        f"Pack GTIN {interpretation.gtin} serial {interpretation.serial} is not in the "
        "shipper's EPCIS data for this shipment: it was not shipped as declared.",
        pack_evidence(interpretation),
    )


@unit_rule("R17b", "PACK_NOT_AS_SHIPPED")
def pack_not_as_shipped(ctx: ScanContext) -> Iterator[Finding]:
    """A pack the EPCIS data names, but with another lot or expiry, or found in another case.

    The label and the shipper's commissioning data must agree (lot and expiry are
    set at commissioning); a pack in a case other than the one it was packed into
    was moved after packing (docs/epcis.md).
    """
    facts, interpretation = ctx.epcis, ctx.interpretation
    if facts is None or facts.item is None or facts.item.level != "pack":
        return
    item = facts.item
    reasons = []
    if interpretation.lot and item.lot and interpretation.lot != item.lot:
        reasons.append(f"lot {interpretation.lot} where the EPCIS data says {item.lot}")
    if interpretation.expiry and item.expiry and interpretation.expiry != item.expiry:
        reasons.append(
            f"expiry {interpretation.expiry.isoformat()} where the EPCIS data says "
            f"{item.expiry.isoformat()}"
        )
    if facts.opened_case and facts.opened_case != item.container:
        where = item.container or "no case"
        reasons.append(f"found after opening case {facts.opened_case}, but packed into {where}")
    if not reasons:
        return
    # Lot or expiry against the shipper's own data is hard evidence; a pack found
    # after another case was opened may also have been picked from elsewhere.
    moved_only = (
        len(reasons) == 1 and facts.opened_case is not None and reasons[0].startswith("found")
    )
    yield Finding(
        "R17b",
        Severity.MEDIUM if moved_only else Severity.HIGH,
        f"Pack GTIN {interpretation.gtin} serial {interpretation.serial}: {'; '.join(reasons)}.",
        {
            **pack_evidence(interpretation),
            "expected_lot": item.lot,
            "expected_expiry": item.expiry.isoformat() if item.expiry else None,
            "expected_case": item.container,
            "opened_case": facts.opened_case,
        },
    )


@unit_rule("R17", "MIXED_CASE")
def mixed_case(ctx: ScanContext) -> Iterator[Finding]:
    """A scanned case whose packs (per the EPCIS data) have more than one NDC or lot.

    A homogeneous case holds a single product and lot; its label's lot must be
    its packs' lot. A mixed case hides substituted product among genuine packs.
    """
    facts, interpretation = ctx.epcis, ctx.interpretation
    if facts is None or facts.item is None or facts.item.level != "case":
        return
    contents = facts.contents
    if contents is None or contents.packs == 0:
        return
    reasons = []
    products = sorted({_item_code(g) for g in contents.pack_gtins})
    if len(products) > 1:
        reasons.append(f"{len(products)} products (GTINs {', '.join(contents.pack_gtins)})")
    if len(contents.pack_lots) > 1:
        reasons.append(f"{len(contents.pack_lots)} lots ({', '.join(contents.pack_lots)})")
    label_lot = interpretation.lot
    if label_lot and contents.pack_lots and label_lot not in contents.pack_lots:
        reasons.append(f"label lot {label_lot} but packs of lot {', '.join(contents.pack_lots)}")
    if not reasons:
        return
    yield Finding(
        "R17",
        Severity.HIGH,
        f"Case {facts.item.key} holds {'; '.join(reasons)}: not a homogeneous case.",
        {
            "case": facts.item.key,
            "pack_gtins": list(contents.pack_gtins),
            "pack_lots": list(contents.pack_lots),
            "label_lot": label_lot,
        },
    )


@unit_rule("R18", "CASE_PARENT_CHILD_MISMATCH")
def case_parent_child_mismatch(ctx: ScanContext) -> Iterator[Finding]:
    """A case or pallet label whose GTIN, content GTIN or count disagrees with its contents.

    The case GTIN (indicator 1-8) names the same product as its packs; AI 02 names
    the packs' GTIN and AI 37 (or 30) their number. A mismatch means a repacked
    or tampered case.
    """
    facts, interpretation = ctx.epcis, ctx.interpretation
    if facts is None or facts.item is None or facts.contents is None:
        return
    contents = facts.contents
    reasons = []
    gtin = interpretation.gtin
    if gtin and facts.item.level == "case" and contents.pack_gtins:
        others = [g for g in contents.pack_gtins if _item_code(g) != _item_code(gtin)]
        if others:
            reasons.append(f"case GTIN {gtin} but packs of GTIN {', '.join(others)}")
    content = interpretation.content_gtin
    if content and contents.pack_gtins and set(contents.pack_gtins) != {content}:
        reasons.append(f"content GTIN {content} but packs of {', '.join(contents.pack_gtins)}")
    count = interpretation.count if interpretation.count is not None else None
    if count is None and interpretation.level == "case":
        count = interpretation.variable_count
    if count is not None and count not in (contents.children, contents.packs):
        reasons.append(f"label count {count} but {contents.packs} packs in the EPCIS data")
    if not reasons:
        return
    yield Finding(
        "R18",
        Severity.HIGH,
        f"{facts.item.level.title()} {facts.item.key}: {'; '.join(reasons)}.",
        {
            "container": facts.item.key,
            "label_gtin": gtin,
            "content_gtin": content,
            "label_count": count,
            "children": contents.children,
            "packs": contents.packs,
            "pack_gtins": list(contents.pack_gtins),
        },
    )


@shipment_rule("R18c", "EXPECTED_UNITS_NOT_SEEN")
def expected_units_not_seen(ctx: ShipmentContext) -> Iterator[Finding]:
    """Packs the shipper's EPCIS data lists that no scan has accounted for yet.

    Neither scanned nor inside a case or pallet whose label was scanned: while
    the inspection goes on this is a to-do list (info by default); at the end,
    goods short-shipped or removed. See ``GET /api/v1/shipments/{id}/contents``.
    """
    facts = ctx.epcis
    if facts is None or not ctx.tally.lots or facts.missing_packs == 0:
        return
    yield Finding(
        "R18c",
        Severity.INFO,
        f"{facts.missing_packs} of {facts.expected_packs} packs in the shipper's EPCIS data "
        "have not been seen: neither scanned nor in a scanned case or pallet.",
        {"expected": facts.expected_packs, "missing": facts.missing_packs},
    )

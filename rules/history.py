"""History rules: the same serial or lot seen before, elsewhere or with other data."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rules.base import Finding, Severity, unit_rule
from rules.context import PriorSighting, ScanContext
from rules.product import describe_pack, pack_evidence


def _sighting(prior: PriorSighting) -> dict[str, Any]:
    return {
        "scan_id": prior.scan_id,
        "shipment_id": prior.shipment_id,
        "entry_number": prior.entry_number,
        "lot": prior.lot,
        "expiry": prior.expiry.isoformat() if prior.expiry else None,
        "linked": prior.linked,
    }


def _where(prior: PriorSighting) -> str:
    entry = f" (entry {prior.entry_number})" if prior.entry_number else ""
    return f"shipment {prior.shipment_id}{entry}"


def _other_shipments(ctx: ScanContext) -> list[PriorSighting]:
    return [p for p in ctx.prior_sightings if p.shipment_id != ctx.shipment.id]


def _unrelated_shipments(ctx: ScanContext) -> list[PriorSighting]:
    """Sightings in shipments that are not the same goods under a linked entry."""
    return [p for p in _other_shipments(ctx) if not p.linked]


@unit_rule("R9", "SERIAL_CLONED")
def serial_cloned(ctx: ScanContext) -> Iterator[Finding]:
    """The GTIN+serial was scanned in another shipment: one serial is one pack, so a copy exists.

    DSCSA FD&C §581(20): the serial is unique to one package of the GTIN. A
    shipment under a linked entry (related entry number, same transport
    document) carries the same goods: R39 reports that re-sighting instead.
    """
    interpretation = ctx.interpretation
    others = _unrelated_shipments(ctx)
    if not others or not interpretation.gtin or not interpretation.serial:
        return
    places = ", ".join(_where(prior) for prior in others)
    yield Finding(
        "R9",
        Severity.CRITICAL,
        f"Serial {interpretation.serial} of GTIN {interpretation.gtin} was already scanned "
        f"in {places}: the serial is cloned.",
        {**pack_evidence(interpretation), "other_sightings": [_sighting(p) for p in others]},
    )


@unit_rule("R39", "RESIGHTED_IN_LINKED_ENTRY")
def resighted_in_linked_entry(ctx: ScanContext) -> Iterator[Finding]:
    """The pack was scanned before under a linked entry of the same goods (re-filed entry,
    in-bond then consumption, warehouse or FTZ withdrawal): a re-sighting, not a clone.

    CBP entry types and related entries (docs/entry-data.md); information only.
    """
    interpretation = ctx.interpretation
    linked = [p for p in _other_shipments(ctx) if p.linked]
    if not linked or not interpretation.gtin or not interpretation.serial:
        return
    places = ", ".join(_where(prior) for prior in linked)
    yield Finding(
        "R39",
        Severity.INFO,
        f"Serial {interpretation.serial} of GTIN {interpretation.gtin}: re-sighting in linked "
        f"entry {places} (the same goods under a related entry or transport document).",
        {**pack_evidence(interpretation), "linked_sightings": [_sighting(p) for p in linked]},
    )


@unit_rule("R9b", "SERIAL_DATA_CONFLICT")
def serial_data_conflict(ctx: ScanContext) -> Iterator[Finding]:
    """The GTIN+serial was seen with another lot or expiry: the strongest cloning signal.

    DSCSA FD&C §581(14),(20): a serial belongs to one pack with one lot and one expiry,
    so this holds within one shipment as much as across shipments.
    """
    interpretation = ctx.interpretation
    if not interpretation.gtin or not interpretation.serial:
        return
    conflicts = []
    for prior in (*ctx.shipment_sightings, *_other_shipments(ctx)):
        differences = []
        if interpretation.lot and prior.lot and prior.lot != interpretation.lot:
            differences.append(f"lot {prior.lot} instead of {interpretation.lot}")
        if interpretation.expiry and prior.expiry and prior.expiry != interpretation.expiry:
            differences.append(
                f"expiry {prior.expiry.isoformat()} instead of {interpretation.expiry.isoformat()}"
            )
        if differences:
            conflicts.append((prior, differences))
    if not conflicts:
        return
    described = "; ".join(
        f"in {_where(prior)} with {' and '.join(differences)}" for prior, differences in conflicts
    )
    yield Finding(
        "R9b",
        Severity.CRITICAL,
        f"Serial {interpretation.serial} of GTIN {interpretation.gtin} was seen {described}.",
        {**pack_evidence(interpretation), "conflicts": [_sighting(p) for p, _ in conflicts]},
    )


@unit_rule("R12", "LOT_EXPIRY_INCONSISTENT")
def lot_expiry_inconsistent(ctx: ScanContext) -> Iterator[Finding]:
    """One lot of a GTIN carries two expiries: a lot has one, so packs were relabelled or forged.

    21 CFR 211.137 (one expiration date per batch).
    """
    interpretation = ctx.interpretation
    expiry = interpretation.expiry
    if expiry is None or not interpretation.lot:
        return
    others = sorted({other for other in ctx.lot_expiries if other != expiry})
    if not others:
        return
    yield Finding(
        "R12",
        Severity.HIGH,
        f"Lot {interpretation.lot} of {describe_pack(interpretation, ctx.product)} expires on "
        f"{expiry.isoformat()} here but on {', '.join(d.isoformat() for d in others)} on other "
        "packs.",
        {**pack_evidence(interpretation), "other_expiries": [d.isoformat() for d in others]},
    )

"""Rule-facing views of stored rows."""

from __future__ import annotations

from inspect_svc.models.triage import DeclaredLine, Shipment
from rules.context import Affirmation, DeclaredLineFacts, ShipmentFacts


def shipment_facts(shipment: Shipment) -> ShipmentFacts:
    lines = tuple(_line_facts(line) for line in shipment.declared_lines)
    return ShipmentFacts(
        id=shipment.id,
        entry_number=shipment.entry_number,
        port_code=shipment.port_code,
        mode=shipment.mode,
        origin_country=shipment.origin_country,
        export_country=shipment.export_country,
        parties=shipment.parties,
        declared_lines=lines,
        entry_type=shipment.entry_type,
        transport_document=shipment.transport_document,
        related_entries=tuple(shipment.related_entries or ()),
        arrival_date=shipment.arrival_date,
        lawful_foreign_basis=lawful_foreign_basis(lines),
    )


def _line_facts(line: DeclaredLine) -> DeclaredLineFacts:
    return DeclaredLineFacts(
        line.line_number,
        line.ndc,
        line.ndc10,
        line.quantity,
        line.unit,
        tuple(line.lots),
        description=line.description,
        fda_product_code=line.fda_product_code,
        processing_code=line.processing_code,
        intended_use_code=line.intended_use_code,
        affirmations=tuple(
            Affirmation(str(a.get("code") or ""), a.get("qualifier"))
            for a in line.affirmations or ()
        ),
        hts_code=line.hts_code,
        value_usd=line.value_usd,
        production_country=line.production_country,
    )


def lawful_foreign_basis(lines: tuple[DeclaredLineFacts, ...]) -> tuple[str, ...]:
    """IND affirmations on investigational (INV) lines: foreign labelling is lawful under an IND.

    21 CFR 312.110 (import of investigational drugs under an IND); docs/entry-data.md.
    """
    return tuple(
        f"IND {affirmation.qualifier} on line {line.line_number}"
        for line in lines
        if (line.processing_code or "").strip().upper() == "INV"
        for affirmation in line.affirmed("IND")
        if affirmation.qualifier and affirmation.qualifier.strip()
    )

"""Rule-facing views of stored rows."""

from __future__ import annotations

from datetime import date
from typing import Any

from inspect_svc.interpret import Interpretation
from inspect_svc.models.triage import Shipment
from rules.context import DeclaredLineFacts, ShipmentFacts


def shipment_facts(shipment: Shipment) -> ShipmentFacts:
    return ShipmentFacts(
        id=shipment.id,
        entry_number=shipment.entry_number,
        port_code=shipment.port_code,
        mode=shipment.mode,
        origin_country=shipment.origin_country,
        export_country=shipment.export_country,
        parties=shipment.parties,
        declared_lines=tuple(
            DeclaredLineFacts(
                line.line_number, line.ndc, line.ndc10, line.quantity, line.unit, tuple(line.lots)
            )
            for line in shipment.declared_lines
        ),
    )


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def interpretation_from_stored(stored: dict[str, Any]) -> Interpretation:
    """The Interpretation a scan was triaged with, rebuilt from its stored JSON."""
    return Interpretation(
        raw=stored["raw"],
        symbology=stored.get("symbology"),
        format=stored.get("format", "unknown"),
        gtin=stored.get("gtin"),
        ndc10=stored.get("ndc10"),
        ndc=stored.get("ndc"),
        serial=stored.get("serial"),
        lot=stored.get("lot"),
        expiry=_date(stored.get("expiry")),
        errors=tuple(stored.get("errors", ())),
        warnings=tuple(stored.get("warnings", ())),
        elements=tuple((e["ai"], e["value"]) for e in stored.get("elements", ())),
        separator_candidates=tuple(stored.get("separator_candidates", ())),
        ndc_candidates=tuple(stored.get("ndc_candidates", ())),
        nhrn=dict(stored.get("nhrn", {})),
        prod_date=_date(stored.get("prod_date")),
        gtin_indicator=stored.get("gtin_indicator"),
    )

"""The interpretation of one scan (docs/interfaces.md §3)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from inspect_core.interpret.parsed import Element, Format

Level = Literal["pack", "case", "pallet"]


@dataclass(frozen=True, slots=True)
class Interpretation:
    """What a scan says, and what is wrong with it.

    The first fields are the contract; the rest are extras:
    ``elements`` every (AI, value) in scan order; ``separator_candidates`` the
    plausible readings when ``separator_missing`` (each AI -> value);
    ``ndc_candidates`` the possible hyphenated splits of ``ndc10`` while the
    directory has not resolved it; ``nhrn`` AIs 710-717; ``prod_date`` AI 11;
    ``gtin_indicator`` the GTIN's packaging-level digit.

    Logistic labels: ``sscc`` AI 00 (a valid 18-digit SSCC); ``content_gtin``
    AI 02 (the GTIN of the trade items inside); ``count`` AI 37 (how many);
    ``variable_count`` AI 30. ``level`` is what the label stands for: ``pallet``
    for any SSCC label (a logistic unit: pallet or shipper case; the shipper's
    EPCIS data tells which), ``case`` for a GTIN with indicator 1-8 or a content
    GTIN, ``pack`` for any other GTIN, else None.
    """

    raw: str
    symbology: str | None = None
    format: Format = "unknown"
    gtin: str | None = None
    ndc10: str | None = None
    ndc: str | None = None
    serial: str | None = None
    lot: str | None = None
    expiry: date | None = None
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    elements: tuple[Element, ...] = ()
    separator_candidates: tuple[dict[str, str], ...] = ()
    ndc_candidates: tuple[str, ...] = ()
    nhrn: dict[str, str] = field(default_factory=dict)
    prod_date: date | None = None
    gtin_indicator: str | None = None
    sscc: str | None = None
    content_gtin: str | None = None
    count: int | None = None
    variable_count: int | None = None
    level: Level | None = None

    @property
    def valid(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form with the names of docs/interfaces.md §3; dates as ``YYYY-MM-DD``."""
        return {
            "raw": self.raw,
            "symbology": self.symbology,
            "format": self.format,
            "gtin": self.gtin,
            "ndc10": self.ndc10,
            "ndc": self.ndc,
            "serial": self.serial,
            "lot": self.lot,
            "expiry": self.expiry.isoformat() if self.expiry else None,
            "valid": self.valid,
            "errors": list(self.errors),
            "warnings": list(self.warnings),
            "elements": [{"ai": ai, "value": value} for ai, value in self.elements],
            "separator_candidates": [dict(c) for c in self.separator_candidates],
            "ndc_candidates": list(self.ndc_candidates),
            "nhrn": dict(self.nhrn),
            "prod_date": self.prod_date.isoformat() if self.prod_date else None,
            "gtin_indicator": self.gtin_indicator,
            "sscc": self.sscc,
            "content_gtin": self.content_gtin,
            "count": self.count,
            "variable_count": self.variable_count,
            "level": self.level,
        }

    @classmethod
    def from_dict(cls, stored: Mapping[str, Any]) -> "Interpretation":
        """The Interpretation `to_dict` gave (``valid`` is derived, so it is not read back).

        Keys missing from older stored JSON take the field's default.
        """
        return cls(
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
            separator_candidates=tuple(dict(c) for c in stored.get("separator_candidates", ())),
            ndc_candidates=tuple(stored.get("ndc_candidates", ())),
            nhrn=dict(stored.get("nhrn", {})),
            prod_date=_date(stored.get("prod_date")),
            gtin_indicator=stored.get("gtin_indicator"),
            sscc=stored.get("sscc"),
            content_gtin=stored.get("content_gtin"),
            count=stored.get("count"),
            variable_count=stored.get("variable_count"),
            level=stored.get("level"),
        )


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None

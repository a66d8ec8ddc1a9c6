"""Origin rules: where the goods come from and the route they took."""

from __future__ import annotations

from collections.abc import Iterator

from rules.base import Finding, Severity, shipment_rule
from rules.context import ShipmentContext

TIER_SEVERITY = {2: Severity.LOW, 3: Severity.MEDIUM}


@shipment_rule("R19", "ORIGIN_RISK")
def origin_risk(ctx: ShipmentContext) -> Iterator[Finding]:
    """The origin is a higher-risk tier, or the goods were transshipped: known counterfeit routes.

    Tier 2 low, tier 3 medium; origin differing from the export country adds a low
    finding (OECD/EUIPO, Trade in Counterfeit Pharmaceutical Products, 2020).
    """
    shipment = ctx.shipment
    tiers = ctx.policy.country_tiers
    origin = shipment.origin_country.upper()
    tier = tiers.get(origin, ctx.policy.default_country_tier)
    severity = TIER_SEVERITY.get(tier) if tier is not None else None
    if severity is not None:
        yield Finding(
            "R19",
            severity,
            f"Shipment {shipment.entry_number} originates in {origin}, a tier {tier} country "
            "in the origin risk table.",
            {"origin_country": origin, "tier": tier, "entry_number": shipment.entry_number},
        )
    export = (shipment.export_country or "").upper()
    if export and export != origin:
        yield Finding(
            "R19",
            Severity.LOW,
            f"Shipment {shipment.entry_number} was made in {origin} but exported from "
            f"{export}: transshipment through a third country.",
            {
                "origin_country": origin,
                "export_country": export,
                "export_tier": tiers.get(export, ctx.policy.default_country_tier),
                "entry_number": shipment.entry_number,
            },
        )

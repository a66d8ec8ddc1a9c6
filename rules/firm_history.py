"""Firm history: FDA refused this manufacturer's or shipper's goods before.

Compliance history of the manufacturer and shipper is one of the inputs FDA's
own import screening scores (docs/registry.md). Each prior refusal counts with
the weight of its heaviest charge, halved every `half_life_days`, so a firm
refused last month for GMP failures outweighs one refused once, years ago,
for a labelling slip. Country and product-code refusal counts are shown as
context only; they carry no weight.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from inspect_core.datasets import REFUSALS
from rules.base import Finding, Severity, shipment_rule
from rules.context import RefusalContext, RefusalFacts, ShipmentContext
from rules.freshness import is_loaded
from rules.registry_policy import FirmHistoryPolicy, history_since


def refusal_weight(refusal: RefusalFacts, ctx: ShipmentContext) -> float:
    """The heaviest charge's weight, halved every half-life since the refusal."""
    policy: FirmHistoryPolicy = ctx.policy.firm_history
    charge = max(
        (policy.charge_weights.get(code.upper(), policy.default_charge_weight)
         for code in refusal.charges),
        default=policy.default_charge_weight,
    )  # fmt: skip
    age_days = max((ctx.inspection_date - refusal.refusal_date).days, 0)
    return float(charge * 0.5 ** (age_days / policy.half_life_days))


def _severity(score: float, policy: FirmHistoryPolicy) -> Severity:
    if score >= policy.high_at:
        return Severity.HIGH
    if score >= policy.medium_at:
        return Severity.MEDIUM
    if score >= policy.low_at:
        return Severity.LOW
    return Severity.INFO


@shipment_rule("R41", "FIRM_REFUSAL_HISTORY")
def firm_refusal_history(ctx: ShipmentContext) -> Iterator[Finding]:
    """The manufacturer or shipper had entries refused by FDA: weighted by recency and charge.

    Matched by FEI, else by normalised name within the same country (the
    message says which). Without refusal data loaded, says "not checked".
    """
    if not is_loaded(ctx.datasets, REFUSALS):
        yield Finding(
            "R41",
            Severity.INFO,
            "Import refusal data is not loaded, so the manufacturer's and shipper's refusal "
            "history was not checked; this is not a clean result.",
            {"missing": [REFUSALS], "checked": False},
        )
        return
    by_party: dict[str, list[RefusalFacts]] = {}
    for refusal in ctx.registry.refusals:
        by_party.setdefault(refusal.party_role, []).append(refusal)
    for role, refusals in by_party.items():
        yield _finding(ctx, role, sorted(refusals, key=lambda r: r.refusal_date, reverse=True))


def _finding(ctx: ShipmentContext, role: str, refusals: list[RefusalFacts]) -> Finding:
    policy: FirmHistoryPolicy = ctx.policy.firm_history
    weights = [refusal_weight(r, ctx) for r in refusals]
    score = round(sum(weights), 2)
    latest = refusals[0]
    codes = sorted({code for r in refusals for code in r.charges})
    basis = (
        f"FEI {latest.fei}"
        if latest.matched_on == "fei"
        else "name and country only: confirm the firm's identity"
    )
    since = history_since(ctx.inspection_date, policy).isoformat()
    message = (
        f"The {role} {latest.firm_name} had {len(refusals)} FDA import refusal(s) since "
        f"{since}, the latest on {latest.refusal_date.isoformat()} "
        f"({', '.join(latest.charges)}); charges: {', '.join(codes)}. Recency- and "
        f"charge-weighted score {score:g} (matched on {basis})."
    )
    context = ctx.registry.refusal_context
    if context is not None:
        message += " " + _context_text(context)
    evidence: dict[str, Any] = {
        "party_role": role,
        "firm_name": latest.firm_name,
        "fei": latest.fei,
        "matched_on": latest.matched_on,
        "score": score,
        "refusal_count": len(refusals),
        "charges": codes,
        "refusals": [
            {
                "refusal_date": r.refusal_date.isoformat(),
                "charges": list(r.charges),
                "product_code": r.product_code,
                "entry_number": r.entry_number,
                "country": r.country,
                "weight": round(w, 3),
            }
            for r, w in list(zip(refusals, weights, strict=True))[: policy.max_listed]
        ],
    }
    if context is not None:
        evidence["context"] = _context_evidence(context)
    return Finding("R41", _severity(score, policy), message, evidence)


def _context_text(context: RefusalContext) -> str:
    parts = []
    if context.country and context.drug_refusals:
        share = 100 * context.country_refusals / context.drug_refusals
        parts.append(
            f"Context: {context.country_refusals} of {context.drug_refusals} drug refusals since "
            f"{context.since.isoformat()} ({share:.1f} %) were from {context.country}"
        )
    parts.extend(
        f"{count} refusal(s) of product code {code}" for code, count in context.product_codes
    )
    return ("; ".join(parts) + ".") if parts else ""


def _context_evidence(context: RefusalContext) -> dict[str, Any]:
    return {
        "since": context.since.isoformat(),
        "drug_refusals": context.drug_refusals,
        "country": context.country,
        "country_refusals": context.country_refusals,
        "country_share": (
            round(context.country_refusals / context.drug_refusals, 4)
            if context.drug_refusals
            else None
        ),
        "product_codes": {code: count for code, count in context.product_codes},
    }

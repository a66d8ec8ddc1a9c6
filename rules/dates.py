"""Date rules: expiry, production date and marketing dates against the inspection day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from rules.base import Finding, Severity, unit_rule
from rules.context import ScanContext
from rules.product import describe_pack, pack_evidence

MARKETING_END_GRACE = timedelta(days=30)
"""FDA asks labelers to set the end-marketing date to the last lot's expiry (R10)."""


def add_years(day: date, years: int) -> date:
    """``day`` moved by ``years`` calendar years; 29 February becomes 28 February.

    >>> add_years(date(2024, 2, 29), 1)
    datetime.date(2025, 2, 28)
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _lot_text(ctx: ScanContext) -> str:
    return f" lot {ctx.interpretation.lot}" if ctx.interpretation.lot else ""


@unit_rule("R5", "EXPIRED")
def expired(ctx: ScanContext) -> Iterator[Finding]:
    """The expiry has passed: expired drugs are not saleable; relabelled expiries mark counterfeits.

    21 CFR 211.137 (expiration dating); GS1 AI 17, DD=00 read as the month's last day.
    """
    expiry = ctx.interpretation.expiry
    if expiry is None or expiry >= ctx.inspection_date:
        return
    days = (ctx.inspection_date - expiry).days
    yield Finding(
        "R5",
        Severity.HIGH,
        f"{describe_pack(ctx.interpretation, ctx.product)}{_lot_text(ctx)} expired on "
        f"{expiry.isoformat()}, {days} days before the inspection on "
        f"{ctx.inspection_date.isoformat()}.",
        {**pack_evidence(ctx.interpretation), "days_expired": days},
    )


@unit_rule("R5b", "SHORT_DATED_OR_IMPLAUSIBLE_DATES")
def short_dated_or_implausible(ctx: ScanContext) -> Iterator[Finding]:
    """Implausible dates suggest fabricated data (medium); a short-dated pack is information.

    Implausible: expiry beyond the maximum shelf life, production after expiry, or
    expiry before the product was first marketed. Short-dated but valid stock is
    lawful (hospitals buy it, shortage imports often are), so it is info with
    weight 0 and never adds up with other findings to an exam.
    """
    interpretation = ctx.interpretation
    expiry = interpretation.expiry
    if expiry is None:
        return
    policy = ctx.policy
    reasons = []
    latest = add_years(ctx.inspection_date, policy.max_shelf_life_years)
    if expiry > latest:
        reasons.append(
            f"expiry {expiry.isoformat()} is more than {policy.max_shelf_life_years} years away"
        )
    if interpretation.prod_date is not None and interpretation.prod_date > expiry:
        reasons.append(
            f"production date {interpretation.prod_date.isoformat()} is after the expiry "
            f"{expiry.isoformat()}"
        )
    start = ctx.product.marketing_start if ctx.product else None
    if start is not None and expiry < start:
        reasons.append(
            f"expiry {expiry.isoformat()} is before the product was first marketed on "
            f"{start.isoformat()}"
        )
    evidence = {
        **pack_evidence(interpretation),
        "prod_date": interpretation.prod_date.isoformat() if interpretation.prod_date else None,
        "marketing_start": start.isoformat() if start else None,
    }
    label = describe_pack(interpretation, ctx.product)
    if reasons:
        yield Finding(
            "R5b",
            Severity.MEDIUM,
            f"Implausible dates on {label}: {'; '.join(reasons)}.",
            {**evidence, "reasons": reasons},
        )
        return
    days_left = (expiry - ctx.inspection_date).days
    if 0 <= days_left < policy.short_dated_days:
        yield Finding(
            "R5b",
            Severity.INFO,
            f"{label} is short-dated: expiry {expiry.isoformat()} is {days_left} days away "
            f"(less than {policy.short_dated_days}); still valid, shown for information.",
            {**evidence, "days_to_expiry": days_left},
        )


@unit_rule("R10", "NDC_MARKETING_ENDED")
def marketing_ended(ctx: ScanContext) -> Iterator[Finding]:
    """The NDC's marketing has ended: new-looking stock of a discontinued product is suspicious.

    Medium; high when the pack expires more than 30 days after the end date, since
    FDA asks for the end date to be the last lot's expiry (NDC Directory ENDMARKETINGDATE).
    """
    product = ctx.product
    end = product.marketing_end if product else None
    if product is None or end is None or end >= ctx.inspection_date:
        return
    expiry = ctx.interpretation.expiry
    label = describe_pack(ctx.interpretation, product)
    message = f"Marketing of {label} ended on {end.isoformat()}."
    severity = Severity.MEDIUM
    if expiry is not None and expiry > end + MARKETING_END_GRACE:
        severity = Severity.HIGH
        message += (
            f" Yet this pack expires on {expiry.isoformat()}, more than "
            f"{MARKETING_END_GRACE.days} days after that: no lot should outlive the end date."
        )
    yield Finding(
        "R10",
        severity,
        message,
        {**pack_evidence(ctx.interpretation), "marketing_end": end.isoformat()},
    )


@unit_rule("R11", "NDC_NOT_YET_MARKETED")
def not_yet_marketed(ctx: ScanContext) -> Iterator[Finding]:
    """Marketing starts after today or after the pack was made: it cannot be in distribution.

    NDC Directory STARTMARKETINGDATE against inspection date and AI 11.
    """
    product = ctx.product
    start = product.marketing_start if product else None
    if start is None:
        return
    prod_date = ctx.interpretation.prod_date
    reasons = []
    if start > ctx.inspection_date:
        reasons.append(f"after the inspection date {ctx.inspection_date.isoformat()}")
    if prod_date is not None and start > prod_date:
        reasons.append(f"after the pack's production date {prod_date.isoformat()}")
    if reasons:
        yield Finding(
            "R11",
            Severity.HIGH,
            f"Marketing of {describe_pack(ctx.interpretation, product)} starts on "
            f"{start.isoformat()}, {' and '.join(reasons)}.",
            {
                **pack_evidence(ctx.interpretation),
                "marketing_start": start.isoformat(),
                "prod_date": prod_date.isoformat() if prod_date else None,
            },
        )

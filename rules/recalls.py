"""Recall rules: the scanned pack is covered by an FDA recall.

Two kinds of match, judged differently (see docs/reference-data.md, "Recalls"):

- A **named lot** (or a lot inside a named range) stays recalled whatever the
  recall's status: that lot at the border is diverted recalled stock or a
  counterfeit reusing the lot number.
- An **"all lots" statement** is bounded. It does not reach a pack made after
  a closed (Completed or Terminated) recall began, nor one made after the
  period the recall names ("distributed between ...", "compounded before ..."),
  nor one outside the expiries it names ("within expiry", "expiry up to ...").
  An NDC known only from openFDA's harmonised block, a closed recall, or bounds
  the pack's dates cannot be compared with each lower the severity one step; a
  recall of product distributed only outside the US is information (low) unless
  the shipment comes from a country it names. The finding says why.

"Made after" is certain only when the pack's production date (AI 11) is after
the date, or when its expiry is more than the policy's maximum shelf life
after it (`dates.max_shelf_life_years`): conservative on purpose.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from rules.base import Finding, Severity, unit_rule
from rules.context import RecallHit, ScanContext
from rules.dates import add_years
from rules.product import describe_pack, pack_evidence

CLASS_SEVERITY = {
    "CLASS I": Severity.CRITICAL,
    "CLASS II": Severity.HIGH,
    "CLASS III": Severity.MEDIUM,
}
CLOSED_STATUSES = frozenset({"COMPLETED", "TERMINATED"})
"""openFDA `status` values of a finished recall (Completed: the firm finished;
Terminated: FDA closed it). Ongoing and Pending recalls are open."""


@dataclass
class _Judgement:
    """Why an "all lots" statement does or does not reach this pack."""

    excluded: list[str] = field(default_factory=list)
    weaker: list[str] = field(default_factory=list)
    stronger: list[str] = field(default_factory=list)
    abroad: bool = False  # distributed only outside the US, and not shipped from there


@dataclass(frozen=True)
class _PackDates:
    """The earliest and latest day the pack can have been made, when the scan tells."""

    made_earliest: date | None
    made_latest: date | None
    expiry: date | None


def _pack_dates(ctx: ScanContext) -> _PackDates:
    interpretation = ctx.interpretation
    expiry = interpretation.expiry
    if interpretation.prod_date is not None:
        return _PackDates(interpretation.prod_date, interpretation.prod_date, expiry)
    if expiry is not None:
        return _PackDates(add_years(expiry, -ctx.policy.max_shelf_life_years), expiry, expiry)
    return _PackDates(None, None, None)


def _made_after(pack: _PackDates, day: date | None) -> bool:
    return day is not None and pack.made_earliest is not None and pack.made_earliest > day


def _judge_all_lots(hit: RecallHit, ctx: ScanContext, pack: _PackDates) -> _Judgement:
    judgement = _Judgement()
    began = hit.initiation_date
    closed = hit.status.strip().upper() in CLOSED_STATUSES
    if closed:
        if _made_after(pack, began):
            judgement.excluded.append(
                f"the recall is {hit.status} and the pack was made after it began ({began})"
            )
        elif pack.made_earliest is None:
            judgement.weaker.append(
                f"the recall is {hit.status}; without a production or expiry date the pack "
                "cannot be shown to predate it"
            )
        else:
            judgement.weaker.append(f"the recall is {hit.status} (closed)")
    if _made_after(pack, hit.distributed_until):
        judgement.excluded.append(
            f"the recall covers product made or distributed up to {hit.distributed_until}; "
            "this pack was made later"
        )
    if pack.expiry is not None:
        if hit.within_expiry and began is not None and pack.expiry < began:
            judgement.excluded.append(
                f"the recall covers lots within expiry on {began}; this pack expired {pack.expiry}"
            )
        if hit.expiry_until is not None and pack.expiry > hit.expiry_until:
            judgement.excluded.append(f"the recall covers expiries up to {hit.expiry_until}")
        if hit.expiry_from is not None and pack.expiry < hit.expiry_from:
            judgement.excluded.append(f"the recall covers expiries from {hit.expiry_from}")
    bounded = hit.within_expiry or hit.distributed_until or hit.expiry_until or hit.expiry_from
    if bounded and pack.made_earliest is None:
        judgement.weaker.append(
            "the recall is bounded (expiry or distribution dates) and the scan has no dates "
            "to compare"
        )
    if hit.distribution_scope == "non_us":
        route = {ctx.shipment.origin_country, ctx.shipment.export_country or ""}
        shipped_from = sorted(route & set(hit.distribution_countries))
        where = ", ".join(hit.distribution_countries) or hit.distribution_pattern or "abroad"
        if shipped_from:
            judgement.stronger.append(
                f"the recalled product went to {where} and this shipment comes from "
                f"{', '.join(shipped_from)}"
            )
        else:
            judgement.abroad = True
            judgement.weaker.append(
                f"the recalled product was distributed outside the US ({where}), "
                "not to the US market this pack is declared for"
            )
    return judgement


def _step_down(severity: Severity, steps: int) -> Severity:
    ranks = list(Severity)
    return ranks[max(Severity.LOW.rank, severity.rank - steps)] if steps else severity


@unit_rule("R13", "LOT_RECALLED")
def lot_recalled(ctx: ScanContext) -> Iterator[Finding]:
    """The scanned pack is covered by an FDA recall: the product must not be distributed.

    Class I critical, II high, III medium (21 CFR 7.3(m) recall classes; openFDA drug
    enforcement); a named lot whatever the recall's status, an "all lots" statement
    within its bounds (see the module docstring).
    """
    interpretation = ctx.interpretation
    label = describe_pack(interpretation, ctx.product)
    pack = _pack_dates(ctx)
    for hit in ctx.recalls:
        if not (hit.lot_matched or hit.all_lots):
            continue
        base = CLASS_SEVERITY.get(hit.classification.strip().upper(), Severity.HIGH)
        weaker: list[str] = []
        stronger: list[str] = []
        abroad = False
        if hit.lot_matched:
            scope = f"lot {hit.lot_matched}, named by the recall"
            if hit.status.strip().upper() in CLOSED_STATUSES:
                scope += (
                    f" (the recall is {hit.status}, but a named lot stays recalled: diverted "
                    "recalled stock or a counterfeit reusing the lot)"
                )
        else:
            judgement = _judge_all_lots(hit, ctx, pack)
            if judgement.excluded:
                yield _not_reached(ctx, hit, label, judgement.excluded)
                continue
            weaker, stronger, abroad = judgement.weaker, judgement.stronger, judgement.abroad
            scope = (
                f"all lots (the recall names no lots, so lot {interpretation.lot or 'unknown'} "
                "is matched on the NDC only, with lower confidence)"
            )
        if hit.ndc_source == "openfda":
            weaker.append(
                "the NDC comes from openFDA's harmonised data, not from the recall's own text"
            )
        severity = Severity.LOW if abroad else _step_down(base, len(weaker))
        reason = f" Reason: {hit.reason}." if hit.reason else ""
        notes = "".join(f" Lower: {why}." for why in weaker)
        notes += "".join(f" Note: {why}." for why in stronger)
        yield Finding(
            "R13",
            severity,
            f"{label} is in {hit.classification} recall {hit.recall_number} ({hit.status}) "
            f"covering {scope}.{reason}{notes}",
            {
                **_evidence(ctx, hit),
                "severity_lowered_because": weaker,
                "severity_kept_because": stronger,
            },
        )


def _not_reached(ctx: ScanContext, hit: RecallHit, label: str, why: list[str]) -> Finding:
    return Finding(
        "R13",
        Severity.INFO,
        f"{label} has the NDC of {hit.classification} recall {hit.recall_number} "
        f"({hit.status}, all lots), but the recall does not reach this pack: {'; '.join(why)}.",
        {**_evidence(ctx, hit), "not_covered_because": why},
    )


def _evidence(ctx: ScanContext, hit: RecallHit) -> dict[str, object]:
    return {
        **pack_evidence(ctx.interpretation),
        "production_date": (
            ctx.interpretation.prod_date.isoformat() if ctx.interpretation.prod_date else None
        ),
        "recall_number": hit.recall_number,
        "classification": hit.classification,
        "status": hit.status,
        "firm": hit.firm,
        "lot_matched": hit.lot_matched,
        "all_lots": hit.all_lots,
        "confidence": hit.confidence,
        "ndc_source": hit.ndc_source,
        "recall_initiated": hit.initiation_date.isoformat() if hit.initiation_date else None,
        "bounds": {
            "within_expiry": hit.within_expiry,
            "distributed_from": _iso(hit.distributed_from),
            "distributed_until": _iso(hit.distributed_until),
            "expiry_from": _iso(hit.expiry_from),
            "expiry_until": _iso(hit.expiry_until),
            "distribution": hit.distribution_scope,
            "distribution_countries": list(hit.distribution_countries),
            "distribution_pattern": hit.distribution_pattern,
        },
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None

"""Put each assessed shipment in its lane, draw it at random once, let officers reroute it.

Called right after every assessment. The random draw is made at the first
one and kept; the lane is recomputed each time from the recommendation, the
number of rule hits, the draw and any officer reroute (docs/selectivity.md).
Every change of lane or selector is an audit event.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from inspect_svc.actors import Actor
from inspect_svc.audit import append_event
from inspect_svc.cases.lanes import choose_lane, random_draw, rules_lane, shipment_identity
from inspect_svc.models.triage import Assessment, Shipment
from rules.base import Severity
from rules.engine import RuleWeight, recommend
from rules.policy import RulePolicy

SYSTEM_ACTOR = "selectivity"


def update_lane(
    session: Session,
    shipment: Shipment,
    assessment: Assessment,
    policy: RulePolicy,
    secret: str,
    actor: str = SYSTEM_ACTOR,
) -> None:
    """Draw (first time only), recompute lane and selector from `assessment`, record changes.

    `secret` keys the random draw (`selectivity.secret`, else the server's secret key).
    """
    strongest = _assessed_weights(assessment, policy)
    hits = len({w.rule for w in strongest if w.severity is not Severity.INFO and not w.shadow})
    shadow = _shadow_recommendation(strongest, policy)
    if shipment.shadow_recommendation != shadow:  # an unchanged value is not written again
        shipment.shadow_recommendation = shadow
    by_rules = rules_lane(shipment.recommendation, hits, policy.selectivity)
    first_draw = shipment.random_draw is None
    if first_draw:
        identity = shipment_identity(shipment.id, shipment.entry_number, shipment.created_at)
        draw = random_draw(secret, identity)
        shipment.random_draw = draw
        # Only a shipment that would go green can be drawn: the unbiased slice.
        shipment.random_selected = by_rules == "green" and draw < policy.selectivity.random_rate
    officer_lane = shipment.lane if shipment.selected_by == "officer" else None
    choice = choose_lane(by_rules, bool(shipment.random_selected), officer_lane, policy.selectivity)
    before = (shipment.lane if not first_draw else None, shipment.selected_by)
    if (choice.lane, choice.selected_by) == before:
        return
    payload: dict[str, Any] = {
        "lane": choice.lane,
        "selected_by": choice.selected_by,
        "previous_lane": before[0],
        "rule_hits": hits,
        "recommendation": shipment.recommendation,
    }
    if first_draw:
        payload["random"] = {
            "selected": shipment.random_selected,
            "rate": policy.selectivity.random_rate,
        }
    shipment.lane, shipment.selected_by = choice.lane, choice.selected_by
    append_event(
        session,
        actor=actor,
        action="shipment.selected",
        subject=f"shipment:{shipment.id}",
        shipment_id=shipment.id,
        payload=payload,
    )


def reroute_lane(
    session: Session, shipment: Shipment, lane: str, reason: str, actor: Actor
) -> None:
    """An officer's lane, with the reason, audited; it holds until the rules say red."""
    payload = {
        "lane": lane,
        "previous_lane": shipment.lane,
        "previous_selected_by": shipment.selected_by,
        "reason": reason,
    }
    shipment.lane, shipment.selected_by = lane, "officer"
    append_event(
        session,
        actor=actor.name,
        action="shipment.rerouted",
        subject=f"shipment:{shipment.id}",
        shipment_id=shipment.id,
        payload=payload,
    )


def _assessed_weights(assessment: Assessment, policy: RulePolicy) -> list[RuleWeight]:
    """The unit and shipment weights the assessment counted, as the score sees them."""
    return [
        RuleWeight.under(policy, f["rule"], f["severity"], f["weight"])
        for f in (*assessment.unit_findings, *assessment.findings)
    ]


def _shadow_recommendation(weights: list[RuleWeight], policy: RulePolicy) -> str | None:
    if not any(w.shadow for w in weights):
        return None
    return recommend(weights, policy, count_shadow=True)[1]

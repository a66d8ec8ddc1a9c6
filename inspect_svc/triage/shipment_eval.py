"""Re-score a shipment from all of its scans and its declaration."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from inspect_svc.epcis.contents import shipment_facts_of
from inspect_svc.models.triage import Shipment
from inspect_svc.triage.facts import shipment_facts
from inspect_svc.triage.findings import (
    StoredWeight,
    replace_shipment_findings,
    strongest_unit_weights,
    weights_of,
)
from inspect_svc.triage.registry_facts import registry_facts
from inspect_svc.triage.runtime import TriageRuntime
from inspect_svc.triage.tally import LotRow, load_tally, tally_of
from rules.context import ProductFacts, ShipmentContext, ShipmentFacts
from rules.engine import RuleWeight, ShipmentResult, evaluate_shipment
from rules.tally import ShipmentTally


@dataclass(frozen=True)
class CountedRows:
    """A shipment's tally and rule-weight rows as a scan batch left them, handed to the
    batch's assessment so that it does not read them again; likewise whether EPCIS
    data is attached and the shipment's facts (the shipment's row lock keeps them
    from changing meanwhile)."""

    lots: Sequence[LotRow]
    weights: Sequence[StoredWeight]
    epcis_attached: bool
    facts: ShipmentFacts


@dataclass(frozen=True)
class Evaluation:
    """A stored evaluation: the result, the unit weights it counted and over how many scans."""

    result: ShipmentResult
    unit_weights: Sequence[RuleWeight]
    scan_count: int
    findings: list[dict[str, Any]]


def evaluate_and_store_findings(
    session: Session,
    shipment: Shipment,
    runtime: TriageRuntime,
    counted: CountedRows | None = None,
) -> Evaluation:
    """Run the shipment rules over the shipment's tally and store the shipment's findings.

    The shipment row itself is left to the caller, which writes it once with
    the assessment. `counted`: the tally and weight rows as a scan batch just
    left them (else read).
    """
    if counted is None:
        unit_weights = strongest_unit_weights(session, shipment.id, runtime.policy)
        tally = load_tally(session, shipment.id, lambda ndc10: _product(runtime, ndc10))
        epcis_attached, facts = None, None
    else:
        unit_weights = weights_of(counted.weights, runtime.policy)
        tally = tally_of(counted.lots, lambda ndc10: _product(runtime, ndc10))
        epcis_attached, facts = counted.epcis_attached, counted.facts
    result, scan_count = _evaluate(
        session, shipment, runtime, unit_weights, tally, epcis_attached, facts
    )
    findings = [f.to_dict() for f in result.findings]
    if findings != shipment.findings:
        replace_shipment_findings(session, shipment.id, result.findings)
    return Evaluation(result, unit_weights, scan_count, findings)


def evaluate_stored_shipment(
    session: Session,
    shipment: Shipment,
    runtime: TriageRuntime,
    unit_weights: Sequence[RuleWeight] | None = None,
) -> ShipmentResult:
    """The shipment result over its stored tally, without storing anything.

    `unit_weights` replaces the stored unit weights, for a replay under
    another policy.
    """
    if unit_weights is None:
        unit_weights = strongest_unit_weights(session, shipment.id, runtime.policy)
    tally = load_tally(session, shipment.id, lambda ndc10: _product(runtime, ndc10))
    return _evaluate(session, shipment, runtime, unit_weights, tally)[0]


def _evaluate(
    session: Session,
    shipment: Shipment,
    runtime: TriageRuntime,
    unit_weights: Sequence[RuleWeight],
    tally: ShipmentTally,
    epcis_attached: bool | None = None,
    facts: ShipmentFacts | None = None,
) -> tuple[ShipmentResult, int]:
    """`epcis_attached`: whether EPCIS data is attached, if the caller knows (else read);
    `facts`: the shipment's facts, if the caller has them."""
    if facts is None:
        facts = shipment_facts(shipment)
    context = ShipmentContext(
        shipment=facts,
        tally=tally,
        inspection_date=runtime.today,
        policy=runtime.policy,
        datasets=runtime.reference.datasets(),
        import_alert_hits=runtime.reference.import_alert_hits(
            shipment.parties, shipment.origin_country
        ),
        registry=registry_facts(facts, runtime),
        declared_products=_declared_products(shipment, runtime),
        epcis=None if epcis_attached is False else shipment_facts_of(session, shipment.id),
    )
    return evaluate_shipment(context, unit_weights, runtime.policy), tally.scan_count


def _product(runtime: TriageRuntime, ndc10: str) -> ProductFacts | None:
    found = runtime.reference.products_for(ndc10)
    return found[0] if found else None


def _declared_products(shipment: Shipment, runtime: TriageRuntime) -> dict[str, ProductFacts]:
    """The directory entry of each NDC the declared lines name (NDC or DLS)."""
    wanted: set[str] = set()
    for line in shipment.declared_lines:
        if line.ndc10:
            wanted.add(line.ndc10)
        for affirmation in line.affirmations or ():
            qualifier = "".join(
                ch for ch in str(affirmation.get("qualifier") or "") if ch.isdigit()
            )
            if affirmation.get("code") == "DLS" and len(qualifier) == 10:
                wanted.add(qualifier)
    found: dict[str, ProductFacts] = {}
    for ndc10 in sorted(wanted):
        listed = runtime.reference.products_for(ndc10)
        if listed:
            found[ndc10] = listed[0]
    return found

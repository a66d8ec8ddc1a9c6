"""What-if: re-run stored scans under another policy and report changed recommendations.

Reads only; the caller's session is rolled back afterwards, so nothing stored changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_core.interpret import Interpretation
from inspect_core.interpret.codes import SEPARATOR_MISSING
from inspect_svc.epcis.scan_facts import scan_facts
from inspect_svc.models.triage import Scan, Shipment
from inspect_svc.triage.entry_links import linked_shipment_ids
from inspect_svc.triage.facts import shipment_facts
from inspect_svc.triage.history import load_history
from inspect_svc.triage.runtime import TriageRuntime
from inspect_svc.triage.scans import unit_context
from inspect_svc.triage.shipment_eval import evaluate_stored_shipment
from rules.engine import ScoredFinding, evaluate_unit
from rules.policy import RulePolicy


@dataclass(frozen=True)
class ReplayChange:
    shipment_id: int
    entry_number: str
    stored_recommendation: str
    replayed_recommendation: str
    stored_risk: float
    replayed_risk: float
    rules_added: tuple[str, ...]
    rules_removed: tuple[str, ...]
    # The replayed recommendation if the policy's shadow rules counted (None: none fired).
    shadow_recommendation: str | None = None

    @property
    def changed(self) -> bool:
        return self.stored_recommendation != self.replayed_recommendation

    @property
    def shadow_changed(self) -> bool:
        """Shadow rules, were they active, would change the replayed recommendation."""
        return self.shadow_recommendation not in (None, self.replayed_recommendation)

    def explain(self) -> str:
        why = []
        if self.rules_added:
            why.append("now fires " + ", ".join(self.rules_added))
        if self.rules_removed:
            why.append("no longer fires " + ", ".join(self.rules_removed))
        if not why:
            why.append("same rules, different weights or thresholds")
        if self.shadow_changed:
            why.append(f"shadow rules would make it {self.shadow_recommendation}")
        return (
            f"shipment {self.shipment_id} (entry {self.entry_number}): "
            f"{self.stored_recommendation} -> {self.replayed_recommendation} "
            f"(risk {self.stored_risk:g} -> {self.replayed_risk:g}); {'; '.join(why)}"
        )


def replay(
    session: Session,
    runtime: TriageRuntime,
    other: RulePolicy,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Iterator[ReplayChange]:
    """One result per shipment with scans in the window, changed or not."""
    replayed_runtime = replace(runtime, policy=other)
    statement = select(Shipment).order_by(Shipment.id)
    if since is not None:
        statement = statement.where(Shipment.created_at >= since)
    if until is not None:
        statement = statement.where(Shipment.created_at < until)
    for shipment in session.scalars(statement):
        scans = session.scalars(
            select(Scan).where(Scan.shipment_id == shipment.id).order_by(Scan.id)
        ).all()
        if not scans:
            continue
        history = load_history(
            session,
            ((s.gtin, s.serial) for s in scans if s.gtin and s.serial),
            ((s.gtin, s.lot) for s in scans if s.gtin and s.lot),
            (
                (shipment.id, s.raw)
                for s in scans
                if SEPARATOR_MISSING in (s.interpretation or {}).get("errors", ())
            ),
            linked=linked_shipment_ids(session, shipment),
        )
        facts = shipment_facts(shipment)
        epcis = scan_facts(session, shipment.id, list(scans))
        unit_findings: list[ScoredFinding] = []
        for scan in scans:
            context = unit_context(
                scan.id,
                Interpretation.from_dict(scan.interpretation),
                shipment.id,
                facts,
                replayed_runtime,
                history,
                earlier_only=True,
                epcis=epcis.get(scan.id),
            )
            unit_findings.extend(evaluate_unit(context, other).findings)
        result = evaluate_stored_shipment(
            session, shipment, replayed_runtime, [f.rule_weight for f in unit_findings]
        )
        before = {f["rule"] for s in scans for f in s.findings} | {
            f["rule"] for f in shipment.findings
        }
        after = {f.rule for f in unit_findings} | {f.rule for f in result.findings}
        yield ReplayChange(
            shipment_id=shipment.id,
            entry_number=shipment.entry_number,
            stored_recommendation=shipment.recommendation,
            replayed_recommendation=result.recommendation,
            stored_risk=shipment.risk_score,
            replayed_risk=result.risk_score,
            rules_added=tuple(sorted(after - before)),
            rules_removed=tuple(sorted(before - after)),
            shadow_recommendation=result.shadow_recommendation,
        )

"""Findings as stored: JSON on the scan or shipment, and rows for queues and dashboards."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from inspect_svc.models.base import utcnow
from inspect_svc.models.tally import ShipmentRuleWeight
from inspect_svc.models.triage import Finding
from rules.engine import RuleWeight, ScoredFinding
from rules.policy import RulePolicy

# Built once: these run on every scan.
_FINDING = cast(Table, Finding.__table__)
_INSERT_FINDING = insert(_FINDING)
_DELETE_SHIPMENT_FINDINGS = delete(_FINDING).where(
    _FINDING.c.shipment_id == bindparam("shipment_id"), _FINDING.c.scan_id.is_(None)
)
_WEIGHT = cast(Table, ShipmentRuleWeight.__table__)
_WEIGHTS = select(_WEIGHT.c.rule, _WEIGHT.c.severity, _WEIGHT.c.weight).where(
    _WEIGHT.c.shipment_id == bindparam("shipment_id")
)
_INSERT_WEIGHT = insert(_WEIGHT)
_RAISE_WEIGHT = (
    update(_WEIGHT)
    .where(
        _WEIGHT.c.shipment_id == bindparam("of_shipment"),
        _WEIGHT.c.rule == bindparam("of_rule"),
        _WEIGHT.c.severity == bindparam("of_severity"),
    )
    .values(weight=bindparam("raised_to"))
)


@dataclass(frozen=True)
class StoredWeight:
    """A shipment's heaviest unit-finding weight for one rule and severity, as stored."""

    rule: str
    severity: str
    weight: float


def store_findings(
    session: Session,
    shipment_id: int,
    findings_of: Mapping[int | None, Sequence[ScoredFinding]],
) -> None:
    """Insert the finding rows of scans (by scan id; None: the shipment's own) in one
    statement, without ORM objects (nothing reads them back)."""
    now = utcnow()
    rows = [
        {
            "shipment_id": shipment_id,
            "scan_id": scan_id,
            "rule": scored.rule,
            "severity": str(scored.severity),
            "weight": scored.weight,
            "message": scored.finding.message,
            "evidence": dict(scored.finding.evidence),
            "created_at": now,
        }
        for scan_id, findings in findings_of.items()
        for scored in findings
    ]
    if rows:
        session.execute(_INSERT_FINDING, rows)


def replace_shipment_findings(
    session: Session, shipment_id: int, findings: Sequence[ScoredFinding]
) -> None:
    """Shipment-level findings are recomputed on every evaluation; keep only the latest."""
    session.execute(_DELETE_SHIPMENT_FINDINGS, {"shipment_id": shipment_id})
    store_findings(session, shipment_id, {None: findings})


def raise_rule_weights(
    session: Session, shipment_id: int, findings: Iterable[ScoredFinding]
) -> list[StoredWeight]:
    """Record the scans' findings in the shipment's heaviest weight per rule and severity;
    return every weight row of the shipment.

    The caller holds the shipment's row lock, so read-then-write is safe.
    """
    heaviest: dict[tuple[str, str], float] = {}
    for scored in findings:
        key = (scored.rule, str(scored.severity))
        heaviest[key] = max(heaviest.get(key, 0.0), scored.weight)
    stored = {(row.rule, row.severity): row for row in _stored_weights(session, shipment_id)}
    added: list[dict[str, Any]] = []
    raised: list[dict[str, Any]] = []
    for (rule, severity), weight in heaviest.items():
        row = stored.get((rule, severity))
        if row is None:
            added.append(
                {"shipment_id": shipment_id, "rule": rule, "severity": severity, "weight": weight}
            )
        elif weight > row.weight:
            raised.append(
                {
                    "of_shipment": shipment_id,
                    "of_rule": rule,
                    "of_severity": severity,
                    "raised_to": weight,
                }
            )
        else:
            continue
        stored[(rule, severity)] = StoredWeight(rule, severity, weight)
    if added:
        session.execute(_INSERT_WEIGHT, added)
    if raised:
        session.execute(_RAISE_WEIGHT, raised)
    return list(stored.values())


def strongest_unit_weights(
    session: Session, shipment_id: int, policy: RulePolicy
) -> list[RuleWeight]:
    """Per rule and severity, the heaviest weight on the shipment's scans, shadow per `policy`.

    That is all the shipment score needs (each rule counts once, at its
    highest weight), read from rows kept as scans are stored.
    """
    return weights_of(_stored_weights(session, shipment_id), policy)


def _stored_weights(session: Session, shipment_id: int) -> list[StoredWeight]:
    rows = session.execute(_WEIGHTS, {"shipment_id": shipment_id})
    return [StoredWeight(rule, severity, weight) for rule, severity, weight in rows]


def weights_of(rows: Sequence[StoredWeight], policy: RulePolicy) -> list[RuleWeight]:
    """Stored weight rows as the score counts them, in (rule, severity) order."""
    return [
        RuleWeight.under(policy, row.rule, row.severity, row.weight)
        for row in sorted(rows, key=lambda row: (row.rule, row.severity))
    ]

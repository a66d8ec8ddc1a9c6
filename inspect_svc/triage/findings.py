"""Findings as stored: JSON on the scan or shipment, and rows for queues and dashboards."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from inspect_svc.models.triage import Finding
from rules.base import Finding as RuleFinding
from rules.base import Severity
from rules.engine import ScoredFinding


def store_findings(
    session: Session, shipment_id: int, scan_id: int | None, findings: Sequence[ScoredFinding]
) -> None:
    session.add_all(
        Finding(
            shipment_id=shipment_id,
            scan_id=scan_id,
            rule=scored.rule,
            severity=str(scored.severity),
            weight=scored.weight,
            message=scored.finding.message,
            evidence=dict(scored.finding.evidence),
        )
        for scored in findings
    )


def replace_shipment_findings(
    session: Session, shipment_id: int, findings: Sequence[ScoredFinding]
) -> None:
    """Shipment-level findings are recomputed on every evaluation; keep only the latest."""
    session.execute(
        delete(Finding).where(Finding.shipment_id == shipment_id, Finding.scan_id.is_(None))
    )
    store_findings(session, shipment_id, None, findings)


def strongest_unit_findings(session: Session, shipment_id: int) -> list[ScoredFinding]:
    """Per rule and severity, the heaviest finding on the shipment's scans.

    That is all the shipment score needs (each rule counts once, at its
    highest weight), read with one grouped query however many packs were scanned.
    """
    rows = session.execute(
        select(Finding.rule, Finding.severity, func.max(Finding.weight))
        .where(Finding.shipment_id == shipment_id, Finding.scan_id.is_not(None))
        .group_by(Finding.rule, Finding.severity)
    ).all()
    return [
        ScoredFinding(RuleFinding(rule, Severity(severity), ""), Severity(severity), float(weight))
        for rule, severity, weight in rows
    ]

"""Findings as stored: JSON on the scan or shipment, and rows for queues and dashboards."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import delete
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


def scored_from_stored(stored: Iterable[Mapping[str, Any]]) -> list[ScoredFinding]:
    """Findings read back from a scan's JSON, for re-scoring the shipment."""
    return [
        ScoredFinding(
            RuleFinding(
                item["rule"], Severity(item["severity"]), item["message"], item["evidence"]
            ),
            Severity(item["severity"]),
            float(item["weight"]),
        )
        for item in stored
    ]

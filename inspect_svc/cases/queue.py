"""The officer queue: open shipments, riskiest first, with filters and counts per status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from inspect_svc.models.triage import STATUSES, Finding, Scan, Shipment


@dataclass(frozen=True)
class QueueFilters:
    recommendation: str | None = None
    port: str | None = None
    origin: str | None = None
    rule: str | None = None
    min_age_hours: float | None = None
    max_age_hours: float | None = None
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True)
class QueuePage:
    items: list[Shipment]
    total: int
    counts: dict[str, int]
    scan_counts: dict[int, int]


def _conditions(filters: QueueFilters, now: datetime) -> list[ColumnElement[bool]]:
    """Every filter except the status one (the queue itself is the open status)."""
    conditions: list[ColumnElement[bool]] = []
    if filters.recommendation is not None:
        conditions.append(Shipment.recommendation == filters.recommendation)
    if filters.port is not None:
        conditions.append(Shipment.port_code == filters.port)
    if filters.origin is not None:
        conditions.append(Shipment.origin_country == filters.origin)
    if filters.rule is not None:
        fired = select(Finding.id).where(
            Finding.shipment_id == Shipment.id, Finding.rule == filters.rule
        )
        conditions.append(fired.exists())
    if filters.min_age_hours is not None:
        conditions.append(Shipment.created_at <= now - timedelta(hours=filters.min_age_hours))
    if filters.max_age_hours is not None:
        conditions.append(Shipment.created_at >= now - timedelta(hours=filters.max_age_hours))
    return conditions


def officer_queue(
    session: Session, filters: QueueFilters, now: datetime | None = None
) -> QueuePage:
    """Open shipments matching `filters` by risk (highest first), and counts per status."""
    conditions = _conditions(filters, now or datetime.now(UTC))
    open_only = select(Shipment).where(*conditions, Shipment.status == "open")
    total = session.scalar(select(func.count()).select_from(open_only.subquery())) or 0
    items = list(
        session.scalars(
            open_only.order_by(Shipment.risk_score.desc(), Shipment.created_at, Shipment.id)
            .limit(filters.limit)
            .offset(filters.offset)
        )
    )
    counts = dict.fromkeys(STATUSES, 0)
    by_status = select(Shipment.status, func.count()).where(*conditions).group_by(Shipment.status)
    for status, count in session.execute(by_status).all():
        counts[status] = int(count)
    scan_counts = session.execute(
        select(Scan.shipment_id, func.count())
        .where(Scan.shipment_id.in_([s.id for s in items]))
        .group_by(Scan.shipment_id)
    ).all()
    return QueuePage(items, int(total), counts, {int(k): int(v) for k, v in scan_counts})

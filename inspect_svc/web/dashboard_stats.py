"""The figures of the dashboard, computed in the database where it is portable."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inspect_svc.models.case import ACTIONS, Decision
from inspect_svc.models.triage import Finding, Shipment

TOP_N = 10


@dataclass(frozen=True)
class DashboardStats:
    days: list[tuple[date, dict[str, int]]]
    top_rules: list[tuple[str, int]]
    detentions_by_origin: list[tuple[str, int]]


def dashboard_stats(session: Session, days: int, today: date | None = None) -> DashboardStats:
    today = today or datetime.now(UTC).date()
    return DashboardStats(
        _decisions_per_day(session, days, today),
        _top_rules(session),
        _detentions_by_origin(session),
    )


def _decisions_per_day(
    session: Session, days: int, today: date
) -> list[tuple[date, dict[str, int]]]:
    """Decisions per UTC day and action for the last `days` days, oldest first, empty days kept."""
    first = today - timedelta(days=days - 1)
    since = datetime(first.year, first.month, first.day, tzinfo=UTC)
    counts: Counter[tuple[date, str]] = Counter()
    rows = session.execute(
        select(Decision.decided_at, Decision.action).where(Decision.decided_at >= since)
    )
    for decided_at, action in rows:
        counts[(decided_at.astimezone(UTC).date(), action)] += 1
    return [
        (day, {action: counts[(day, action)] for action in ACTIONS})
        for day in (first + timedelta(days=n) for n in range(days))
    ]


def _top_rules(session: Session) -> list[tuple[str, int]]:
    """Rules by the number of shipments they fired on (findings above `info`)."""
    shipments = func.count(func.distinct(Finding.shipment_id))
    rows = session.execute(
        select(Finding.rule, shipments)
        .where(Finding.severity != "info")
        .group_by(Finding.rule)
        .order_by(shipments.desc(), Finding.rule)
        .limit(TOP_N)
    )
    return [(rule, int(count)) for rule, count in rows]


def _detentions_by_origin(session: Session) -> list[tuple[str, int]]:
    """Shipments whose current status is detained, by origin country."""
    count = func.count(Shipment.id)
    rows = session.execute(
        select(Shipment.origin_country, count)
        .where(Shipment.status == "detained")
        .group_by(Shipment.origin_country)
        .order_by(count.desc(), Shipment.origin_country)
        .limit(TOP_N)
    )
    return [(origin, int(n)) for origin, n in rows]

"""The hit-rate report: what exams found, per rule, per score band, per lane, and at random.

A shipment counts once per slice it belongs to. Its outcome is its latest
exam result: an exam is a conclusive result (violation or no violation),
a violation is a latest result of `violation`; inconclusive results count
in neither. The random slice holds the shipments drawn at random, the
unbiased baseline the rule-selected slices compare with. Every figure is
counted by the database (one grouped query per slice).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, select
from sqlalchemy.orm import Session

from inspect_svc.cases.lanes import LANES
from inspect_svc.cases.wilson import wilson_interval
from inspect_svc.models.selectivity import ExamResult
from inspect_svc.models.triage import Finding, Shipment
from rules.policy import RulePolicy


def row(shipments: int, exams: int, violations: int) -> dict[str, Any]:
    """One row of the report, with the hit rate and its 95 % Wilson interval.

    >>> row(10, 4, 1)
    {'shipments': 10, 'exams': 4, 'violations': 1, 'hit_rate': 0.25, 'ci95': [0.0456, 0.6994]}
    """
    low, high = wilson_interval(violations, exams)
    return {
        "shipments": shipments,
        "exams": exams,
        "violations": violations,
        "hit_rate": round(violations / exams, 4) if exams else None,
        "ci95": [round(low, 4), round(high, 4)],
    }


def band_labels(bounds: Sequence[float]) -> list[str]:
    """Band names from their lower bounds.

    >>> band_labels((0, 25, 50, 100))
    ['0-24', '25-49', '50-99', '100+']
    """
    labels = [f"{lo:g}-{hi - 1:g}" for lo, hi in itertools.pairwise(bounds)]
    return [*labels, f"{bounds[-1]:g}+"]


def hit_rate_report(
    session: Session,
    policy: RulePolicy,
    since: datetime | None = None,
    until: datetime | None = None,
) -> dict[str, Any]:
    """The report over shipments created in [since, until)."""
    window: list[ColumnElement[bool]] = []
    if since is not None:
        window.append(Shipment.created_at >= since)
    if until is not None:
        window.append(Shipment.created_at < until)
    latest = (
        select(ExamResult.shipment_id, func.max(ExamResult.id).label("exam_id"))
        .group_by(ExamResult.shipment_id)
        .subquery()
    )
    outcome = (
        select(ExamResult.shipment_id, ExamResult.result)
        .join(latest, ExamResult.id == latest.c.exam_id)
        .subquery()
    )
    exam = case((outcome.c.result.in_(("violation", "no_violation")), 1), else_=0)
    violation = case((outcome.c.result == "violation", 1), else_=0)
    shadow_changed = case(
        (
            and_(
                Shipment.shadow_recommendation.is_not(None),
                Shipment.shadow_recommendation != Shipment.recommendation,
            ),
            1,
        ),
        else_=0,
    )
    counts = (
        func.count(Shipment.id),
        func.coalesce(func.sum(exam), 0),
        func.coalesce(func.sum(violation), 0),
        func.coalesce(func.sum(shadow_changed), 0),
    )

    def grouped(key: Any, *joins: Any, where: Sequence[ColumnElement[bool]] = ()) -> Select[Any]:
        statement = select(key, *counts).select_from(Shipment)
        for target, on in joins:
            statement = statement.join(target, on)
        statement = statement.outerjoin(outcome, outcome.c.shipment_id == Shipment.id)
        return statement.where(*window, *where).group_by(key)

    def tallies(statement: Select[Any]) -> dict[Any, tuple[int, int, int, int]]:
        return {
            key: (int(n), int(e), int(v), int(s)) for key, n, e, v, s in session.execute(statement)
        }

    bounds = policy.selectivity.score_bands
    band = case(
        *(
            (Shipment.risk_score >= lower, index)
            for index, lower in reversed(list(enumerate(bounds)))
        ),
        else_=0,
    )
    fired = (
        select(Finding.shipment_id, Finding.rule)
        .where(Finding.severity != "info")
        .distinct()
        .subquery()
    )
    random = tallies(grouped(literal("random"), where=[Shipment.random_selected.is_(True)]))
    by_band = tallies(grouped(band))
    by_lane = tallies(grouped(Shipment.lane))
    by_rule = tallies(grouped(fired.c.rule, (fired, fired.c.shipment_id == Shipment.id)))
    for rule in policy.shadow_rules:
        by_rule.setdefault(rule, (0, 0, 0, 0))
    total = sum(n for n, *_ in by_lane.values())
    expected = policy.selectivity.expected_rates
    empty = (0, 0, 0, 0)
    return {
        "random": row(*random.get("random", empty)[:3]),
        "by_rule": [
            {
                "rule": rule,
                **row(*figures[:3]),
                "state": "shadow" if policy.is_shadow(rule) else "active",
                "would_change": figures[3] if policy.is_shadow(rule) else None,
            }
            for rule, figures in sorted(by_rule.items(), key=lambda item: _rule_key(item[0]))
        ],
        "by_band": [
            {"band": label, **row(*by_band.get(index, empty)[:3])}
            for index, label in enumerate(band_labels(bounds))
        ],
        "by_lane": [
            {
                "lane": lane,
                **row(*by_lane.get(lane, empty)[:3]),
                "share": round(by_lane.get(lane, empty)[0] / total, 4) if total else None,
                "expected_rate": expected.get(lane),
            }
            for lane in LANES
        ],
        "shadow": {
            "rules": sorted(policy.shadow_rules, key=_rule_key),
            "would_change": int(
                session.scalar(select(func.coalesce(func.sum(shadow_changed), 0)).where(*window))
                or 0
            ),
        },
        "random_rate": policy.selectivity.random_rate,
    }


def _rule_key(rule: str) -> tuple[int, str]:
    digits = "".join(ch for ch in rule[1:] if ch.isdigit())
    return (int(digits) if digits else 0, rule)


CSV_COLUMNS = (
    "slice",
    "key",
    "shipments",
    "exams",
    "violations",
    "hit_rate",
    "ci95_low",
    "ci95_high",
    "state",
    "would_change",
    "share",
    "expected_rate",
)


def report_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The report as one flat table (the CSV download)."""
    rows = [{"slice": "random", "key": "random", **report["random"]}]
    for slice_name, key in (("by_rule", "rule"), ("by_band", "band"), ("by_lane", "lane")):
        rows.extend({"slice": key, "key": row[key], **row} for row in report[slice_name])
    flat = []
    for row in rows:
        low, high = row["ci95"]
        flat.append(
            {
                column: row.get(column)
                for column in CSV_COLUMNS
                if column not in ("ci95_low", "ci95_high")
            }
            | {"ci95_low": low, "ci95_high": high}
        )
    return flat

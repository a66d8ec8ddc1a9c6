"""The hit-rate report: what exams found, per rule, per score band, per lane, and at random.

A shipment counts once per slice it belongs to. Its outcome is its latest
exam result: an exam is a conclusive result (violation or no violation),
a violation is a latest result of `violation`; inconclusive results count
in neither. The random slice holds the shipments drawn at random, the
unbiased baseline the rule-selected slices compare with.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_svc.cases.lanes import LANES
from inspect_svc.cases.wilson import wilson_interval
from inspect_svc.models.selectivity import ExamResult
from inspect_svc.models.triage import Finding, Shipment
from rules.policy import RulePolicy


@dataclass
class Tally:
    shipments: int = 0
    exams: int = 0
    violations: int = 0

    def add(self, outcome: str | None) -> None:
        self.shipments += 1
        if outcome in ("violation", "no_violation"):
            self.exams += 1
            self.violations += outcome == "violation"

    def row(self) -> dict[str, Any]:
        low, high = wilson_interval(self.violations, self.exams)
        return {
            "shipments": self.shipments,
            "exams": self.exams,
            "violations": self.violations,
            "hit_rate": round(self.violations / self.exams, 4) if self.exams else None,
            "ci95": [round(low, 4), round(high, 4)],
        }


@dataclass
class _RuleTally(Tally):
    would_change: int = 0


@dataclass(frozen=True)
class _Case:
    risk_score: float
    lane: str
    random_selected: bool
    changed_by_shadow: bool
    outcome: str | None
    rules: frozenset[str] = field(default_factory=frozenset)


def band_labels(bounds: tuple[float, ...]) -> list[str]:
    """Band names from their lower bounds.

    >>> band_labels((0, 25, 50, 100))
    ['0-24', '25-49', '50-99', '100+']
    """
    labels = [f"{lo:g}-{hi - 1:g}" for lo, hi in itertools.pairwise(bounds)]
    return [*labels, f"{bounds[-1]:g}+"]


def band_of(score: float, bounds: tuple[float, ...]) -> int:
    """Index of the band `score` falls in.

    >>> [band_of(s, (0, 25, 50, 100)) for s in (0, 24.9, 25, 99, 100, 400)]
    [0, 0, 1, 2, 3, 3]
    """
    index = 0
    for number, lower in enumerate(bounds):
        if score >= lower:
            index = number
    return index


def hit_rate_report(
    session: Session,
    policy: RulePolicy,
    since: datetime | None = None,
    until: datetime | None = None,
) -> dict[str, Any]:
    """The report over shipments created in [since, until)."""
    cases = list(_cases(session, since, until, policy))
    random = Tally()
    bounds = policy.selectivity.score_bands
    bands = [Tally() for _ in bounds]
    lanes = {lane: Tally() for lane in LANES}
    rules: dict[str, _RuleTally] = {rule: _RuleTally() for rule in policy.shadow_rules}
    for case in cases:
        if case.random_selected:
            random.add(case.outcome)
        bands[band_of(case.risk_score, bounds)].add(case.outcome)
        lanes.setdefault(case.lane, Tally()).add(case.outcome)
        for rule in case.rules:
            tally = rules.setdefault(rule, _RuleTally())
            tally.add(case.outcome)
            tally.would_change += case.changed_by_shadow and policy.is_shadow(rule)
    total = len(cases)
    expected = policy.selectivity.expected_rates
    return {
        "random": random.row(),
        "by_rule": [
            {
                "rule": rule,
                **tally.row(),
                "state": "shadow" if policy.is_shadow(rule) else "active",
                "would_change": tally.would_change if policy.is_shadow(rule) else None,
            }
            for rule, tally in sorted(rules.items(), key=lambda item: _rule_key(item[0]))
        ],
        "by_band": [
            {"band": label, **tally.row()}
            for label, tally in zip(band_labels(bounds), bands, strict=True)
        ],
        "by_lane": [
            {
                "lane": lane,
                **tally.row(),
                "share": round(tally.shipments / total, 4) if total else None,
                "expected_rate": expected.get(lane),
            }
            for lane, tally in lanes.items()
        ],
        "shadow": {
            "rules": sorted(policy.shadow_rules, key=_rule_key),
            "would_change": sum(case.changed_by_shadow for case in cases),
        },
        "random_rate": policy.selectivity.random_rate,
    }


def _rule_key(rule: str) -> tuple[int, str]:
    digits = "".join(ch for ch in rule[1:] if ch.isdigit())
    return (int(digits) if digits else 0, rule)


def _cases(
    session: Session, since: datetime | None, until: datetime | None, policy: RulePolicy
) -> Iterable[_Case]:
    window = []
    if since is not None:
        window.append(Shipment.created_at >= since)
    if until is not None:
        window.append(Shipment.created_at < until)
    in_window = select(Shipment.id).where(*window)
    outcomes: dict[int, str] = {}
    for shipment_id, result in session.execute(
        select(ExamResult.shipment_id, ExamResult.result)
        .where(ExamResult.shipment_id.in_(in_window))
        .order_by(ExamResult.id)
    ):
        outcomes[shipment_id] = result
    fired: dict[int, set[str]] = {}
    for shipment_id, rule in session.execute(
        select(Finding.shipment_id, Finding.rule)
        .where(Finding.shipment_id.in_(in_window), Finding.severity != "info")
        .distinct()
    ):
        fired.setdefault(shipment_id, set()).add(rule)
    rows = session.execute(
        select(
            Shipment.id,
            Shipment.risk_score,
            Shipment.lane,
            Shipment.random_selected,
            Shipment.recommendation,
            Shipment.shadow_recommendation,
        ).where(*window)
    )
    for shipment_id, risk, lane, random_selected, recommendation, shadow in rows:
        yield _Case(
            risk_score=risk,
            lane=lane,
            random_selected=bool(random_selected),
            changed_by_shadow=shadow is not None and shadow != recommendation,
            outcome=outcomes.get(shipment_id),
            rules=frozenset(fired.get(shipment_id, ())),
        )


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

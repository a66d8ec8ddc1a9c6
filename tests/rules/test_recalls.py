"""Recall rule R13."""

from __future__ import annotations

import pytest

from rules import RecallHit, Severity
from rules.recalls import lot_recalled
from tests.rules.conftest import PACK, make_scan_context, run


def recall(
    classification: str = "Class I",
    status: str = "Ongoing",
    lot: str | None = "LOT42",
    all_lots: bool = False,
) -> RecallHit:
    confidence = 1.0 if lot else 0.5
    return RecallHit(
        "D-0123-2025", classification, status, "Eli Lilly", "CGMP", lot, all_lots, confidence
    )


@pytest.mark.parametrize(
    ("hit", "severity"),
    [
        (recall("Class I"), Severity.CRITICAL),
        (recall("Class II"), Severity.HIGH),
        (recall("Class III"), Severity.MEDIUM),
        (recall("Class II", status="Completed"), Severity.HIGH),
    ],
)
def test_r13_grades_by_class(hit: RecallHit, severity: Severity) -> None:
    finding = run(lot_recalled, make_scan_context(PACK, recalls=(hit,)))[0]
    assert (finding.rule, finding.severity) == ("R13", severity)
    assert finding.evidence["recall_number"] == "D-0123-2025"
    assert finding.evidence["lot_matched"] == "LOT42"
    assert "D-0123-2025" in finding.message and "lot LOT42" in finding.message


def test_r13_all_lots_says_lower_confidence() -> None:
    hit = recall("Class II", lot=None, all_lots=True)
    finding = run(lot_recalled, make_scan_context(PACK, recalls=(hit,)))[0]
    assert (finding.severity, finding.evidence["all_lots"]) == (Severity.HIGH, True)
    assert "all lots" in finding.message and "lower confidence" in finding.message


def test_r13_named_lot_of_a_terminated_recall_still_fires() -> None:
    finding = run(lot_recalled, make_scan_context(PACK, recalls=(recall(status="Terminated"),)))[0]
    assert finding.severity is Severity.CRITICAL and "stays recalled" in finding.message


def test_r13_silent_for_another_lot() -> None:
    assert run(lot_recalled, make_scan_context(PACK, recalls=(recall(lot=None),))) == []

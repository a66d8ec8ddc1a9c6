"""`RuleWeight`: what the shipment score counts, with the shadow flag it carries."""

from __future__ import annotations

from rules import Severity
from rules.base import Finding
from rules.engine import RuleWeight, ScoredFinding, recommend
from rules.policy import RuleSetting
from tests.rules.conftest import make_policy

SHADOW_R5 = make_policy(rules={"R5": RuleSetting(state="shadow")})


def test_each_rule_counts_once_at_its_heaviest_weight() -> None:
    weights = [
        RuleWeight("R5", Severity.MEDIUM, 25.0),
        RuleWeight("R5", Severity.HIGH, 50.0),
        RuleWeight("R0", Severity.MEDIUM, 25.0),
    ]
    assert recommend(weights, make_policy()) == (75.0, "exam")


def test_recommend_follows_the_carried_shadow_flag() -> None:
    """The flag the weight carries decides, not the policy recommend is given."""
    shadow = [RuleWeight("R9", Severity.CRITICAL, 100.0, shadow=True)]
    assert recommend(shadow, make_policy()) == (0.0, "release")
    assert recommend(shadow, make_policy(), count_shadow=True) == (100.0, "detain")
    active = [RuleWeight("R5", Severity.HIGH, 50.0)]
    assert recommend(active, SHADOW_R5) == (50.0, "exam")


def test_a_stored_weight_takes_its_shadow_flag_from_the_policy() -> None:
    assert RuleWeight.under(SHADOW_R5, "R5", "high", 50) == RuleWeight(
        "R5", Severity.HIGH, 50.0, shadow=True
    )
    assert not RuleWeight.under(SHADOW_R5, "R0", "medium", 25).shadow


def test_a_scored_finding_gives_its_weight_and_stores_without_the_flag() -> None:
    scored = ScoredFinding(Finding("R5", Severity.HIGH, "expired"), Severity.HIGH, 50.0, True)
    weight = scored.rule_weight
    assert weight == RuleWeight("R5", Severity.HIGH, 50.0, shadow=True)
    assert weight.to_dict() == {"rule": "R5", "severity": "high", "weight": 50.0}

"""Risk rules: one module per family, each rule a pure function of an immutable context.

Unit rules take a `ScanContext` (one scan), shipment rules a `ShipmentContext`
(all scans and declared lines). Both return findings; weights, severities and
thresholds come from the policy in `config/rules.toml`, never from code.
"""

from rules.base import Finding, RuleSpec, Severity, shipment_rule, unit_rule
from rules.context import (
    Affirmation,
    DatasetStatus,
    DeclaredLineFacts,
    ImportAlertHit,
    LawfulBasis,
    PriorSighting,
    ProductFacts,
    RecallHit,
    ScanContext,
    ScanSummary,
    ShipmentContext,
    ShipmentFacts,
)

__all__ = [
    "Affirmation",
    "DatasetStatus",
    "DeclaredLineFacts",
    "Finding",
    "ImportAlertHit",
    "LawfulBasis",
    "PriorSighting",
    "ProductFacts",
    "RecallHit",
    "RuleSpec",
    "ScanContext",
    "ScanSummary",
    "Severity",
    "ShipmentContext",
    "ShipmentFacts",
    "shipment_rule",
    "unit_rule",
]

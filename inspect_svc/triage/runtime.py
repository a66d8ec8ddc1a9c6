"""Everything one triage evaluation needs besides the database session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from inspect_svc.interpret import InterpretOptions
from inspect_svc.triage.reference_source import ReferenceSource
from rules.policy import RulePolicy


@dataclass(frozen=True)
class TriageRuntime:
    policy: RulePolicy
    interpret_options: InterpretOptions
    reference: ReferenceSource
    today: date

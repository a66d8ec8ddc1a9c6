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

    def reference_as_of(self) -> dict[str, str | None]:
        """Each dataset's snapshot date, as stored with every triage."""
        return {
            name: status.as_of.isoformat() if status.as_of else None
            for name, status in self.reference.datasets().items()
        }

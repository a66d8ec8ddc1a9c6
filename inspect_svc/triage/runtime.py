"""Everything one triage evaluation needs besides the database session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from inspect_core.interpret import Interpretation, InterpretOptions, interpret, resolve_ndc
from inspect_svc.settings import Settings
from inspect_svc.triage.database_reference import DatabaseReference, ReferenceMemos
from inspect_svc.triage.reference_source import ReferenceSource
from rules.policy import RulePolicy


@dataclass(frozen=True)
class TriageRuntime:
    """The policy, interpreter options, reference data and date of one request or job.

    `selectivity_secret` keys the random draw of the lanes (docs/selectivity.md).
    """

    policy: RulePolicy
    interpret_options: InterpretOptions
    reference: ReferenceSource
    today: date
    selectivity_secret: str

    def interpret(self, raw: str) -> Interpretation:
        """Interpret `raw`, then settle its NDC split from the directory.

        A database error while looking the NDC up propagates: the scan is
        not stored as if the directory had no answer.
        """
        return resolve_ndc(interpret(raw, self.interpret_options), self.reference.resolve_ndc)

    def reference_as_of(self) -> dict[str, str | None]:
        """Each dataset's snapshot date, as stored with every triage."""
        return {
            name: status.as_of.isoformat() if status.as_of else None
            for name, status in self.reference.datasets().items()
        }


def build_runtime(
    session: Session,
    policy: RulePolicy,
    settings: Settings,
    selectivity_secret: str,
    memos: ReferenceMemos,
) -> TriageRuntime:
    """A runtime reading reference data through `session` (remembered in `memos`), dated
    today (UTC)."""
    today = datetime.now(UTC).date()
    reference = DatabaseReference(
        session, today, settings.reference, memos, settings.reference_sources
    )
    options = InterpretOptions(
        gs_substitutes=settings.scan.gs_substitutes,
        max_length=settings.scan.max_length,
        today=today,
    )
    return TriageRuntime(policy, options, reference, today, selectivity_secret)

"""What a load did: rows read, loaded, rejected (with reasons), bytes decoded by fallback."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

MAX_EXAMPLES = 20
"""Rejected rows listed one by one; beyond that only the per-reason counts grow."""


@dataclass
class Rejection:
    source: str
    line: int
    reason: str


@dataclass
class LoadReport:
    dataset: str
    rows_read: int = 0
    rows_loaded: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    reasons: Counter[str] = field(default_factory=Counter)
    fallback_rows: int = 0
    replaced_bytes: int = 0
    fallback_lines: list[tuple[str, int]] = field(default_factory=list)
    snapshot_id: int | None = None
    as_of: str | None = None

    @property
    def rows_rejected(self) -> int:
        return sum(self.reasons.values())

    def reject(self, source: str, line: int, reason: str) -> None:
        """Record a skipped row; `reason` should not contain row-specific values."""
        self.reasons[reason] += 1
        if len(self.rejections) < MAX_EXAMPLES:
            self.rejections.append(Rejection(source, line, reason))

    def note_fallback(self, source: str, line: int, replaced: int) -> None:
        self.fallback_rows += 1
        self.replaced_bytes += replaced
        if len(self.fallback_lines) < MAX_EXAMPLES:
            self.fallback_lines.append((source, line))

    def summary_lines(self) -> list[str]:
        lines = [
            f"{self.dataset}: {self.rows_read} rows read, {self.rows_loaded} loaded, "
            f"{self.rows_rejected} rejected (as of {self.as_of})"
        ]
        for reason, count in self.reasons.most_common():
            lines.append(f"  rejected {count}: {reason}")
        for rejection in self.rejections:
            lines.append(f"    {rejection.source}:{rejection.line}: {rejection.reason}")
        if self.fallback_rows:
            where = ", ".join(f"{name}:{line}" for name, line in self.fallback_lines)
            lines.append(
                f"  {self.fallback_rows} rows not UTF-8, read as Windows-1252 "
                f"({self.replaced_bytes} undecodable bytes replaced): {where}"
            )
        return lines

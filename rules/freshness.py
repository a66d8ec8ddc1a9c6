"""Reference-data freshness: a rule that cannot look something up must say so.

See docs/rules.md, "Missing data".
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from inspect_core.datasets import NDC_DATASETS, RECALLS, REFUSALS, REGISTRATIONS
from rules.base import Finding, Severity, unit_rule
from rules.context import DatasetStatus, ScanContext

NDC_FINISHED = NDC_DATASETS["finished"]
NDC_EXCLUDED = NDC_DATASETS["excluded"]
NDC_UNFINISHED = NDC_DATASETS["unfinished"]
NDC_LISTS = (NDC_FINISHED, NDC_EXCLUDED, NDC_UNFINISHED)

RULES_NEEDING = {
    NDC_FINISHED: ("R7", "R10", "R11", "R20", "R22", "R23"),
    NDC_EXCLUDED: ("R8",),
    NDC_UNFINISHED: ("R8b",),
    RECALLS: ("R13",),
    REGISTRATIONS: ("R16", "R40"),
    REFUSALS: ("R41",),
}
"""Which unit rules cannot run, or cannot be trusted to be silent, without each dataset.

Import alerts concern the shipment's parties, not a pack: R14 reports their
absence itself, once per shipment."""

SUPPLEMENTARY = frozenset({NDC_EXCLUDED, NDC_UNFINISHED, REGISTRATIONS, REFUSALS})
"""Datasets whose absence only narrows a check (R7 still answers from the
finished directory; R40 and R41 say "not checked" on the shipment), so their
absence is reported at info severity."""


def is_loaded(datasets: Mapping[str, DatasetStatus], name: str) -> bool:
    """True when the dataset is loaded; a dataset the context does not mention is not."""
    status = datasets.get(name)
    return status is not None and status.loaded


@unit_rule("R0", "REFERENCE_DATA_MISSING_OR_STALE")
def reference_data_missing_or_stale(ctx: ScanContext) -> Iterator[Finding]:
    """A reference dataset is not loaded (medium) or older than its maximum age (info).

    A missing lookup must never read as a clean result (docs/rules.md, "Missing data").
    """
    missing = [name for name in RULES_NEEDING if not is_loaded(ctx.datasets, name)]
    for group, severity in (
        ([m for m in missing if m not in SUPPLEMENTARY], Severity.MEDIUM),
        ([m for m in missing if m in SUPPLEMENTARY], Severity.INFO),
    ):
        if not group:
            continue
        blocked = sorted({rule for name in group for rule in RULES_NEEDING[name]})
        yield Finding(
            "R0",
            severity,
            f"Reference data not loaded: {', '.join(group)}. Rules {', '.join(blocked)} "
            "could not check this scan; absence of their findings does not mean clean.",
            {"missing": group, "rules_not_run": blocked},
        )
    stale = [status for status in ctx.datasets.values() if status.loaded and status.stale]
    if stale:
        yield Finding(
            "R0",
            Severity.INFO,
            "Reference data older than its maximum age: "
            + ", ".join(
                f"{s.name} as of {s.as_of.isoformat() if s.as_of else 'unknown date'} "
                f"({s.age_days} days old, maximum {s.max_age_days})"
                for s in stale
            )
            + ".",
            {
                "stale": [
                    {
                        "dataset": s.name,
                        "as_of": s.as_of.isoformat() if s.as_of else None,
                        "age_days": s.age_days,
                        "max_age_days": s.max_age_days,
                    }
                    for s in stale
                ]
            },
        )

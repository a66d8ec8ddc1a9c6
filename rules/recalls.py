"""Recall rules: the scanned lot is the subject of an open FDA recall."""

from __future__ import annotations

from collections.abc import Iterator

from rules.base import Finding, Severity, unit_rule
from rules.context import RecallHit, ScanContext
from rules.product import describe_pack, pack_evidence

CLASS_SEVERITY = {
    "CLASS I": Severity.CRITICAL,
    "CLASS II": Severity.HIGH,
    "CLASS III": Severity.MEDIUM,
}
CLOSED_STATUS = "TERMINATED"
"""The openFDA enforcement `status` of a recall FDA has closed; Ongoing, Pending and
Completed recalls still cover the product found in commerce."""


def _is_open(hit: RecallHit) -> bool:
    return hit.status.strip().upper() != CLOSED_STATUS


@unit_rule("R13", "LOT_RECALLED")
def lot_recalled(ctx: ScanContext) -> Iterator[Finding]:
    """The scanned NDC and lot are in an open recall: the product must not be distributed.

    Class I critical, II high, III medium (21 CFR 7.3(m) recall classes; openFDA drug enforcement).
    """
    interpretation = ctx.interpretation
    label = describe_pack(interpretation, ctx.product)
    for hit in ctx.recalls:
        if not _is_open(hit) or not (hit.lot_matched or hit.all_lots):
            continue
        severity = CLASS_SEVERITY.get(hit.classification.strip().upper(), Severity.HIGH)
        if hit.lot_matched:
            scope = f"lot {hit.lot_matched}"
        else:
            scope = (
                f"all lots (the recall names no lots, so lot {interpretation.lot or 'unknown'} "
                "is matched on the NDC only, with lower confidence)"
            )
        reason = f" Reason: {hit.reason}." if hit.reason else ""
        yield Finding(
            "R13",
            severity,
            f"{label} is in open {hit.classification} recall {hit.recall_number} "
            f"({hit.status}) covering {scope}.{reason}",
            {
                **pack_evidence(interpretation),
                "recall_number": hit.recall_number,
                "classification": hit.classification,
                "status": hit.status,
                "firm": hit.firm,
                "lot_matched": hit.lot_matched,
                "all_lots": hit.all_lots,
                "confidence": hit.confidence,
            },
        )

"""Recalls for an NDC, and whether a given lot of it is recalled (rule R13).

A recall is open while its status is neither "Completed" (the firm finished)
nor "Terminated" (FDA closed it); openFDA statuses are Ongoing, Completed,
Terminated. The bounds of an "all lots" statement come along (recall_scope.py):
whether they reach a given pack is R13's judgement, not the look-up's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_core.datasets import RECALLS
from inspect_svc.models.reference import (
    Recall,
    RecallLot,
    RecallNdc,
    ReferenceDataset,
    ReferenceSnapshot,
)
from inspect_svc.reference.lots import lot_key
from inspect_svc.reference.ndc_query import parse_ndc_query

_TRAILING_NUMBER = re.compile(r"^(.*?)(\d+)$")
CLOSED_STATUSES = frozenset({"completed", "terminated"})


@dataclass(frozen=True)
class RecallHit:
    recall_number: str
    classification: str | None
    status: str | None
    open: bool
    report_date: date | None
    recalling_firm: str | None
    reason: str | None
    ndc_source: str
    all_lots: bool
    lot_confidence: str
    code_info: str | None
    recalls_as_of: date
    initiation_date: date | None = None
    termination_date: date | None = None
    within_expiry: bool = False
    distributed_from: date | None = None
    distributed_until: date | None = None
    expiry_from: date | None = None
    expiry_until: date | None = None
    distribution_scope: str = "unknown"
    distribution_countries: tuple[str, ...] = ()
    distribution_pattern: str | None = None
    # "lot", "lot-range", "all-lots", or None when no lot was asked about.
    lot_match: str | None = None


def recalls_for_ndc(session: Session, ndc: str) -> list[RecallHit]:
    """Every recall in the current snapshot naming `ndc` (any NDC or GTIN form).

    Raises:
        NdcCodeError: `ndc` fits no NDC or GTIN form.
    """
    query = parse_ndc_query(ndc)
    rows = session.execute(
        select(Recall, RecallNdc.source, ReferenceSnapshot.as_of)
        .join(RecallNdc, RecallNdc.recall_id == Recall.id)
        .join(ReferenceDataset, ReferenceDataset.current_snapshot_id == Recall.snapshot_id)
        .join(ReferenceSnapshot, ReferenceSnapshot.id == Recall.snapshot_id)
        .where(ReferenceDataset.name == RECALLS, RecallNdc.ndc10.in_(query.ndc10s))
        .order_by(Recall.report_date.desc(), Recall.recall_number)
    ).all()
    hits: dict[int, RecallHit] = {}
    for recall, source, as_of in rows:
        known = hits.get(recall.id)
        if known is None or (known.ndc_source == "openfda" and source != "openfda"):
            hits[recall.id] = _hit(recall, source, as_of)
    return list(hits.values())


def recalled_lots(session: Session, ndc: str, lot: str) -> list[RecallHit]:
    """Recalls of `ndc` that cover `lot`: listed, inside a listed range, or "all lots"."""
    candidates = recalls_for_ndc(session, ndc)
    if not candidates:
        return []
    key = lot_key(lot)
    numbers = {hit.recall_number for hit in candidates}
    lots = session.execute(
        select(Recall.recall_number, RecallLot.lot_key, RecallLot.lot, RecallLot.range_last)
        .join(RecallLot, RecallLot.recall_id == Recall.id)
        .join(ReferenceDataset, ReferenceDataset.current_snapshot_id == Recall.snapshot_id)
        .where(ReferenceDataset.name == RECALLS, Recall.recall_number.in_(numbers))
    ).all()
    matched: dict[str, str] = {}
    for number, first_key, first, last in lots:
        if last is None and first_key == key:
            matched[number] = "lot"
        elif last is not None and in_lot_range(lot, first, last):
            matched.setdefault(number, "lot-range")
    found = []
    for hit in candidates:
        how = matched.get(hit.recall_number) or ("all-lots" if hit.all_lots else None)
        if how is not None:
            found.append(replace(hit, lot_match=how))
    return found


def in_lot_range(lot: str, first: str, last: str) -> bool:
    """True if `lot` lies in "first through last": same prefix, number between the ends.

    >>> in_lot_range("13-920452-0-7", "13-920452-0-1", "13-920452-0-30")
    True
    >>> in_lot_range("139204520-31", "13-920452-0-1", "13-920452-0-30")
    False
    """
    start = _TRAILING_NUMBER.match(first)
    end = _TRAILING_NUMBER.match(last)
    if start is None or end is None or lot_key(start.group(1)) != lot_key(end.group(1)):
        return False
    prefix = lot_key(start.group(1))
    key = lot_key(lot)
    if not key.startswith(prefix) or not key[len(prefix) :].isdigit():
        return False
    return int(start.group(2)) <= int(key[len(prefix) :]) <= int(end.group(2))


def _hit(recall: Recall, source: str, as_of: date) -> RecallHit:
    return RecallHit(
        recall_number=recall.recall_number,
        classification=recall.classification,
        status=recall.status,
        open=(recall.status or "").lower() not in CLOSED_STATUSES,
        report_date=recall.report_date,
        recalling_firm=recall.recalling_firm,
        reason=recall.reason,
        ndc_source=source,
        all_lots=recall.all_lots,
        lot_confidence=recall.lot_confidence,
        code_info=recall.code_info,
        recalls_as_of=as_of,
        initiation_date=recall.initiation_date,
        termination_date=recall.termination_date,
        within_expiry=recall.within_expiry,
        distributed_from=recall.distributed_from,
        distributed_until=recall.distributed_until,
        expiry_from=recall.expiry_from,
        expiry_until=recall.expiry_until,
        distribution_scope=recall.distribution_scope,
        distribution_countries=tuple(
            filter(None, (recall.distribution_countries or "").split(","))
        ),
        distribution_pattern=recall.distribution_pattern,
    )

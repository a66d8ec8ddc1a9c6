"""How old each dataset is, for the REFERENCE_DATA_STALE rule and the status endpoint."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_svc.models.reference import ReferenceDataset, ReferenceSnapshot


@dataclass(frozen=True)
class DatasetStatus:
    name: str
    snapshot_id: int
    as_of: date
    loaded_at: datetime
    rows_loaded: int
    rows_rejected: int
    sources: list[dict[str, Any]]


def dataset_status(session: Session) -> list[DatasetStatus]:
    """The current snapshot of every loaded dataset, by name."""
    rows = session.execute(
        select(ReferenceDataset.name, ReferenceSnapshot)
        .join(ReferenceSnapshot, ReferenceSnapshot.id == ReferenceDataset.current_snapshot_id)
        .order_by(ReferenceDataset.name)
    ).all()
    return [
        DatasetStatus(
            name,
            snap.id,
            snap.as_of,
            snap.loaded_at,
            snap.rows_loaded,
            snap.rows_rejected,
            list(snap.sources),
        )
        for name, snap in rows
    ]


def dataset_as_of(session: Session, dataset: str) -> date | None:
    return session.scalar(
        select(ReferenceSnapshot.as_of)
        .join(ReferenceDataset, ReferenceSnapshot.id == ReferenceDataset.current_snapshot_id)
        .where(ReferenceDataset.name == dataset)
    )


def dataset_age_days(session: Session, dataset: str, today: date | None = None) -> int | None:
    """Days between the dataset's `as_of` and `today`; None when it was never loaded.

    None must be read as "unknown", never as "fresh".
    """
    as_of = dataset_as_of(session, dataset)
    if as_of is None:
        return None
    return ((today or datetime.now(UTC).date()) - as_of).days

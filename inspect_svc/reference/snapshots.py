"""Switching a dataset to a new snapshot inside the loader's transaction.

A loader inserts its rows under a fresh snapshot id inside
`replacing_snapshot`, which then moves the dataset's pointer to it and
deletes the previous snapshot's rows, all in the caller's transaction.
Readers join `reference_dataset.current_snapshot_id` in the same statement
as the data, so they see either the old or the new rows, never both or
neither.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select, update

from inspect_svc.models.base import utcnow
from inspect_svc.models.reference import ReferenceDataset, ReferenceSnapshot
from inspect_svc.reference.report import LoadReport


@contextmanager
def replacing_snapshot(
    connection: Connection,
    report: LoadReport,
    as_of: date,
    sources: list[dict[str, Any]],
    tables: Sequence[Table],
) -> Iterator[int]:
    """Lock `report.dataset`, open a snapshot and yield its id; publish it when the block ends.

    The block inserts the rows under the yielded id and sets
    `report.rows_loaded`; the snapshot records that count and
    `report.rows_rejected`. If the block raises, nothing is published and
    the caller's transaction rolls back, so the previous snapshot stays
    current. `tables` hold the dataset's rows, children before parents.
    """
    previous = lock_dataset(connection, report.dataset)
    snapshot_id = begin_snapshot(connection, report.dataset, as_of, sources)
    yield snapshot_id
    report.snapshot_id = snapshot_id
    publish(
        connection,
        report.dataset,
        snapshot_id,
        previous,
        (report.rows_loaded, report.rows_rejected),
        tables,
    )


def lock_dataset(connection: Connection, dataset: str) -> int | None:
    """The current snapshot id, with the pointer row locked until commit (PostgreSQL).

    SQLite needs no row lock: the engine opens write transactions with
    BEGIN IMMEDIATE, which already serialises loaders.
    """
    return connection.scalar(
        select(ReferenceDataset.current_snapshot_id)
        .where(ReferenceDataset.name == dataset)
        .with_for_update()
    )


def begin_snapshot(
    connection: Connection, dataset: str, as_of: date, sources: list[dict[str, Any]]
) -> int:
    snapshot_id = connection.scalar(
        insert(ReferenceSnapshot)
        .values(dataset=dataset, as_of=as_of, loaded_at=utcnow(), sources=sources)
        .returning(ReferenceSnapshot.id)
    )
    assert snapshot_id is not None
    return snapshot_id


def publish(
    connection: Connection,
    dataset: str,
    snapshot_id: int,
    previous_id: int | None,
    rows: tuple[int, int],
    tables: Sequence[Table],
) -> None:
    """Point `dataset` at `snapshot_id` and delete `previous_id`'s rows from `tables`.

    `tables` are deleted from in the order given (children before parents).
    """
    loaded, rejected = rows
    connection.execute(
        update(ReferenceSnapshot)
        .where(ReferenceSnapshot.id == snapshot_id)
        .values(rows_loaded=loaded, rows_rejected=rejected)
    )
    if previous_id is None:
        connection.execute(
            insert(ReferenceDataset).values(name=dataset, current_snapshot_id=snapshot_id)
        )
        return
    connection.execute(
        update(ReferenceDataset)
        .where(ReferenceDataset.name == dataset)
        .values(current_snapshot_id=snapshot_id)
    )
    for table in tables:
        connection.execute(delete(table).where(table.c.snapshot_id == previous_id))

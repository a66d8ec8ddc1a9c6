"""Helpers shared by the loaders: column-length checks and batched core inserts."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from itertools import islice
from typing import Any, cast

from sqlalchemy import Connection, String, Table, insert

from inspect_svc.models.base import Base

BATCH_ROWS = 5000
ProgressHook = Callable[[int, int], None]
"""Called as (rows inserted so far, rows to insert) while a loader writes."""


def table_of(model: type[Base]) -> Table:
    """The mapped `Table` of a model class (typed as such, unlike `__table__`)."""
    return cast(Table, model.__table__)


def too_long(table: Table, row: Mapping[str, Any]) -> str | None:
    """Name of the first value longer than its VARCHAR column, else None.

    PostgreSQL rejects such a value and would abort the whole load, so the
    loaders reject the row instead.
    """
    for key, length in _limits(table):
        value = row.get(key)
        if isinstance(value, str) and len(value) > length:
            return key
    return None


@functools.cache
def _limits(table: Table) -> tuple[tuple[str, int], ...]:
    """(column key, length) of the table's VARCHAR columns (checked once per row)."""
    return tuple(
        (column.key, length)
        for column in table.columns
        if isinstance(column.type, String) and (length := getattr(column.type, "length", None))
    )


def insert_batches(
    connection: Connection,
    table: Table,
    rows: Iterable[dict[str, Any]],
    *,
    done: int = 0,
    total: int = 0,
    progress: ProgressHook | None = None,
) -> int:
    """executemany of a core INSERT in batches; returns `done` plus rows inserted."""
    iterator = iter(rows)
    statement = insert(table)
    while batch := list(islice(iterator, BATCH_ROWS)):
        connection.execute(statement, batch)
        done += len(batch)
        if progress is not None:
            progress(done, total)
    return done

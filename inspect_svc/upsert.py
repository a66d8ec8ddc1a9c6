"""INSERT ... ON CONFLICT DO NOTHING on SQLite and PostgreSQL alike.

Uniqueness that decides correctness (an idempotency key, a unit's first
sighting, the audit chain's head) is arbitrated by the database: whoever
inserts first wins, the others get nothing back and read the winner's row.

These are Core inserts on the model's table: no ORM objects are built or
flushed, which is what keeps them cheap on every scan's path.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any, cast

from sqlalchemy import Row, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from inspect_svc.models.base import Base


def insert_rows_if_absent(
    session: Session,
    model: type[Base],
    rows: Sequence[dict[str, Any]],
    conflict_on: Sequence[str],
    returning: Sequence[str],
) -> Sequence[Row[Any]]:
    """Insert `rows` in one statement; return the `returning` columns of those that were
    not present yet."""
    if not rows:
        return []
    statement = _insert_if_absent(_dialect(session), model, tuple(conflict_on), tuple(returning))
    return session.execute(statement, list(rows)).all()


def add_rows_if_absent(
    session: Session, model: type[Base], rows: Sequence[dict[str, Any]], conflict_on: Sequence[str]
) -> None:
    """Insert `rows` in one statement, skipping those present, without reading anything back."""
    if rows:
        statement = _insert_if_absent(_dialect(session), model, tuple(conflict_on), ())
        session.execute(statement, list(rows))


# Statements are built once per model and database: these inserts are on
# every scan's path, and building one costs more than running it.


@cache
def _insert_if_absent(
    dialect: str, model: type[Base], conflict_on: tuple[str, ...], returning: tuple[str, ...]
) -> Any:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = cast(Table, model.__table__)
    statement = insert(table).on_conflict_do_nothing(index_elements=list(conflict_on))
    return statement.returning(*(table.c[name] for name in returning)) if returning else statement


def _dialect(session: Session) -> str:
    """The name of the session's database dialect (`sqlite`, `postgresql`)."""
    return session.get_bind().dialect.name

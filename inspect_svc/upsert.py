"""INSERT ... ON CONFLICT DO NOTHING on SQLite and PostgreSQL alike.

Uniqueness that decides correctness (an idempotency key, a unit's first
sighting, the audit chain's head) is arbitrated by the database: whoever
inserts first wins, the others get nothing back and read the winner's row.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any, TypeVar, cast

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from inspect_svc.models.base import Base

M = TypeVar("M", bound=Base)


def insert_many_if_absent(
    session: Session, model: type[M], rows: Sequence[dict[str, Any]], conflict_on: Sequence[str]
) -> list[M]:
    """Insert `rows` in one statement; return the objects of those that were not present yet."""
    if not rows:
        return []
    statement = _insert_if_absent(_dialect(session), model, tuple(conflict_on), returning=True)
    return list(session.scalars(statement, list(rows)))


def add_rows_if_absent(
    session: Session, model: type[Base], rows: Sequence[dict[str, Any]], conflict_on: Sequence[str]
) -> None:
    """Insert `rows` in one statement, skipping those present, without reading anything back
    (a Core insert: no ORM objects)."""
    if rows:
        statement = _insert_if_absent(_dialect(session), model, tuple(conflict_on), returning=False)
        session.execute(statement, list(rows))


# Statements are built once per model and database: these inserts are on
# every scan's path, and building one costs more than running it.


@cache
def _insert_if_absent(
    dialect: str, model: type[Base], conflict_on: tuple[str, ...], *, returning: bool
) -> Any:
    """Returning: an ORM insert giving back the new objects; else a Core insert on the table."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    target = model if returning else cast(Table, model.__table__)
    statement = insert(target).on_conflict_do_nothing(index_elements=list(conflict_on))
    return statement.returning(model) if returning else statement


def _dialect(session: Session) -> str:
    """The name of the session's database dialect (`sqlite`, `postgresql`)."""
    return session.get_bind().dialect.name

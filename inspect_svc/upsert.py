"""INSERT ... ON CONFLICT DO NOTHING on SQLite and PostgreSQL alike.

Uniqueness that decides correctness (an idempotency key, a unit's first
sighting, the audit chain's head) is arbitrated by the database: whoever
inserts first wins, the others get nothing back and read the winner's row.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    insert = _dialect_insert(session)
    statement = (
        insert(model).on_conflict_do_nothing(index_elements=list(conflict_on)).returning(model)
    )
    return list(session.scalars(statement, list(rows)))


def add_rows_if_absent(
    session: Session, model: type[Base], rows: Sequence[dict[str, Any]], conflict_on: Sequence[str]
) -> None:
    """Insert `rows` in one statement, skipping those present, without reading anything back
    (a Core insert: no ORM objects)."""
    if rows:
        insert = _dialect_insert(session)
        table = cast(Table, model.__table__)
        statement = insert(table).on_conflict_do_nothing(index_elements=list(conflict_on))
        session.execute(statement, list(rows))


def _dialect_insert(session: Session) -> Any:
    """The INSERT construct with ON CONFLICT of the session's database."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert

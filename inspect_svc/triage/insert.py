"""INSERT ... ON CONFLICT DO NOTHING on SQLite and PostgreSQL alike.

Uniqueness that decides correctness (an idempotency key, a unit's first
sighting) is arbitrated by the database: whoever inserts first wins, the
other gets None back and reads the winner's row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from inspect_svc.models.base import Base


def insert_if_absent(
    session: Session, model: type[Base], values: dict[str, Any], conflict_on: Sequence[str]
) -> int | None:
    """Insert `values`; return the new row's id, or None if `conflict_on` already exists."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(model)
        .values(**values)
        .on_conflict_do_nothing(index_elements=list(conflict_on))
        .returning(model.id)  # type: ignore[attr-defined]
    )
    new_id: int | None = session.execute(statement).scalar_one_or_none()
    return new_id

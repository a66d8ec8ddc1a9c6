"""Run the Alembic migrations programmatically (used by `inspect-svc init` and tests).

Alembic is imported on first use, with its loggers held down: importing it
announces each of its plugins at INFO, which would otherwise land in the
service log of every worker (through the readiness probe).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    with _quiet("alembic"):
        from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser interpolation would read "%" in a password as a directive.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    with _quiet("alembic"):
        from alembic import command

    command.upgrade(alembic_config(url), revision)


@cache
def head_revision() -> str | None:
    """The newest migration of this code, read once per process and without log lines."""
    with _quiet("alembic"):
        from alembic.script import ScriptDirectory

        return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


@contextmanager
def _quiet(name: str) -> Iterator[None]:
    """Hold a logger's INFO lines for a moment."""
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        logger.setLevel(level)

"""Checks `init` and `serve` run first, so that a broken set-up is named, not a traceback.

Two faults are told apart from "the schema is missing": an instance folder
the service cannot write (it keeps the SQLite file, the generated secret
and the metrics folder there), and a database server that cannot be
reached (wrong host or port, server down, authentication refused).
"""

from __future__ import annotations

import os
import tempfile

import click
from sqlalchemy import inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from inspect_svc.db import make_engine
from inspect_svc.settings import Settings


def check_instance_dir(settings: Settings) -> None:
    """The instance folder exists (created if need be) and a file can be written in it.

    Tried for real rather than with `os.access`, which says yes to root
    whatever the permissions or a read-only mount.
    """
    folder = settings.instance_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-check-"):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        if folder.exists() and not folder.is_dir():
            reason = "it is a file, not a folder"
        raise click.ClickException(
            f"the instance folder {folder} is not writable ({reason}). The service keeps its "
            "SQLite database, generated secret and metrics there. Make it a folder this user "
            f"(uid {os.getuid()}) can write, or point server.instance_path "
            "(INSPECT_SERVER__INSTANCE_PATH) at one."
        ) from exc


def display_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def driver_reason(exc: Exception) -> str:
    """The database driver's own message, first line, without SQLAlchemy's wrapping."""
    original = getattr(exc, "orig", None) or exc
    text = str(original).strip().splitlines()
    return text[0] if text else type(original).__name__


def check_database(settings: Settings, *, need_schema: bool) -> None:
    """The database answers; with `need_schema`, it also has the service's tables."""
    url = settings.database_url
    engine = make_engine(url, settings)
    try:
        with engine.connect() as connection:
            has_schema = inspect(connection).has_table("alembic_version")
    except (SQLAlchemyError, OSError) as exc:
        raise click.ClickException(
            f"cannot reach the database at {display_url(url)}: {driver_reason(exc)}. "
            "Check database.url (INSPECT_DATABASE_URL) and that the server is running."
        ) from exc
    finally:
        engine.dispose()
    if need_schema and not has_schema:
        raise click.ClickException(
            f"the database at {display_url(url)} has no schema; run `inspect-svc init` first"
        )

"""Liveness and readiness probes (no authentication, not part of the OpenAPI document)."""

from __future__ import annotations

from functools import cache

from alembic.script import ScriptDirectory
from flask import Blueprint, Response, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from inspect_svc.db import db
from inspect_svc.migrate import alembic_config
from inspect_svc.problems import problem_response

blp = Blueprint("health", __name__)


@cache
def _head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


@blp.get("/healthz")
def healthz() -> Response:
    return jsonify(status="ok")


@blp.get("/readyz")
def readyz() -> Response:
    """Ready when the database answers and its schema is at the code's migration head."""
    try:
        with db.engine.connect() as connection:
            revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:
        return problem_response(
            503,
            "Service Unavailable",
            "The database is not reachable or has no schema; run `inspect-svc init`.",
        )
    if revision != _head_revision():
        return problem_response(
            503,
            "Service Unavailable",
            f"The database schema is at {revision!r}, not {_head_revision()!r}; "
            "run `inspect-svc init` to upgrade it.",
        )
    return jsonify(status="ready", database="ok", schema=revision)

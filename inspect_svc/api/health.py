"""Liveness and readiness probes (no authentication, not part of the OpenAPI document).

Probes are called every few seconds, so they stay quiet: the migration head
is read once per process with Alembic's loggers held down, and a probe that
succeeds writes no access-log line (a failing one does).
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from inspect_svc.db import DatabaseBusy, db
from inspect_svc.db_faults import transient_fault
from inspect_svc.migrate import head_revision
from inspect_svc.problems import problem_response

blp = Blueprint("health", __name__)

PROBE_PATHS = frozenset({"/healthz", "/readyz"})
# How long the write probe waits for SQLite's writer turn before calling the database busy.
WRITE_PROBE_WAIT_S = 0.5


class _QuietProbes(logging.Filter):
    """Drops the access-log line of a probe that succeeded."""

    def filter(self, record: logging.LogRecord) -> bool:
        path = getattr(record, "path", None)
        return not (path in PROBE_PATHS and getattr(record, "status", 500) < 400)


_QUIET_PROBES = _QuietProbes()


@blp.record_once
def _on_register(_state: object) -> None:
    logging.getLogger("inspect_svc.access").addFilter(_QUIET_PROBES)
    head_revision()  # read the scripts now rather than in the first probe


@blp.get("/healthz")
def healthz() -> Response:
    return jsonify(status="ok")


@blp.get("/readyz")
def readyz() -> Response:
    """Ready when the database answers, its schema is at the code's migration head and it
    takes a write (a heartbeat row committed). A database busy with other writers is ready."""
    try:
        with db.engine.connect() as connection:
            revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:
        return _unready(
            "The database is not reachable or has no schema; run `inspect-svc init`.",
            database="unreachable",
        )
    if revision != head_revision():
        return _unready(
            f"The database schema is at {revision!r}, not {head_revision()!r}; "
            "run `inspect-svc init` to upgrade it.",
            database="ok",
            schema=revision,
        )
    write = "ok"
    try:
        db.probe_write(WRITE_PROBE_WAIT_S)
    except DatabaseBusy:
        write = "busy"
    except SQLAlchemyError as exc:
        fault = transient_fault(exc)
        reason = fault.reason if fault else "error"
        return _unready(
            f"The database cannot take writes ({reason.replace('_', ' ')}).",
            database="ok",
            schema=revision,
            write=reason,
        )
    return jsonify(status="ready", database="ok", schema=revision, write=write)


def _unready(detail: str, **state: str | None) -> Response:
    return problem_response(
        503,
        "Service Unavailable",
        detail,
        problem="not-ready",
        extra={key: value for key, value in state.items() if value is not None},
        headers={"Retry-After": "5"},
    )

"""Liveness and readiness probes (no authentication, not part of the OpenAPI document)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from inspect_svc.db import db
from inspect_svc.problems import problem_response

blp = Blueprint("health", __name__)


@blp.get("/healthz")
def healthz() -> Response:
    return jsonify(status="ok")


@blp.get("/readyz")
def readyz() -> Response:
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return problem_response(503, "Service Unavailable", "The database is not reachable.")
    return jsonify(status="ready", database="ok")

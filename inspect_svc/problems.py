"""One error shape for the whole service: `application/problem+json` (RFC 9457).

Every HTTPException (ours, Flask's 404/405/413, webargs' validation 422)
and every unexpected exception goes through `problem_response`. Outside
debug mode nothing of an exception's text, a stack trace or a database
message reaches the client; the request id ties the response to the log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, current_app, g, json, request
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

from inspect_svc.db import DatabaseBusy
from inspect_svc.db_faults import DatabaseFault, transient_fault
from inspect_svc.domain_errors import (
    DomainError,
    IdempotencyKeyReused,
    InvalidRequest,
    OverrideForbidden,
    ShipmentNotFound,
    StaleAssessment,
    SupersedeForbidden,
)
from inspect_svc.transaction_retry import request_replay

PROBLEM_MIME = "application/problem+json"
PROBLEM_TYPE_BASE = "https://inspect-svc.example.org/problems/"
log = logging.getLogger(__name__)


class Problem(HTTPException):
    """An HTTP error with a specific problem type, detail and optional field errors."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        problem: str | None = None,
        errors: Mapping[str, list[str]] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(description=detail)
        self.code = status
        self.problem = problem
        self.errors = dict(errors) if errors else None
        self.extra = extra


def malformed_json() -> Problem:
    return Problem(
        400,
        "The request body is not valid JSON.",
        problem="malformed-json",
        errors={"body": ["not valid JSON"]},
    )


@dataclass(frozen=True)
class ProblemType:
    """How a domain error reads over HTTP: status, problem slug, extra members."""

    status: int
    slug: str
    extra: Callable[[Any], dict[str, Any]] | None = None


def _current_assessment(exc: StaleAssessment) -> dict[str, Any]:
    # Imported here: the API package imports this module for `Problem`.
    from inspect_svc.api.views import assessment_view

    current = exc.current
    return {"current_assessment": assessment_view(current) if current is not None else None}


DOMAIN_PROBLEMS: Mapping[type[DomainError], ProblemType] = {
    ShipmentNotFound: ProblemType(404, "shipment-not-found"),
    IdempotencyKeyReused: ProblemType(409, "idempotency-key-reused"),
    InvalidRequest: ProblemType(422, "validation"),
    StaleAssessment: ProblemType(409, "stale-assessment", _current_assessment),
    OverrideForbidden: ProblemType(403, "override-forbidden"),
    SupersedeForbidden: ProblemType(403, "supersede-forbidden"),
}
"""Every domain error's problem type; an error not listed here is a bug (a 500)."""


def as_problem(exc: DomainError) -> Problem:
    """The HTTP problem that `exc` stands for (`DOMAIN_PROBLEMS`)."""
    kind = DOMAIN_PROBLEMS[type(exc)]
    extra = kind.extra(exc) if kind.extra else {}
    return Problem(kind.status, exc.detail, problem=kind.slug, errors=exc.errors, **extra)


def handle_domain_error(exc: DomainError) -> Response:
    return handle_http_exception(as_problem(exc))


def problem_response(
    status: int,
    title: str,
    detail: str,
    *,
    problem: str | None = None,
    errors: Mapping[str, Any] | None = None,
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + problem if problem else "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.path if request else None,
        "request_id": g.get("request_id"),
    }
    if errors:
        body["errors"] = errors
    if extra:
        body.update(extra)
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MIME)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _flatten_webargs_messages(messages: Mapping[str, Any]) -> dict[str, Any]:
    """webargs nests errors by location ({"json": {"field": [...]}}); clients want fields."""
    flat: dict[str, Any] = {}
    for location, fields in messages.items():
        if isinstance(fields, Mapping):
            for name, msgs in fields.items():
                key = (
                    name if location in ("json", "form", "query", "path") else f"{location}.{name}"
                )
                flat[str(key)] = msgs
        else:
            flat[location] = fields
    return flat


def handle_http_exception(exc: HTTPException) -> Response:
    status = exc.code or 500
    title = exc.name
    if isinstance(exc, Problem):
        return problem_response(
            status,
            title,
            exc.description or title,
            problem=exc.problem,
            errors=exc.errors,
            extra=exc.extra,
        )
    data = getattr(exc, "data", None) or {}
    messages = data.get("messages")
    if messages is not None:
        errors = _flatten_webargs_messages(messages)
        if status == 400 and "Invalid JSON body." in str(messages):
            return handle_http_exception(malformed_json())
        return problem_response(
            status,
            title,
            "The request did not pass validation; see `errors` per field.",
            problem="validation",
            errors=errors,
        )
    detail = _default_detail(exc)
    headers = {}
    if status == 405 and exc.valid_methods:  # type: ignore[attr-defined]
        headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
    return problem_response(status, title, detail, headers=headers)


def _default_detail(exc: HTTPException) -> str:
    match exc.code:
        case 404:
            return f"No resource at {request.path}."
        case 405:
            return f"{request.method} is not allowed on {request.path}."
        case 413:
            limit = current_app.config.get("MAX_CONTENT_LENGTH")
            return f"The request body is larger than the limit of {limit} bytes."
        case _:
            return exc.description or exc.name


def handle_database_unavailable(exc: Exception) -> Response:
    """The database is busy, full or unreachable: a retryable 503, never a 500.

    A serialization failure or deadlock also asks for the request to be run
    again (`transaction_retry`); this 503 only reaches the client when the
    last attempt failed too.
    """
    fault = transient_fault(exc)
    if fault is None and isinstance(exc, DatabaseBusy):
        fault = DatabaseFault("database_busy")
    reason = fault.reason if fault else None
    replay = fault is not None and fault.replayable and request_replay(fault.reason)
    log.warning(
        "database unavailable: %s (%s)%s",
        type(exc).__name__,
        reason or "unclassified",
        "; running the request again" if replay else "",
        extra={"request_id": g.get("request_id")},
    )
    stored = (
        "it may have been stored: retry with the same idempotency key"
        if reason == "connection_lost"
        else "nothing was stored; retry shortly"
    )
    return problem_response(
        503,
        "Service Unavailable",
        "The database cannot complete the request right now "
        f"({(reason or 'busy or unreachable').replace('_', ' ')}); {stored}.",
        problem="database-unavailable",
        extra={"reason": reason} if reason else None,
        headers={"Retry-After": str(fault.retry_after if fault else 1)},
    )


def handle_database_error(exc: Exception) -> Response:
    """Any other database error: 503 when it is a passing fault, else an internal error."""
    if transient_fault(exc) is not None:
        return handle_database_unavailable(exc)
    return handle_unexpected(exc)


def handle_integrity_error(exc: Exception) -> Response:
    """A write lost a race on a unique or foreign key: the request conflicts with stored data."""
    log.warning("integrity conflict", extra={"request_id": g.get("request_id")})
    return problem_response(
        409,
        "Conflict",
        "The request conflicts with data stored meanwhile; retry it.",
        problem="conflict",
    )


def handle_unexpected(exc: Exception) -> Response:
    if isinstance(exc, HTTPException):
        return handle_http_exception(exc)
    log.exception("unhandled error", extra={"request_id": g.get("request_id")})
    detail = "An internal error occurred; quote the request id when reporting it."
    if current_app.debug:
        detail = f"{type(exc).__name__}: {exc}"
    return problem_response(500, "Internal Server Error", detail)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(DatabaseBusy, handle_database_unavailable)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    app.register_error_handler(DBAPIError, handle_database_error)
    app.register_error_handler(Exception, handle_unexpected)

"""The `web` blueprint, its CSRF guard and its HTML error pages."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from inspect_svc.domain_errors import DomainError
from inspect_svc.problems import Problem, as_problem

bp = Blueprint("web", __name__)
csrf = CSRFProtect()


@bp.before_request
def _check_form_csrf() -> None:
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()


@bp.errorhandler(HTTPException)
def _html_error(exc: HTTPException) -> tuple[str, int]:
    """People get an HTML page for errors on pages; the API keeps problem+json."""
    status = exc.code or 500
    if isinstance(exc, CSRFError):
        detail = "The form had expired or was not sent from this site. Reload the page and retry."
    elif isinstance(exc, Problem):
        detail = exc.description or exc.name
    else:
        detail = exc.name
    return render_template("error.html", status=status, title=exc.name, detail=detail), status


@bp.errorhandler(DomainError)
def _html_domain_error(exc: DomainError) -> tuple[str, int]:
    return _html_error(as_problem(exc))

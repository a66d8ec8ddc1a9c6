"""Incremental exports of cases as CSV, JSON Lines or an EPCIS 2.0 document.

The body streams; the cursor for the next page is in the `X-Next-Cursor`
header (and `X-More` says whether more cases were waiting when the page
was cut).
"""

from __future__ import annotations

from typing import Any

from flask import Response, stream_with_context
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from inspect_svc.api.schemas import TextSchema
from inspect_svc.auth import require_role
from inspect_svc.cases.exports.cursor import CURSOR_PATTERN, CursorError, decode_cursor
from inspect_svc.cases.exports.stream import CONTENT_TYPES, FORMATS, export_page, page_headers
from inspect_svc.current import settings
from inspect_svc.db import db
from inspect_svc.problems import Problem

MAX_LIMIT = 10_000

blp = Blueprint(
    "exports", __name__, url_prefix="/api/v1/exports", description="Incremental case exports"
)


class ExportQuerySchema(TextSchema):
    format = fields.String(load_default="jsonl", validate=validate.OneOf(FORMATS))
    since = fields.String(
        load_default=None,
        validate=validate.Regexp(CURSOR_PATTERN, error="not a cursor issued by this service"),
        metadata={"description": "Cursor from a previous page's X-Next-Cursor; omit to start"},
    )
    limit = fields.Integer(
        load_default=None,
        validate=validate.Range(min=1, max=MAX_LIMIT),
        metadata={"description": "Cases per page (default: export.page_size)"},
    )


_HEADERS = {
    "X-Next-Cursor": {
        "description": "Cursor to pass as `since` for the next page",
        "schema": {"type": "string"},
    },
    "X-More": {
        "description": "true when more changed cases were waiting",
        "schema": {"type": "string", "enum": ["true", "false"]},
    },
    "X-Case-Count": {"description": "Cases in this page", "schema": {"type": "integer"}},
}
_CONTENT = {
    CONTENT_TYPES["csv"].split(";")[0]: {"schema": {"type": "string"}},
    CONTENT_TYPES["jsonl"]: {"schema": {"type": "string"}},
    CONTENT_TYPES["epcis"]: {"schema": {"type": "object"}},
}


@blp.route("/cases")
class CaseExport(MethodView):
    @require_role("officer")
    @blp.arguments(ExportQuerySchema, location="query")
    @blp.doc(
        responses={
            "200": {
                "description": "One page of changed cases: text/csv (one row per decision), "
                "application/x-ndjson (one case per line) or application/ld+json "
                "(an EPCISDocument)",
                "headers": _HEADERS,
                "content": _CONTENT,
            }
        }
    )
    def get(self, query: dict[str, Any]) -> Response:
        """Cases changed after the cursor `since`, in change order."""
        try:
            after = decode_cursor(query["since"])
        except CursorError as exc:
            raise Problem(
                422,
                "The export cursor is not valid.",
                problem="validation",
                errors={"since": [str(exc)]},
            ) from exc
        config = settings().export
        page = export_page(
            db.session,
            db.new_session,
            query["format"],
            after,
            query["limit"] or config.page_size,
            config.epcis_namespace,
        )
        return Response(
            stream_with_context(page.chunks),
            status=200,
            content_type=page.content_type,
            headers=page_headers(page),
        )

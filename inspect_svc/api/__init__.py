"""The REST API: one flask-smorest `Api`, every blueprint registered here."""

from __future__ import annotations

import http
from typing import Any

from flask import Flask, Response, current_app, request
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.routing import IntegerConverter, Map

from inspect_svc import __version__
from inspect_svc.api.schemas import ProblemSchema
from inspect_svc.api.shipment_schemas import ScanBatchSchema, ScanInSchema
from inspect_svc.document_body import document_limit
from inspect_svc.problems import PROBLEM_MIME, Problem, handle_http_exception

JSON_BODY_METHODS = {"POST", "PUT", "PATCH"}
MAX_ID = 2**31 - 1


class ProblemApi(Api):
    """flask-smorest `Api` whose errors (and their documentation) are problem+json."""

    ERROR_SCHEMA = ProblemSchema

    def handle_http_exception(self, error: HTTPException) -> Response:
        return handle_http_exception(error)

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_MIME)
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "Error (application/problem+json)", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, PROBLEM_MIME)
        self.spec.components.response("DEFAULT_ERROR", default, lazy=True)


class IdConverter(IntegerConverter):
    """Row ids in URLs: 1 to 2**31 - 1, so any other number is a plain 404."""

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map, min=1, max=MAX_ID)

    @staticmethod
    def openapi_schema(_converter: IdConverter) -> dict[str, Any]:
        return {"type": "integer", "minimum": 1, "maximum": MAX_ID}


def _check_request_body() -> None:
    """413 for a declared body over the limit; 415 for a non-JSON API write.

    A view that takes a whole document (``document_body.takes_document``) has its
    own size limit and checks its content type itself.
    """
    document = document_limit()
    if document is not None:
        request.max_content_length = document
    limit = document if document is not None else current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge()
    if document is not None:
        return
    if request.method not in JSON_BODY_METHODS or not request.path.startswith("/api/"):
        return
    if not request.content_length and not request.headers.get("Transfer-Encoding"):
        return
    if not request.is_json:
        raise Problem(
            415,
            f"Send the body as application/json (got {request.mimetype or 'no content type'}).",
            problem="unsupported-media-type",
        )


def register_api(app: Flask) -> ProblemApi:
    from inspect_svc.api import (
        decisions,
        epcis,
        exports,
        health,
        interpret,
        me,
        queue,
        reference,
        reports,
        selectivity,
        shipments,
    )

    app.config.update(
        API_TITLE="Import inspection triage API",
        API_VERSION=__version__,
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="/docs",
        OPENAPI_SWAGGER_UI_URL="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/",
        API_SPEC_OPTIONS={
            "info": {
                "description": "DSCSA scan interpretation, risk triage, decisions and exports. "
                "Errors are application/problem+json. Text must not contain U+0000 or "
                "unpaired surrogates: such values are refused with 422 naming the field."
            },
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
            "security": [{"bearerAuth": []}],
        },
    )
    app.url_map.converters["id"] = IdConverter
    api = ProblemApi(app)
    api.register_converter(IdConverter, IdConverter.openapi_schema)
    api.spec.components.schema("ScanIn", schema=ScanInSchema)
    api.spec.components.schema("ScanBatch", schema=ScanBatchSchema)
    app.before_request(_check_request_body)
    app.register_blueprint(health.blp)
    for blueprint in (
        me.blp,
        interpret.blp,
        shipments.blp,
        epcis.blp,
        decisions.blp,
        queue.blp,
        exports.blp,
        reference.blp,
        selectivity.blp,
        reports.blp,
    ):
        api.register_blueprint(blueprint)
    return api

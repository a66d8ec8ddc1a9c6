"""Interpret a scan without storing anything."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from inspect_svc.api.schemas import TextSchema
from inspect_svc.api.shipment_schemas import InterpretationSchema
from inspect_svc.auth import require_role
from inspect_svc.current import triage_runtime

blp = Blueprint(
    "interpret", __name__, url_prefix="/api/v1/interpret", description="Scan interpretation"
)


class InterpretInSchema(TextSchema):
    raw = fields.String(required=True, validate=validate.Length(max=100_000))


@blp.route("")
class Interpret(MethodView):
    @require_role("inspector")
    @blp.arguments(InterpretInSchema)
    @blp.response(200, InterpretationSchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Interpret raw scanner text into GTIN, NDC, serial, lot and expiry, with error codes."""
        return triage_runtime().interpret(body["raw"]).to_dict()

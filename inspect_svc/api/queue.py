"""The officer queue of open shipments, riskiest first, with counts per status."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from inspect_svc.api.schemas import TextSchema
from inspect_svc.api.shipment_schemas import ShipmentSchema, validate_country
from inspect_svc.api.views import shipment_view
from inspect_svc.auth import require_role
from inspect_svc.cases.queue import QueueFilters, officer_queue
from inspect_svc.db import db
from inspect_svc.models.triage import RECOMMENDATIONS, STATUSES

blp = Blueprint("queue", __name__, url_prefix="/api/v1/queue", description="Officer work queue")


MAX_AGE_HOURS = 24 * 366 * 100
"""A century: ages beyond it are input errors, not filters."""


class QueueQuerySchema(TextSchema):
    recommendation = fields.String(validate=validate.OneOf(RECOMMENDATIONS))
    port = fields.String(validate=validate.Length(max=16))
    origin = fields.String(validate=validate_country)
    rule = fields.String(
        validate=validate.Length(min=1, max=16), metadata={"description": "A rule that fired"}
    )
    min_age_hours = fields.Float(validate=validate.Range(min=0, max=MAX_AGE_HOURS))
    max_age_hours = fields.Float(validate=validate.Range(min=0, max=MAX_AGE_HOURS))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=10**9))


class QueueSchema(Schema):
    items = fields.List(fields.Nested(ShipmentSchema), required=True)
    total = fields.Integer(required=True)
    counts = fields.Dict(
        keys=fields.String(validate=validate.OneOf(STATUSES)),
        values=fields.Integer(),
        required=True,
        metadata={"description": "Shipments per status under the same filters"},
    )


@blp.route("")
class Queue(MethodView):
    @require_role("officer")
    @blp.arguments(QueueQuerySchema, location="query")
    @blp.response(200, QueueSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Open shipments by risk (highest first), filtered; counts per status."""
        page = officer_queue(db.session, QueueFilters(**query))
        return {
            "items": [shipment_view(s, page.scan_counts.get(s.id, 0)) for s in page.items],
            "total": page.total,
            "counts": page.counts,
        }

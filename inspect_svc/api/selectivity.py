"""Lanes and exam results of a shipment: reroute a lane (officer), record an exam (inspector)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from inspect_svc.api.schemas import TextSchema
from inspect_svc.auth import current_actor, require_role
from inspect_svc.cases.charges import CHARGE_CODES
from inspect_svc.cases.exam_results import exam_results_of, record_exam_result
from inspect_svc.cases.lanes import LANES, SELECTORS
from inspect_svc.cases.selectivity import reroute_lane
from inspect_svc.db import db
from inspect_svc.models.selectivity import EXAM_RESULTS
from inspect_svc.row_records import exam_result_record
from inspect_svc.triage.shipments import get_shipment

blp = Blueprint(
    "selectivity",
    __name__,
    url_prefix="/api/v1/shipments",
    description="Lanes and exam results of shipments",
)


class LaneInSchema(TextSchema):
    lane = fields.String(required=True, validate=validate.OneOf(LANES))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=4000))


class LaneSchema(Schema):
    id = fields.Integer(required=True)
    lane = fields.String(required=True, validate=validate.OneOf(LANES))
    selected_by = fields.String(allow_none=True, validate=validate.OneOf(SELECTORS))


class ExamResultInSchema(TextSchema):
    result = fields.String(required=True, validate=validate.OneOf(EXAM_RESULTS))
    charges = fields.List(
        fields.String(
            validate=validate.OneOf(
                list(CHARGE_CODES), error="{input!r} is not a known refusal charge code."
            )
        ),
        load_default=list,
        validate=validate.Length(max=len(CHARGE_CODES)),
        metadata={"description": "FDA refusal charge codes: " + ", ".join(CHARGE_CODES)},
    )
    notes = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=4000))


class ExamResultSchema(Schema):
    id = fields.Integer(required=True)
    shipment_id = fields.Integer(required=True)
    result = fields.String(required=True)
    charges = fields.List(fields.String(), required=True)
    notes = fields.String(allow_none=True)
    recorded_by = fields.String(required=True)
    role = fields.String(required=True)
    recorded_at = fields.String(required=True)
    lane = fields.String(required=True)
    selected_by = fields.String(allow_none=True)


class ExamResultListSchema(Schema):
    items = fields.List(fields.Nested(ExamResultSchema), required=True)


@blp.route("/<id:shipment_id>/lane")
class ShipmentLane(MethodView):
    @require_role("officer")
    @blp.arguments(LaneInSchema)
    @blp.response(200, LaneSchema)
    def post(self, data: dict[str, Any], shipment_id: int) -> dict[str, Any]:
        """Reroute the shipment to another lane, with a reason (audited)."""
        shipment = get_shipment(db.session, shipment_id, for_update=True)
        reroute_lane(db.session, shipment, data["lane"], data["reason"], current_actor())
        return {"id": shipment.id, "lane": shipment.lane, "selected_by": shipment.selected_by}


@blp.route("/<id:shipment_id>/exam-results")
class ShipmentExamResults(MethodView):
    @require_role("inspector")
    @blp.arguments(ExamResultInSchema)
    @blp.response(201, ExamResultSchema)
    def post(self, data: dict[str, Any], shipment_id: int) -> dict[str, Any]:
        """Record what an exam found; a later result corrects an earlier one (both kept)."""
        shipment = get_shipment(db.session, shipment_id, for_update=True)
        row = record_exam_result(
            db.session,
            shipment,
            data["result"],
            data["charges"],
            data["notes"],
            current_actor(),
        )
        return exam_result_record(row)

    @require_role("inspector")
    @blp.response(200, ExamResultListSchema)
    def get(self, shipment_id: int) -> dict[str, Any]:
        """The shipment's exam results, oldest first."""
        get_shipment(db.session, shipment_id)
        return {"items": [exam_result_record(r) for r in exam_results_of(db.session, shipment_id)]}

"""Reports for officers: the hit-rate table (JSON, or CSV with `format=csv`)."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from inspect_svc.api.schemas import TextSchema
from inspect_svc.api.shipment_schemas import PLAUSIBLE_TIME_DOC, validate_plausible_time
from inspect_svc.auth import require_role
from inspect_svc.cases.hit_rates import CSV_COLUMNS, hit_rate_report, report_rows
from inspect_svc.current import policy
from inspect_svc.db import db

blp = Blueprint("reports", __name__, url_prefix="/api/v1/reports", description="Reports")


class HitRateQuerySchema(TextSchema):
    since = fields.AwareDateTime(
        load_default=None, validate=validate_plausible_time, metadata=PLAUSIBLE_TIME_DOC
    )
    until = fields.AwareDateTime(
        load_default=None, validate=validate_plausible_time, metadata=PLAUSIBLE_TIME_DOC
    )
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv"]))


class HitRateRowSchema(Schema):
    shipments = fields.Integer(required=True)
    exams = fields.Integer(required=True)
    violations = fields.Integer(required=True)
    hit_rate = fields.Float(required=True, allow_none=True)
    ci95 = fields.List(fields.Float(), required=True)


class RuleRowSchema(HitRateRowSchema):
    rule = fields.String(required=True)
    state = fields.String(validate=validate.OneOf(["active", "shadow"]))
    would_change = fields.Integer(
        allow_none=True,
        metadata={"description": "shadow rules: shipments whose recommendation would differ"},
    )


class BandRowSchema(HitRateRowSchema):
    band = fields.String(required=True)


class LaneRowSchema(HitRateRowSchema):
    lane = fields.String(required=True)
    share = fields.Float(allow_none=True)
    expected_rate = fields.Float(allow_none=True)


class ShadowSummarySchema(Schema):
    rules = fields.List(fields.String())
    would_change = fields.Integer()


class HitRateReportSchema(Schema):
    random = fields.Nested(HitRateRowSchema, required=True)
    by_rule = fields.List(fields.Nested(RuleRowSchema), required=True)
    by_band = fields.List(fields.Nested(BandRowSchema), required=True)
    by_lane = fields.List(fields.Nested(LaneRowSchema), required=True)
    shadow = fields.Nested(ShadowSummarySchema)
    random_rate = fields.Float()


@blp.route("/hit-rates")
class HitRates(MethodView):
    @require_role("officer")
    @blp.arguments(HitRateQuerySchema, location="query")
    @blp.response(200, HitRateReportSchema)
    @blp.doc(
        responses={
            "200": {
                "description": "The report; with format=csv the same table as text/csv",
                "content": {
                    "application/json": {"schema": HitRateReportSchema},
                    "text/csv": {"schema": {"type": "string"}},
                },
            }
        }
    )
    def get(self, query: dict[str, Any]) -> Any:
        """Exams and violations per rule, score band and lane, with 95 % Wilson intervals.

        Over shipments created in [since, until); the random slice is the
        unbiased baseline.
        """
        report = hit_rate_report(db.session, policy(), query["since"], query["until"])
        if query["format"] == "csv":
            return Response(
                report_csv(report),
                content_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": 'attachment; filename="hit-rates.csv"'},
            )
        return report


def report_csv(report: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(report_rows(report))
    return buffer.getvalue()

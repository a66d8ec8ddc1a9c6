"""Decisions on a shipment: record one (201), list them newest first."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from inspect_svc.api import MAX_ID
from inspect_svc.api.schemas import TextSchema, idempotency_key_header
from inspect_svc.api.views import decision_view, decision_views
from inspect_svc.auth import current_actor, require_role
from inspect_svc.cases.decisions import (
    DecisionInput,
    decisions_of,
    latest_decision,
    record_decision,
)
from inspect_svc.cases.reasons import REASON_CODES
from inspect_svc.db import db
from inspect_svc.models.case import ACTIONS
from inspect_svc.triage.shipments import get_shipment

blp = Blueprint(
    "decisions",
    __name__,
    url_prefix="/api/v1/shipments",
    description="Release, exam and detain decisions on shipments",
)


class DecisionInSchema(TextSchema):
    action = fields.String(required=True, validate=validate.OneOf(ACTIONS))
    reason_codes = fields.List(
        fields.String(validate=validate.OneOf(list(REASON_CODES))),
        required=True,
        validate=validate.Length(min=1, max=len(REASON_CODES)),
        metadata={"description": "Codes from: " + ", ".join(REASON_CODES)},
    )
    notes = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=4000))
    justification = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=4000),
        metadata={
            "description": "Required (officer role) when overriding the recommendation; "
            "must contain visible text"
        },
    )
    assessment_id = fields.Integer(
        load_default=None,
        allow_none=True,
        strict=True,
        validate=validate.Range(min=1, max=MAX_ID),
        metadata={
            "description": "The assessment the decision is made on (the shipment's "
            "`assessment_id` as shown); 409 with the current one when it is stale"
        },
    )


class FindingAtDecisionSchema(Schema):
    rule = fields.String()
    severity = fields.String()
    weight = fields.Float()
    scan_id = fields.Integer(allow_none=True)
    message = fields.String()


class DecisionSchema(Schema):
    id = fields.Integer(required=True)
    shipment_id = fields.Integer(required=True)
    action = fields.String(required=True)
    reason_codes = fields.List(fields.String(), required=True)
    notes = fields.String(allow_none=True)
    justification = fields.String(allow_none=True)
    actor_id = fields.Integer(allow_none=True)
    actor_name = fields.String(required=True)
    role = fields.String(required=True)
    decided_at = fields.String(required=True)
    recommendation_at_decision = fields.String(required=True)
    risk_score_at_decision = fields.Float(required=True)
    findings_at_decision = fields.List(fields.Nested(FindingAtDecisionSchema))
    ruleset_version = fields.String(allow_none=True)
    supersedes_id = fields.Integer(allow_none=True)
    superseded_by = fields.Integer(allow_none=True)
    current = fields.Boolean()
    override = fields.Boolean(required=True)
    assessment_id = fields.Integer(allow_none=True)


class DecisionListSchema(Schema):
    items = fields.List(fields.Nested(DecisionSchema), required=True)


@blp.route("/<id:shipment_id>/decisions")
class ShipmentDecisions(MethodView):
    @require_role("inspector")
    @blp.arguments(DecisionInSchema)
    @blp.response(201, DecisionSchema)
    @blp.alt_response(200, schema=DecisionSchema, description="A replay of an earlier request")
    def post(self, data: dict[str, Any], shipment_id: int) -> Any:
        """Record a decision; it supersedes the shipment's previous one.

        Deciding less severely than recommended is an override: it needs the
        officer role (403) and a justification in visible text (422). Superseding
        an officer's decision needs the officer role (403). With `assessment_id`,
        a decision on an assessment that is no longer current is refused (409,
        problem `stale-assessment`, with `current_assessment`). Send an `Idempotency-Key`
        header so that a retried request returns the stored decision (200)
        instead of recording a second one.
        """
        key = idempotency_key_header()
        shipment = get_shipment(db.session, shipment_id, for_update=True)
        recorded = record_decision(
            db.session, shipment, DecisionInput(**data, idempotency_key=key), current_actor()
        )
        view = decision_view(recorded.decision)
        current = latest_decision(db.session, shipment.id) if recorded.replayed else None
        superseded_by = current.id if current and current.id != recorded.decision.id else None
        view.update(superseded_by=superseded_by, current=superseded_by is None)
        return view, 200 if recorded.replayed else 201

    @require_role("inspector")
    @blp.response(200, DecisionListSchema)
    def get(self, shipment_id: int) -> dict[str, Any]:
        """The shipment's decisions, newest first, with their supersede links."""
        get_shipment(db.session, shipment_id)
        return {"items": decision_views(decisions_of(db.session, shipment_id))}

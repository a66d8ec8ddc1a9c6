"""The shipper's EPCIS data on a shipment: attach a document, compare contents."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from inspect_svc.api.schemas import ProblemSchema
from inspect_svc.api.views import shipment_summary
from inspect_svc.auth import current_actor, require_role
from inspect_svc.current import settings, triage_runtime
from inspect_svc.db import db
from inspect_svc.document_body import takes_document
from inspect_svc.epcis.attach import attach_epcis, read_document
from inspect_svc.epcis.contents import contents
from inspect_svc.epcis.events import DocumentError, NestingTooDeep
from inspect_svc.json_depth import too_deep
from inspect_svc.problems import Problem
from inspect_svc.triage.shipments import get_shipment

_JSON_TYPES = ("application/json", "application/ld+json")
_XML_TYPES = ("application/xml", "text/xml")
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024
"""A truckload's document, well above the server's limit for other bodies."""

blp = Blueprint(
    "epcis",
    __name__,
    url_prefix="/api/v1/shipments",
    description="The shipper's EPCIS data: expected pallets, cases and packs",
)


class ExpectedSchema(Schema):
    units = fields.Integer(required=True)
    cases = fields.Integer(required=True)
    pallets = fields.Integer(required=True)


class EpcisAttachedSchema(Schema):
    expected = fields.Nested(ExpectedSchema, required=True)
    events = fields.Integer(required=True, metadata={"description": "events read"})
    shipment = fields.Dict(required=True)


class EpcisProblemSchema(ProblemSchema):
    """A refused document: which event (index in the event list, eventID) was at fault."""

    event_index = fields.Integer(allow_none=True)
    event_id = fields.String(allow_none=True)


EPCIS_REQUEST_BODY = {
    "required": True,
    "description": "An EPCIS 2.0 document, checked against GS1's EPCIS 2.0 JSON schema "
    "(https://ref.gs1.org/standards/epcis/2.0.0/) or read as EPCIS 2.0 XML; see docs/epcis.md.",
    "content": {
        "application/ld+json": {"schema": {"type": "object"}},
        "application/json": {"schema": {"type": "object"}},
        "application/xml": {"schema": {"type": "string"}},
    },
}


@blp.route("/<id:shipment_id>/epcis")
class ShipmentEpcis(MethodView):
    @takes_document(MAX_DOCUMENT_BYTES)
    @require_role("inspector")
    @blp.doc(requestBody=EPCIS_REQUEST_BODY)
    @blp.response(201, EpcisAttachedSchema)
    @blp.alt_response(
        422,
        schema=EpcisProblemSchema,
        content_type="application/problem+json",
        description="The document was refused",
    )
    def post(self, shipment_id: int) -> dict[str, Any]:
        """Attach the shipper's EPCIS 2.0 document (JSON-LD or XML); a later one corrects."""
        mimetype = request.mimetype
        if mimetype not in _JSON_TYPES + _XML_TYPES:
            raise Problem(
                415,
                "Send an EPCIS 2.0 document as application/ld+json, application/json "
                "or application/xml.",
                problem="unsupported-media-type",
                errors={"Content-Type": [f"{mimetype or 'none'} is not accepted"]},
            )
        xml = mimetype in _XML_TYPES
        try:
            tree = read_document(request.stream, xml, settings().server.max_json_depth)
        except NestingTooDeep as exc:
            raise too_deep(exc.limit) from exc
        except DocumentError as exc:
            where = f"event {exc.index}" if exc.index is not None else "the document"
            if exc.event_id:
                where += f" ({exc.event_id})"
            raise Problem(
                422,
                f"The EPCIS document was not attached: {where}: {exc.reason}",
                problem="validation",
                errors={exc.location: [exc.reason]},
                event_index=exc.index,
                event_id=exc.event_id,
            ) from exc
        shipment = get_shipment(db.session, shipment_id, for_update=True)
        counts = attach_epcis(db.session, shipment, tree, xml, current_actor(), triage_runtime())
        return {
            "expected": counts.to_dict(),
            "events": tree.events,
            "shipment": shipment_summary(shipment),
        }


class ContentsSchema(Schema):
    epcis_attached = fields.Boolean(required=True)
    expected = fields.Nested(ExpectedSchema, required=True)
    lines = fields.List(
        fields.Dict(),
        required=True,
        metadata={
            "description": "per NDC, GTIN and lot: expected, scanned, present_sealed "
            "(counted present because their sealed case or pallet was scanned), missing"
        },
    )
    cases_opened = fields.List(fields.String(), required=True)
    containers_scanned = fields.List(fields.Dict(), required=True)
    missing_count = fields.Integer(required=True)
    missing = fields.List(fields.Dict(), required=True)
    unexpected_count = fields.Integer(required=True)
    unexpected = fields.List(fields.Dict(), required=True)


@blp.route("/<id:shipment_id>/contents")
class ShipmentContents(MethodView):
    @require_role("inspector")
    @blp.response(200, ContentsSchema)
    def get(self, shipment_id: int) -> dict[str, Any]:
        """Expected (shipper's EPCIS) vs scanned, per NDC and lot; missing and unexpected packs."""
        get_shipment(db.session, shipment_id)
        return contents(db.session, shipment_id)

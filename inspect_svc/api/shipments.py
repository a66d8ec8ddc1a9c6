"""Shipments and their scans: create, list, show, post scans (one or a batch)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import ValidationError

from inspect_svc.api.schemas import idempotency_key_header
from inspect_svc.api.shipment_schemas import (
    SCAN_REQUEST_BODY,
    ScanInSchema,
    ShipmentCreateSchema,
    ShipmentDetailSchema,
    ShipmentPageSchema,
    ShipmentQuerySchema,
    ShipmentSchema,
    TriageResultSchema,
)
from inspect_svc.api.views import (
    product_view,
    scan_view,
    shipment_detail,
    shipment_summary,
    shipment_view,
)
from inspect_svc.auth import current_actor, require_role
from inspect_svc.current import settings, triage_runtime
from inspect_svc.db import db
from inspect_svc.epcis.scan_facts import holds_view
from inspect_svc.problems import Problem, malformed_json
from inspect_svc.triage.scans import ScanInput, read_scans, record_scans
from inspect_svc.triage.shipments import (
    create_shipment,
    get_shipment,
    list_shipments,
)

blp = Blueprint(
    "shipments", __name__, url_prefix="/api/v1/shipments", description="Shipments and their scans"
)


@blp.route("")
class Shipments(MethodView):
    @require_role("inspector")
    @blp.arguments(ShipmentQuerySchema, location="query")
    @blp.response(200, ShipmentPageSchema)
    def get(self, filters: dict[str, Any]) -> dict[str, Any]:
        """List shipments, newest first, with filters and pagination."""
        page = list_shipments(db.session, filters)
        return {
            "items": [shipment_view(s, page.scan_counts.get(s.id, 0)) for s in page.items],
            "page": filters["page"],
            "per_page": filters["per_page"],
            "total": page.total,
        }

    @require_role("inspector")
    @blp.arguments(ShipmentCreateSchema)
    @blp.response(201, ShipmentSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Create a shipment (entry, port, mode, origin, parties, declared lines, entry data).

        The shipment rules run at once, so what the entry data shows (a wrong check
        digit, a missing affirmation, a DA that is not the product's) is there before
        any pack is scanned.
        """
        runtime = triage_runtime()
        shipment = create_shipment(db.session, data, current_actor(), runtime)
        return shipment_view(shipment, 0)


@blp.route("/<id:shipment_id>")
class ShipmentDetail(MethodView):
    @require_role("inspector")
    @blp.response(200, ShipmentDetailSchema)
    def get(self, shipment_id: int) -> dict[str, Any]:
        """The shipment with its scans, findings, recommendation and decisions."""
        return shipment_detail(db.session, get_shipment(db.session, shipment_id), triage_runtime())


@blp.route("/<id:shipment_id>/scans")
class ShipmentScans(MethodView):
    @db.reads_first
    @require_role("inspector")
    @blp.doc(requestBody=SCAN_REQUEST_BODY)
    @blp.response(201, TriageResultSchema)
    @blp.alt_response(200, schema=TriageResultSchema, description="Every scan was a replay")
    def post(self, shipment_id: int) -> Any:
        """Store and triage one scan or a batch; a repeated idempotency key replays."""
        inputs = _scan_inputs(_json_object(), idempotency_key_header())
        runtime = triage_runtime()
        read = read_scans(runtime, inputs)
        db.end_read_phase()
        shipment = get_shipment(db.session, shipment_id, for_update=True)
        recorded = record_scans(db.session, shipment, read, current_actor(), runtime)
        result = {
            "scans": [
                {
                    **scan_view(r.scan, product_view(runtime, r.scan.ndc10)),
                    "epcis": holds_view(db.session, r.scan),
                }
                for r in recorded
            ],
            "shipment": shipment_summary(shipment),
        }
        status = 200 if all(r.replayed for r in recorded) else 201
        # Sent as built: the views already have the schema's shape (a test holds them to
        # it), and dumping a batch of 500 scans through the schema took a fifth of its time.
        return jsonify(result), status


def _json_object() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if body is None:
        raise malformed_json()
    if not isinstance(body, dict):
        raise Problem(
            422,
            'Send a JSON object: one scan or {"scans": [...]}.',
            problem="validation",
            errors={"body": ["expected a JSON object"]},
        )
    return body


def _scan_inputs(body: dict[str, Any], header_key: str | None) -> list[ScanInput]:
    """Validate one scan or each scan of a batch (errors keyed `scans.N.field`), attach keys."""
    batch = "scans" in body
    items = body["scans"] if batch else [body]
    if batch and (not isinstance(items, list) or not items or len(body) != 1):
        raise Problem(
            422,
            'A batch is {"scans": [scan, ...]} with at least one scan and nothing else.',
            problem="validation",
            errors={"scans": ["expected a non-empty list of scans"]},
        )
    limit = settings().scan.max_batch
    if len(items) > limit:
        raise Problem(
            422,
            f"A batch holds at most {limit} scans.",
            problem="validation",
            errors={"scans": [f"at most {limit} scans per request"]},
        )
    schema, inputs, errors = ScanInSchema(), [], {}
    for index, item in enumerate(items):
        try:
            loaded = schema.load(item)
        except ValidationError as exc:
            prefix = f"scans.{index}." if batch else ""
            for field, messages in exc.normalized_messages().items():
                errors[f"{prefix}{field}"] = messages
            continue
        if not loaded["idempotency_key"] and header_key:
            loaded["idempotency_key"] = f"{header_key}:{index}" if batch else header_key
        inputs.append(ScanInput(**loaded))
    if errors:
        raise Problem(
            422,
            "The scan did not pass validation; see `errors`.",
            problem="validation",
            errors=errors,
        )
    return inputs

"""Reference data look-ups: an NDC or GTIN in the directory, and what each dataset holds."""

from __future__ import annotations

import dataclasses
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from inspect_svc.auth import require_role
from inspect_svc.db import db
from inspect_svc.problems import Problem
from inspect_svc.reference.freshness import dataset_status
from inspect_svc.reference.ndc_lookup import lookup_ndc
from inspect_svc.reference.ndc_query import NdcCodeError

blp = Blueprint(
    "reference",
    __name__,
    url_prefix="/api/v1/reference",
    description="FDA reference data: NDC Directory, recalls, import alerts",
)


class NdcProductSchema(Schema):
    product_ndc = fields.String(required=True)
    product_type = fields.String(allow_none=True)
    proprietary_name = fields.String(allow_none=True)
    proprietary_name_suffix = fields.String(allow_none=True)
    nonproprietary_name = fields.String(allow_none=True)
    dosage_form = fields.String(allow_none=True)
    route = fields.String(allow_none=True)
    marketing_start = fields.Date(allow_none=True)
    marketing_end = fields.Date(allow_none=True)
    marketing_category = fields.String(allow_none=True)
    application_number = fields.String(allow_none=True)
    labeler_name = fields.String(allow_none=True)
    substance_name = fields.String(allow_none=True)
    active_strength = fields.String(allow_none=True)
    active_unit = fields.String(allow_none=True)
    pharm_classes = fields.String(allow_none=True)
    dea_schedule = fields.String(allow_none=True)
    exclude_flag = fields.String(allow_none=True)
    listing_certified_through = fields.Date(allow_none=True)


class NdcMatchSchema(Schema):
    ndc = fields.String(required=True, metadata={"description": "Hyphenated, as in the directory"})
    ndc10 = fields.String(required=True)
    ndc11 = fields.String(required=True)
    gtin14 = fields.String(required=True)
    layout = fields.String(required=True)
    variant = fields.String(
        required=True, metadata={"description": "finished, excluded or unfinished"}
    )
    directory_as_of = fields.Date(required=True)
    description = fields.String(allow_none=True)
    marketing_start = fields.Date(allow_none=True)
    marketing_end = fields.Date(allow_none=True)
    sample = fields.Boolean(allow_none=True)
    exclude_flag = fields.String(allow_none=True)
    product = fields.Nested(NdcProductSchema, required=True)


class NdcLookupSchema(Schema):
    code = fields.String(required=True)
    form = fields.String(required=True, metadata={"description": "How the code was read"})
    matches = fields.List(fields.Nested(NdcMatchSchema), required=True)


class SourceSchema(Schema):
    name = fields.String(required=True)
    sha256 = fields.String(required=True)
    bytes = fields.Integer(required=True)
    variant = fields.String()


class DatasetSchema(Schema):
    name = fields.String(required=True)
    snapshot_id = fields.Integer(required=True)
    as_of = fields.Date(required=True)
    loaded_at = fields.DateTime(required=True)
    rows_loaded = fields.Integer(required=True)
    rows_rejected = fields.Integer(required=True)
    sources = fields.List(fields.Nested(SourceSchema), required=True)


class StatusSchema(Schema):
    datasets = fields.List(fields.Nested(DatasetSchema), required=True)


@blp.route("/ndc/<string:code>")
class NdcLookupView(MethodView):
    @require_role("inspector")
    @blp.response(200, NdcLookupSchema)
    def get(self, code: str) -> dict[str, Any]:
        """Directory packages for a GTIN-14, UPC-A, 10-/11-digit or hyphenated NDC."""
        try:
            found = lookup_ndc(db.session, code)
        except NdcCodeError as exc:
            # A code that cannot name any package is a resource that does not exist.
            raise Problem(
                404, f"{code!r} is not an NDC or NDC-based GTIN: {exc}.", problem="invalid-ndc"
            ) from exc
        if not found.matches:
            raise Problem(
                404,
                f"No package in the loaded NDC Directory matches {code!r}.",
                problem="ndc-not-found",
                form=found.query.form,
            )
        return {
            "code": code,
            "form": found.query.form,
            "matches": [dataclasses.asdict(match) for match in found.matches],
        }


@blp.route("/status")
class StatusView(MethodView):
    @require_role("inspector")
    @blp.response(200, StatusSchema)
    def get(self) -> dict[str, Any]:
        """Each loaded dataset: snapshot date, load time, source checksums, row counts."""
        return {"datasets": [dataclasses.asdict(item) for item in dataset_status(db.session)]}

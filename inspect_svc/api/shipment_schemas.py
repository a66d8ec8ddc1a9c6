"""Request and response schemas of shipments and scans (docs/interfaces.md §4-5)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pycountry
from marshmallow import (
    Schema,
    ValidationError,
    fields,
    validate,
    validates,
)

from inspect_core.ndc import normalise_declared_ndc
from inspect_svc.api.schemas import IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_RULE, TextSchema
from inspect_svc.cases.lanes import LANES, SELECTORS
from inspect_svc.models.triage import MODES, RECOMMENDATIONS, STATUSES, VERDICTS

CSET82 = re.compile(r"^[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]{1,20}$")
FEI = re.compile(r"^[0-9]{7,10}$")
DEVICE_FLAG = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
# Every form `normalise_declared_ndc` accepts, so the OpenAPI document says it too.
DECLARED_NDC = re.compile(
    r"^([0-9]{4}-[0-9]{4}-[0-9]{2}|[0-9]{5}-[0-9]{3}-[0-9]{2}|[0-9]{5}-[0-9]{4}-[0-9]"
    r"|0[0-9]{4}-[0-9]{4}-[0-9]{2}|[0-9]{5}-0[0-9]{3}-[0-9]{2}|[0-9]{5}-[0-9]{4}-0[0-9]"
    r"|[0-9]{10}|0[0-9]{10}|[0-9]{5}0[0-9]{5}|[0-9]{9}0[0-9]|[0-9]03[0-9]{11})$"
)


COUNTRY_CODES = sorted(country.alpha_2 for country in pycountry.countries)
validate_country = validate.OneOf(
    COUNTRY_CODES, error="{input!r} is not an ISO 3166-1 alpha-2 country code (e.g. 'IN')."
)


MAX_INT = 2**31 - 1
ASSESSMENT_ID_DOC = {
    "description": "The current assessment; changes with every re-assessment. "
    "Send it with a decision so that a stale view is refused (409)."
}
REOPENED_DOC = {"description": "Why a decided shipment was reopened, until it is decided again"}
EARLIEST = datetime(1899, 12, 30, tzinfo=UTC)  # 1900 in any UTC offset
LATEST = datetime(9000, 1, 2, tzinfo=UTC)  # 8999 in any UTC offset


PLAUSIBLE_TIME_DOC = {
    "description": "ISO 8601 with a UTC offset, years 1900 to 8999",
    "pattern": "^(19|[2-8][0-9])[0-9]{2}-",
}


def validate_plausible_time(value: datetime) -> None:
    """Times far outside any inspection cannot be stored in UTC on every backend."""
    if not EARLIEST <= value <= LATEST:
        raise ValidationError("Must be a time between the years 1900 and 9000.")


class PartySchema(TextSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    fei = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(FEI, error="FEI must be 7 to 10 digits."),
    )
    duns = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(r"^\d{9}$", error="DUNS must be 9 digits."),
    )
    country = fields.String(load_default=None, allow_none=True, validate=validate_country)


class StrictNumber(fields.Float):
    """A JSON number only: a string such as "12.5" is a wrong type (422), not a number."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


def _optional_text(max_length: int, description: str) -> fields.String:
    return fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=max_length),
        metadata={"description": description},
    )


class AffirmationSchema(TextSchema):
    """An affirmation of compliance as filed; a malformed qualifier is a finding, not a 422."""

    code = fields.String(required=True, validate=validate.Length(min=1, max=8))
    qualifier = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))


class DeclaredLineSchema(TextSchema):
    ndc = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(
            DECLARED_NDC,
            error="Not an NDC (4-4-2, 5-3-2, 5-4-1, 10 or 11 digits) or a US drug GTIN-14.",
        ),
        metadata={
            "description": "NDC as declared: 4-4-2/5-3-2/5-4-1, 10 or 11 digits, or GTIN-14; "
            "optional on a line that declares an FDA product code"
        },
    )
    quantity = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=10**9))
    unit = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=20))
    lots = fields.List(
        fields.String(
            validate=validate.Regexp(CSET82, error="Lot must be 1-20 GS1 CSET 82 characters.")
        ),
        load_default=list,
        validate=validate.Length(max=100),
    )
    description = _optional_text(1000, "commercial description as declared")
    fda_product_code = _optional_text(
        16, "FDA product code, 7 characters: industry, class, subclass, PIC, product"
    )
    processing_code = _optional_text(8, "PRE, OTC, INV, PHN, RND or 804")
    intended_use_code = _optional_text(16, 'FDA intended use code, e.g. "080.012"')
    affirmations = fields.List(
        fields.Nested(AffirmationSchema), load_default=list, validate=validate.Length(max=20)
    )
    hts_code = _optional_text(16, 'HTS number, 10 digits, e.g. "3004909260"')
    value_usd = StrictNumber(
        load_default=None, allow_none=True, allow_nan=False, validate=validate.Range(min=0)
    )
    production_country = fields.String(
        load_default=None, allow_none=True, validate=validate_country
    )

    @validates("ndc")
    def _ndc_form(self, value: str | None, **_: Any) -> None:
        if value is not None and normalise_declared_ndc(value) is None:
            raise ValidationError(
                f"{value!r} is not an NDC (4-4-2, 5-3-2, 5-4-1, 10 or 11 digits) or a GTIN-14."
            )


class ShipmentCreateSchema(TextSchema):
    entry_number = fields.String(required=True, validate=validate.Length(min=1, max=64))
    port_code = fields.String(
        required=True,
        validate=validate.Regexp(r"^[A-Za-z0-9]{2,16}$", error="Port code is 2-16 letters/digits."),
    )
    mode = fields.String(required=True, validate=validate.OneOf(MODES))
    origin_country = fields.String(required=True, validate=validate_country)
    export_country = fields.String(load_default=None, allow_none=True, validate=validate_country)
    manufacturer = fields.Nested(PartySchema, required=True)
    shipper = fields.Nested(PartySchema)
    importer = fields.Nested(PartySchema)
    consignee = fields.Nested(PartySchema)
    declared_lines = fields.List(
        fields.Nested(DeclaredLineSchema), load_default=list, validate=validate.Length(max=1000)
    )
    entry_type = _optional_text(8, 'CBP entry type code, e.g. "01" consumption, "61" in-bond')
    transport_document = _optional_text(64, "air waybill, bill of lading, container or parcel id")
    related_entries = fields.List(
        fields.String(validate=validate.Length(min=1, max=64)),
        load_default=list,
        validate=validate.Length(max=20),
        metadata={"description": "earlier entry numbers for the same goods"},
    )
    arrival_date = fields.Date(load_default=None, allow_none=True)


class FindingSchema(Schema):
    rule = fields.String(required=True)
    severity = fields.String(required=True)
    message = fields.String(required=True)
    evidence = fields.Dict(required=True)
    weight = fields.Float()
    shadow = fields.Boolean(metadata={"description": "a shadow rule's finding: not counted"})


class InterpretationSchema(Schema):
    raw = fields.String(required=True)
    symbology = fields.String(allow_none=True)
    format = fields.String(required=True)
    gtin = fields.String(allow_none=True)
    ndc10 = fields.String(allow_none=True)
    ndc = fields.String(allow_none=True)
    serial = fields.String(allow_none=True)
    lot = fields.String(allow_none=True)
    expiry = fields.String(allow_none=True)
    valid = fields.Boolean(required=True)
    errors = fields.List(fields.String(), required=True)
    warnings = fields.List(fields.String(), required=True)
    elements = fields.Raw()
    separator_candidates = fields.Raw()
    ndc_candidates = fields.Raw()
    nhrn = fields.Raw()
    prod_date = fields.String(allow_none=True)
    gtin_indicator = fields.String(allow_none=True)
    sscc = fields.String(allow_none=True)
    content_gtin = fields.String(allow_none=True)
    count = fields.Integer(allow_none=True)
    variable_count = fields.Integer(allow_none=True)
    level = fields.String(allow_none=True, validate=validate.OneOf(("pack", "case", "pallet")))


class ScanResultSchema(Schema):
    scan_id = fields.Integer(required=True)
    raw = fields.String(required=True)
    device_id = fields.String(allow_none=True)
    device_flags = fields.List(fields.String())
    scanned_at = fields.String(allow_none=True)
    verdict = fields.String(required=True, validate=validate.OneOf(VERDICTS))
    score = fields.Float(required=True)
    duplicate = fields.Boolean(required=True)
    interpretation = fields.Nested(InterpretationSchema, required=True)
    epcis = fields.Dict(
        allow_none=True,
        metadata={
            "description": "for a case or pallet label: what the shipper's EPCIS data says it "
            "holds (key, level, children, packs, gtins, lots, expiries); its sealed contents "
            "count as present"
        },
    )
    findings = fields.List(fields.Nested(FindingSchema), required=True)
    product = fields.Dict(allow_none=True)


class ShipmentSummarySchema(Schema):
    id = fields.Integer(required=True)
    risk_score = fields.Float(required=True)
    recommendation = fields.String(required=True, validate=validate.OneOf(RECOMMENDATIONS))
    ruleset_version = fields.String(allow_none=True)
    status = fields.String(validate=validate.OneOf(STATUSES))
    findings = fields.List(fields.Nested(FindingSchema))
    lane = fields.String(validate=validate.OneOf(LANES))
    selected_by = fields.String(allow_none=True, validate=validate.OneOf(SELECTORS))
    assessment_id = fields.Integer(allow_none=True, metadata=ASSESSMENT_ID_DOC)
    reopened_reason = fields.String(allow_none=True, metadata=REOPENED_DOC)


class ScanInSchema(TextSchema):
    raw = fields.String(required=True, validate=validate.Length(min=0, max=100_000))
    device_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=128))
    idempotency_key = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(IDEMPOTENCY_KEY, error=IDEMPOTENCY_KEY_RULE),
    )
    scanned_at = fields.AwareDateTime(
        load_default=None,
        allow_none=True,
        validate=validate_plausible_time,
        metadata=PLAUSIBLE_TIME_DOC,
    )
    device_seq = fields.Integer(
        load_default=None, allow_none=True, strict=True, validate=validate.Range(min=0, max=MAX_INT)
    )
    device_flags = fields.List(
        fields.String(
            validate=validate.Regexp(DEVICE_FLAG, error="expected a flag like 'syn_dropped'")
        ),
        load_default=list,
        validate=validate.Length(max=16),
        metadata={
            "description": "What the scanner agent noticed while reading, e.g. "
            "'partial_disconnect' (unplugged mid-read) or 'syn_dropped' (events lost): "
            "the read may be incomplete. Shown with the scan; such a scan names no unit."
        },
    )


class ScanBatchSchema(TextSchema):
    """A batch of scans, triaged in order in one transaction."""

    scans = fields.List(fields.Nested(ScanInSchema), required=True, validate=validate.Length(min=1))


SCAN_REQUEST_BODY = {
    "required": True,
    "description": 'One scan, or a batch as {"scans": [...]}.',
    "content": {
        "application/json": {
            "schema": {
                "oneOf": [
                    {"$ref": "#/components/schemas/ScanIn"},
                    {"$ref": "#/components/schemas/ScanBatch"},
                ]
            }
        }
    },
}


class TriageResultSchema(Schema):
    scans = fields.List(fields.Nested(ScanResultSchema), required=True)
    shipment = fields.Nested(ShipmentSummarySchema, required=True)


class DeclaredLineOutSchema(DeclaredLineSchema):
    line_number = fields.Integer()
    ndc10 = fields.String(allow_none=True)


class ShipmentSchema(Schema):
    id = fields.Integer(required=True)
    entry_number = fields.String(required=True)
    port_code = fields.String(required=True)
    mode = fields.String(required=True)
    origin_country = fields.String(required=True)
    export_country = fields.String(allow_none=True)
    manufacturer = fields.Dict(allow_none=True)
    shipper = fields.Dict(allow_none=True)
    importer = fields.Dict(allow_none=True)
    consignee = fields.Dict(allow_none=True)
    entry_type = fields.String(allow_none=True)
    transport_document = fields.String(allow_none=True)
    related_entries = fields.List(fields.String())
    arrival_date = fields.Date(allow_none=True)
    declared_lines = fields.List(fields.Nested(DeclaredLineOutSchema))
    status = fields.String(required=True)
    risk_score = fields.Float(required=True)
    recommendation = fields.String(required=True)
    ruleset_version = fields.String(allow_none=True)
    findings = fields.List(fields.Nested(FindingSchema))
    reference_as_of = fields.Dict()
    assessment_id = fields.Integer(allow_none=True, metadata=ASSESSMENT_ID_DOC)
    reopened_reason = fields.String(allow_none=True, metadata=REOPENED_DOC)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    scan_count = fields.Integer()
    lane = fields.String(validate=validate.OneOf(LANES))
    selected_by = fields.String(allow_none=True, validate=validate.OneOf(SELECTORS))


class ShipmentDetailSchema(ShipmentSchema):
    scans = fields.List(fields.Nested(ScanResultSchema))
    decisions = fields.List(fields.Dict())
    exam_results = fields.List(fields.Dict())


class ShipmentQuerySchema(TextSchema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    recommendation = fields.String(validate=validate.OneOf(RECOMMENDATIONS))
    origin = fields.String(validate=validate_country)
    port = fields.String(validate=validate.Length(max=16))
    since = fields.AwareDateTime(validate=validate_plausible_time, metadata=PLAUSIBLE_TIME_DOC)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class ShipmentPageSchema(Schema):
    items = fields.List(fields.Nested(ShipmentSchema), required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)

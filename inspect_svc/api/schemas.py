"""Schemas shared by several API modules."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask import request
from marshmallow import Schema, ValidationError, fields, pre_load

from inspect_svc.problems import Problem

IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
IDEMPOTENCY_KEY_RULE = "1-128 letters, digits or . _ : -"


class ProblemSchema(Schema):
    """RFC 9457 problem details, plus `errors` per field and the request id."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    instance = fields.String(allow_none=True)
    request_id = fields.String(allow_none=True)
    errors = fields.Dict(keys=fields.String(), values=fields.Raw())


def _unstorable(value: str) -> str | None:
    if "\x00" in value:
        return "contains U+0000 (NUL), which no barcode or form field carries"
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        return "contains an unpaired UTF-16 surrogate; send valid Unicode text"
    return None


def _find_unstorable(value: Any, path: str, found: dict[str, list[str]]) -> None:
    if isinstance(value, str):
        problem = _unstorable(value)
        if problem:
            found[path or "body"] = [problem]
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _find_unstorable(item, f"{path}.{key}" if path else str(key), found)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _find_unstorable(item, f"{path}.{index}" if path else str(index), found)


class TextSchema(Schema):
    """Input schema that refuses text no database column can hold (NUL, lone surrogates).

    Refused here, with the field named, instead of failing later in the database.
    """

    @pre_load
    def _refuse_unstorable_text(self, data: Any, **_: Any) -> Any:
        found: dict[str, list[str]] = {}
        _find_unstorable(data, "", found)
        if found:
            raise ValidationError(found)
        return data


def idempotency_key_header() -> str | None:
    """The request's `Idempotency-Key` header, or None; 422 when it is malformed."""
    key = request.headers.get("Idempotency-Key")
    if key is not None and not IDEMPOTENCY_KEY.match(key):
        raise Problem(
            422,
            "The Idempotency-Key header is not valid.",
            problem="validation",
            errors={"Idempotency-Key": [IDEMPOTENCY_KEY_RULE]},
        )
    return key

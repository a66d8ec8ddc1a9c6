"""GS1's EPCIS 2.0 JSON schema (bundled copy), resolved offline.

A document is first checked with jsonschema-rs (a truckload of 50,000 packs in
milliseconds); only a document it refuses goes through the Python jsonschema
validator, whose ``best_match`` names the most relevant event and field.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any, NoReturn

import jsonschema_rs
from jsonschema import Draft7Validator
from jsonschema.exceptions import best_match
from referencing import Registry, Resource

from inspect_svc.epcis.events import DocumentError


@cache
def _schema() -> dict[str, Any]:
    text = files("inspect_svc.epcis").joinpath("EPCIS-JSON-Schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _fast_validator() -> jsonschema_rs.Draft7Validator:
    return jsonschema_rs.Draft7Validator(_schema())


@cache
def _validator() -> Draft7Validator:
    schema = _schema()
    registry: Registry[Any] = Registry().with_resource(
        schema["$id"], Resource.from_contents(schema)
    )
    return Draft7Validator(schema, registry=registry)


def check_document(document: Any) -> None:
    """Raise ``DocumentError`` naming the first event and field that break the schema."""
    if not isinstance(document, dict) or document.get("type") != "EPCISDocument":
        raise DocumentError('expected an EPCIS document: {"type": "EPCISDocument", ...}')
    if _fast_validator().is_valid(document):
        return
    error = best_match(_validator().iter_errors(document))
    if error is None:  # the validators disagree: report what jsonschema-rs saw
        fast = next(iter(_fast_validator().iter_errors(document)))
        _raise(document, list(fast.instance_path), fast.message)
    else:
        _raise(document, list(error.absolute_path), error.message)


def _raise(document: dict[str, Any], path: list[Any], message: str) -> NoReturn:
    if path[:2] == ["epcisBody", "eventList"] and len(path) > 2 and isinstance(path[2], int):
        event = document["epcisBody"]["eventList"][path[2]]
        event_id = event.get("eventID") if isinstance(event, dict) else None
        rest = ".".join(str(p) for p in path[3:]) or None
        raise DocumentError(message, index=path[2], event_id=event_id, field_name=rest)
    raise DocumentError(message, field_name=".".join(str(p) for p in path) or "body")

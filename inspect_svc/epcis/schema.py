"""GS1's EPCIS 2.0 JSON schema (bundled copy), resolved offline."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from jsonschema import Draft7Validator
from jsonschema.exceptions import best_match
from referencing import Registry, Resource

from inspect_svc.epcis.events import DocumentError


@cache
def _validator() -> Draft7Validator:
    schema: dict[str, Any] = json.loads(
        files("inspect_svc.epcis").joinpath("EPCIS-JSON-Schema.json").read_text("utf-8")
    )
    registry: Registry[Any] = Registry().with_resource(
        schema["$id"], Resource.from_contents(schema)
    )
    return Draft7Validator(schema, registry=registry)


def check_document(document: Any) -> None:
    """Raise ``DocumentError`` naming the first event and field that break the schema."""
    if not isinstance(document, dict) or document.get("type") != "EPCISDocument":
        raise DocumentError('expected an EPCIS document: {"type": "EPCISDocument", ...}')
    error = best_match(_validator().iter_errors(document))
    if error is None:
        return
    path = list(error.absolute_path)
    if path[:2] == ["epcisBody", "eventList"] and len(path) > 2 and isinstance(path[2], int):
        event = document["epcisBody"]["eventList"][path[2]]
        event_id = event.get("eventID") if isinstance(event, dict) else None
        rest = ".".join(str(p) for p in path[3:]) or None
        raise DocumentError(error.message, index=path[2], event_id=event_id, field_name=rest)
    raise DocumentError(error.message, field_name=".".join(str(p) for p in path) or "body")

"""GS1's EPCIS 2.0 JSON schema (bundled copy), resolved offline, applied to a streamed document.

A document is read one event at a time (``json_stream``), so it is checked in
parts: each event against the schema's event definition as it arrives, then
the rest of the document (header and body, with an empty event list) at the
end. The schema constrains the event list only through its items, so the parts
have exactly the errors of the whole document.

Each part is first checked with jsonschema-rs (a truckload of 50,000 packs in
milliseconds); only a part it refuses goes through the Python jsonschema
validator. The error reported is the one ``best_match`` would pick over the
whole document: its relevance key compares full instance paths, so the most
relevant error of each part, prefixed with the part's path, competes on equal
terms, and only the winner is kept while the document streams on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any, NoReturn

import jsonschema_rs
from jsonschema import Draft7Validator, ValidationError
from jsonschema.exceptions import best_match, by_relevance
from referencing import Registry, Resource

from inspect_svc.epcis.events import DocumentError

EVENT_LIST = ("epcisBody", "eventList")
_relevance = by_relevance()


@cache
def _schema() -> dict[str, Any]:
    text = files("inspect_svc.epcis").joinpath("EPCIS-JSON-Schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _event_schema() -> dict[str, Any]:
    """What the schema asks of each item of ``epcisBody.eventList``."""
    schema = _schema()
    items = schema["definitions"]["eventList"]["items"]
    return {"definitions": schema["definitions"], "allOf": [items]}


@cache
def _fast_validator(part: str) -> jsonschema_rs.Draft7Validator:
    return jsonschema_rs.Draft7Validator(_schema() if part == "document" else _event_schema())


@cache
def _validator(part: str) -> Draft7Validator:
    schema = _schema()
    registry: Registry[Any] = Registry().with_resource(
        schema["$id"], Resource.from_contents(schema)
    )
    return Draft7Validator(schema if part == "document" else _event_schema(), registry=registry)


@dataclass(slots=True)
class _Found:
    error: ValidationError
    event_id: Any


@dataclass(slots=True)
class _FastOnly:
    path: list[Any]
    message: str
    event_id: Any


def _event_id(event: Any) -> Any:
    return event.get("eventID") if isinstance(event, dict) else None


class DocumentCheck:
    """GS1's schema over a document given as its events, then the rest of it."""

    def __init__(self) -> None:
        self._best: _Found | None = None
        self._fast_only: _FastOnly | None = None

    @property
    def clean(self) -> bool:
        """No part checked so far breaks the schema."""
        return self._best is None and self._fast_only is None

    def event(self, index: int, event: Any) -> bool:
        """Check the event at ``index`` of the event list; whether it is valid."""
        if _fast_validator("event").is_valid(event):
            return True
        prefix = (*EVENT_LIST, index)
        errors = list(_validator("event").iter_errors(event))
        for error in errors:
            error.relative_path.extendleft(reversed(prefix))
        self._consider(errors, event, _event_id(event), list(prefix))
        return False

    def finish(self, rest: Any) -> None:
        """Check the rest of the document (event list emptied); raise the most relevant error."""
        if not isinstance(rest, dict) or rest.get("type") != "EPCISDocument":
            raise DocumentError('expected an EPCIS document: {"type": "EPCISDocument", ...}')
        if not _fast_validator("document").is_valid(rest):
            errors = list(_validator("document").iter_errors(rest))
            self._consider(errors, rest, None, [])
        if self._best is not None:
            error = best_match([self._best.error])
            assert error is not None  # one error in, one out
            _raise(list(error.absolute_path), error.message, self._best.event_id)
        if self._fast_only is not None:  # the validators disagree: report what jsonschema-rs saw
            _raise(self._fast_only.path, self._fast_only.message, self._fast_only.event_id)

    def _consider(
        self, errors: list[ValidationError], part: Any, event_id: Any, prefix: list[Any]
    ) -> None:
        """Keep the most relevant error so far (``prefix``: the part's place in the document)."""
        if not errors:
            if self._fast_only is None:
                fast = next(iter(_fast_validator("event" if prefix else "document")
                                 .iter_errors(part)))  # fmt: skip
                path = [*prefix, *fast.instance_path]
                self._fast_only = _FastOnly(path, fast.message, event_id)
            return
        top = max(errors, key=_relevance)
        if self._best is None or _relevance(top) > _relevance(self._best.error):
            self._best = _Found(top, event_id)


def _raise(path: list[Any], message: str, event_id: Any) -> NoReturn:
    if tuple(path[:2]) == EVENT_LIST and len(path) > 2 and isinstance(path[2], int):
        rest = ".".join(str(p) for p in path[3:]) or None
        raise DocumentError(message, index=path[2], event_id=event_id, field_name=rest)
    raise DocumentError(message, field_name=".".join(str(p) for p in path) or "body")

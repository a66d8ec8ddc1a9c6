"""The official EPCIS 2.0 JSON schema (tests/data/epcis), resolved offline, with URI checks.

The schema's `$id` is https://gs1.github.io/EPCIS/EPCIS-JSON-Schema.json and
every `$ref` points into its own `definitions`; the registry holds the local
copy under that id so no reference is ever fetched. jsonschema checks the
`uri` format only with optional packages, so a RFC 3986 scheme check stands
in for it (it also applies to extension property names).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "data" / "epcis" / "EPCIS-JSON-Schema.json"
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s\"<>\\^`{|}]*$")


def _format_checker() -> FormatChecker:
    checker = FormatChecker()

    @checker.checks("uri")
    def is_uri(value: object) -> bool:
        return not isinstance(value, str) or bool(_URI.match(value))

    return checker


def epcis_validator() -> Draft7Validator:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text())
    registry: Registry[Any] = Registry().with_resource(
        schema["$id"], Resource.from_contents(schema)
    )
    return Draft7Validator(schema, registry=registry, format_checker=_format_checker())


def schema_errors(document: dict[str, Any]) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in epcis_validator().iter_errors(document)
    ]

"""A bounded schemathesis run against the app: no 5xx, responses match their schema."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

pytestmark = pytest.mark.slow
EXAMPLES_PER_OPERATION = 40
# Operations whose acceptance depends on stored state, not only on the request:
# a decision milder than the shipment's recommendation needs a justification.
# And documents checked against a schema the API description names but does not copy
# (the shipper's EPCIS document, GS1's EPCIS 2.0 schema): a body the description
# allows may still be refused, with a 422 naming the event and field.
STATEFUL_ACCEPTANCE = {
    ("POST", "/api/v1/shipments/{shipment_id}/decisions"),
    ("POST", "/api/v1/shipments/{shipment_id}/epcis"),
}


def test_api_conforms_to_its_own_document(app: Flask, tokens: dict[str, str]) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    # Text with U+0000 is refused by design (422 naming the field), as the API description says.
    schema.config.generation.update(allow_x00=False)
    headers = {"Authorization": f"Bearer {tokens['admin']}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8

    for operation in operations:
        stateful = (operation.method.upper(), operation.path) in STATEFUL_ACCEPTANCE
        check_operation(operation, headers, [positive_data_acceptance] if stateful else [])


def check_operation(operation: Any, headers: dict[str, str], excluded: list[Any]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def conforms(case: Any) -> None:
        case.call_and_validate(headers=headers, excluded_checks=excluded)

    conforms()

"""A truckload-sized EPCIS document passes the request-size limit that guards other bodies."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.triage.epcis_kit import Case, Pack, Pallet, document, events_for, sscc, xml_document
from tests.triage.test_epcis_attach import CASE_A, GTIN_A, attach

__all__ = ["attach"]  # the fixture, shared
pytestmark = pytest.mark.slow


def big_pallets(cases: int) -> list[Pallet]:
    return [
        Pallet(
            sscc(1),
            [Case(CASE_A, f"C{c}", [Pack(GTIN_A, f"S{c}-{p}") for p in range(24)])
             for c in range(cases)],
        )
    ]  # fmt: skip


def test_documents_larger_than_the_body_limit_are_accepted(
    client: FlaskClient,
    auth: Callable[[str], dict[str, str]],
    new_shipment: Callable[..., int],
    attach: Callable[..., Any],
) -> None:
    shipment_id = new_shipment()
    events = events_for(big_pallets(cases=550))
    body = json.dumps(document(events)).encode()
    assert len(body) > 1_048_576  # the server's default max_body_bytes
    response = attach(shipment_id, body)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["expected"] == {"units": 13200, "cases": 550, "pallets": 1}
    xml = xml_document(events)
    assert len(xml) > 1_048_576
    assert attach(shipment_id, xml, "application/xml").status_code == 201
    # other bodies keep the limit
    scans = client.post(
        f"/api/v1/shipments/{shipment_id}/scans",
        data=b'{"raw": "' + b"x" * 1_100_000 + b'"}',
        headers={**auth("inspector"), "Content-Type": "application/json"},
    )
    assert scans.status_code == 413

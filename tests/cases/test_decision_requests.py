"""Decisions through the API: idempotent retries, refused text, bounded queue paging."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient


@pytest.fixture
def shipment(client: FlaskClient, auth: Any) -> int:
    response = client.post(
        "/api/v1/shipments",
        json={
            "entry_number": "DEC-1",
            "port_code": "2704",
            "mode": "air",
            "origin_country": "US",
            "manufacturer": {"name": "M"},
        },
        headers=auth("inspector"),
    )
    shipment_id: int = response.get_json()["id"]
    return shipment_id


def decide(
    client: FlaskClient, auth: Any, shipment: int, body: dict[str, Any], key: str | None = None
) -> Any:
    headers = {**auth("officer"), **({"Idempotency-Key": key} if key else {})}
    return client.post(f"/api/v1/shipments/{shipment}/decisions", json=body, headers=headers)


def test_a_retried_decision_is_stored_once(client: FlaskClient, auth: Any, shipment: int) -> None:
    body = {"action": "detain", "reason_codes": ["cloned_serial"]}
    first = decide(client, auth, shipment, body, key="officer-7:0001")
    retry = decide(client, auth, shipment, body, key="officer-7:0001")
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.get_json()["id"] == first.get_json()["id"]
    listed = client.get(f"/api/v1/shipments/{shipment}/decisions", headers=auth("officer"))
    assert len(listed.get_json()["items"]) == 1


def test_a_key_reused_for_another_decision_is_409(
    client: FlaskClient, auth: Any, shipment: int
) -> None:
    decide(client, auth, shipment, {"action": "exam", "reason_codes": ["other"]}, key="k1")
    response = decide(
        client, auth, shipment, {"action": "detain", "reason_codes": ["other"]}, key="k1"
    )
    assert response.status_code == 409
    assert "Idempotency-Key" in response.get_json()["errors"]


@pytest.mark.parametrize("notes", ["a\x00b", "\ud800"])
def test_unstorable_notes_are_422(
    client: FlaskClient, auth: Any, shipment: int, notes: str
) -> None:
    response = decide(
        client, auth, shipment, {"action": "exam", "reason_codes": ["other"], "notes": notes}
    )
    assert response.status_code == 422
    assert "notes" in response.get_json()["errors"]


@pytest.mark.parametrize("query", ["offset=100000000000000000000000", "port=a%00b"])
def test_queue_rejects_unusable_filters(client: FlaskClient, auth: Any, query: str) -> None:
    response = client.get(f"/api/v1/queue?{query}", headers=auth("officer"))
    assert response.status_code == 422

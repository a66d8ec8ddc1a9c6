"""The officer queue: open shipments by risk, filters, counts per status."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

Auth = Callable[[str], dict[str, str]]


def queue(client: FlaskClient, auth: Auth, **query: object) -> Any:
    response = client.get("/api/v1/queue", query_string=query, headers=auth("officer"))
    assert response.status_code == 200, response.json
    return response.json


def test_queue_orders_by_risk_filters_and_counts(
    client: FlaskClient, auth: Auth, make_case: Callable[..., int]
) -> None:
    now = datetime.now(UTC)
    low = make_case(risk_score=10.0, recommendation="release", rules=(), port_code="2704")
    high = make_case(
        risk_score=150.0,
        recommendation="detain",
        origin="CN",
        rules=("R4_IMPORT_ALERT",),
        created_at=now - timedelta(hours=30),
    )
    mid = make_case(risk_score=60.0, recommendation="exam", port_code="4701")
    decided = make_case(risk_score=500.0, recommendation="exam")
    response = client.post(
        f"/api/v1/shipments/{decided}/decisions",
        json={"action": "detain", "reason_codes": ["other"]},
        headers=auth("officer"),
    )
    assert response.status_code == 201

    everything = queue(client, auth)
    assert [s["id"] for s in everything["items"]] == [high, mid, low]
    assert everything["total"] == 3
    assert everything["counts"] == {"open": 3, "released": 0, "exam": 0, "detained": 1}
    assert everything["items"][0]["scan_count"] == 3

    assert [s["id"] for s in queue(client, auth, recommendation="exam")["items"]] == [mid]
    assert [s["id"] for s in queue(client, auth, port="4701")["items"]] == [mid]
    assert [s["id"] for s in queue(client, auth, origin="CN")["items"]] == [high]
    assert [s["id"] for s in queue(client, auth, rule="R4_IMPORT_ALERT")["items"]] == [high]
    assert [s["id"] for s in queue(client, auth, min_age_hours=24)["items"]] == [high]
    assert [s["id"] for s in queue(client, auth, max_age_hours=24)["items"]] == [mid, low]
    assert [s["id"] for s in queue(client, auth, limit=1, offset=1)["items"]] == [mid]


@pytest.mark.parametrize("query", [{"recommendation": "maybe"}, {"origin": "XX"}, {"limit": 0}])
def test_bad_filters_are_422(client: FlaskClient, auth: Auth, query: dict[str, object]) -> None:
    response = client.get("/api/v1/queue", query_string=query, headers=auth("officer"))
    assert response.status_code == 422


def test_queue_needs_the_officer_role(client: FlaskClient, auth: Auth) -> None:
    assert client.get("/api/v1/queue", headers=auth("inspector")).status_code == 403

"""A shipment's times read the same in every response, whatever the server's time zone."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from tests.triage.conftest import SHIPMENT_BODY


def test_creating_and_showing_a_shipment_give_the_same_utc_times(
    client: FlaskClient,
    auth: Callable[[str], dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    time.tzset()
    try:
        created = client.post("/api/v1/shipments", json=SHIPMENT_BODY, headers=auth("inspector"))
        assert created.status_code == 201, created.get_json()
        shown = client.get(
            f"/api/v1/shipments/{created.get_json()['id']}", headers=auth("inspector")
        )
    finally:
        monkeypatch.undo()
        time.tzset()

    for field in ("created_at", "updated_at"):
        assert created.get_json()[field] == shown.get_json()[field]
        assert created.get_json()[field].endswith("+00:00")

"""A read the scanner flagged as possibly incomplete is stored, shown, and names no unit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

from tests.web.conftest import scan_text


def post(client: FlaskClient, headers: dict[str, str], shipment: int, **body: Any) -> Any:
    return client.post(f"/api/v1/shipments/{shipment}/scans", json=body, headers=headers)


def test_flagged_read_is_stored_and_shown_to_the_inspector(
    client: FlaskClient, auth: Any, new_shipment: Callable[..., int], login: Callable[[str], str]
) -> None:
    shipment = new_shipment()
    partial = scan_text(serial="SN00")  # the rest of the serial was lost when it was unplugged
    flagged = post(
        client,
        auth("inspector"),
        shipment,
        raw=partial,
        device_id="dock-1",
        device_flags=["partial_disconnect"],
    )
    assert flagged.status_code == 201, flagged.json
    assert flagged.json["scans"][0]["device_flags"] == ["partial_disconnect"]
    again = post(client, auth("inspector"), shipment, raw=partial, device_flags=["syn_dropped"])
    assert again.json["scans"][0]["duplicate"] is False  # a partial read names no pack
    clean = post(client, auth("inspector"), shipment, raw=scan_text(serial="SN0001"))
    assert clean.json["scans"][0]["device_flags"] == []

    detail = client.get(f"/api/v1/shipments/{shipment}", headers=auth("inspector")).json
    assert [s["device_flags"] for s in detail["scans"]] == [
        ["partial_disconnect"],
        ["syn_dropped"],
        [],
    ]

    login("inspector")
    page = client.get(f"/inspect?shipment={shipment}").get_data(as_text=True)
    assert "possibly incomplete (partial_disconnect)" in page
    assert "possibly incomplete (syn_dropped)" in page


def test_device_flags_are_validated(
    client: FlaskClient, auth: Any, new_shipment: Callable[..., int]
) -> None:
    response = post(
        client, auth("inspector"), new_shipment(), raw=scan_text(), device_flags=["Not A Flag"]
    )
    assert response.status_code == 422
    assert "device_flags" in response.json["errors"]

"""CSRF: forms and the pages' API calls need the session's token; bearer clients do not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

from tests.web.conftest import PASSWORD, scan_text


def test_login_form_without_a_token_is_rejected(
    client: FlaskClient, people: dict[str, str]
) -> None:
    response = client.post("/login", data={"name": people["officer"], "password": PASSWORD})
    assert response.status_code == 400
    assert "text/html" in response.content_type
    assert "Reload the page" in response.get_data(as_text=True)
    assert client.get("/inspect").status_code == 302


def test_form_with_a_forged_token_is_rejected(
    client: FlaskClient, login: Callable[[str], str]
) -> None:
    login("inspector")
    response = client.post(
        "/inspect/shipments",
        data={
            "csrf_token": "forged",
            "entry_number": "X",
            "port_code": "2704",
            "mode": "air",
            "origin_country": "IN",
            "manufacturer_name": "M",
        },
    )
    assert response.status_code == 400


def test_page_api_call_needs_the_csrf_header(
    client: FlaskClient, login: Callable[[str], str], new_shipment: Callable[..., int]
) -> None:
    token = login("inspector")
    shipment_id = new_shipment()
    url = f"/api/v1/shipments/{shipment_id}/scans"
    refused = client.post(url, json={"raw": scan_text()})
    assert refused.status_code == 403
    assert refused.content_type == "application/problem+json"
    accepted = client.post(url, json={"raw": scan_text()}, headers={"X-CSRFToken": token})
    assert accepted.status_code == 201


def test_bearer_clients_need_no_csrf_token(
    client: FlaskClient, auth: Any, new_shipment: Callable[..., int]
) -> None:
    shipment_id = new_shipment()
    response = client.post(
        f"/api/v1/shipments/{shipment_id}/scans",
        json={"raw": scan_text()},
        headers=auth("inspector"),
    )
    assert response.status_code == 201

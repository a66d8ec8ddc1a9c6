"""Fixtures for the page tests: people with passwords and a logged-in test client."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from inspect_svc.auth import ensure_user
from inspect_svc.db import db

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')

GTIN_0002_1407_01 = "00300021407018"
GS = "\x1d"


def scan_text(lot: str = "LOT42", serial: str = "SN0001", expiry: str = "270300") -> str:
    """A GS1 DataMatrix read of NDC 0002-1407-01 with the given lot, serial and expiry."""
    return f"]d201{GTIN_0002_1407_01}17{expiry}10{lot}{GS}21{serial}"


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


@pytest.fixture
def people(app: Flask) -> dict[str, str]:
    """One user with a password per role: {"inspector": "web-inspector", ...}."""
    names = {}
    with app.app_context(), db.session_scope() as session:
        for role in ("inspector", "officer", "admin"):
            user = ensure_user(session, f"web-{role}", role)
            user.password_hash = generate_password_hash(PASSWORD)
            names[role] = user.name
    return names


@pytest.fixture
def login(client: FlaskClient, people: dict[str, str]) -> Callable[[str], str]:
    """login("officer") logs the client in and returns the CSRF token of its session."""

    def log_in(role: str) -> str:
        token = csrf_of(client.get("/login").get_data(as_text=True))
        response = client.post(
            "/login", data={"name": people[role], "password": PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return csrf_of(client.get("/inspect").get_data(as_text=True))

    return log_in


@pytest.fixture
def new_shipment(client: FlaskClient, auth: Any) -> Callable[..., int]:
    """new_shipment(**fields) creates a shipment through the API and returns its id."""

    def create(**fields: Any) -> int:
        body = {
            "entry_number": "WEB-0001",
            "port_code": "2704",
            "mode": "air",
            "origin_country": "IN",
            "manufacturer": {"name": "Example Manufacturer"},
            **fields,
        }
        response = client.post("/api/v1/shipments", json=body, headers=auth("inspector"))
        assert response.status_code == 201, response.get_json()
        shipment_id: int = response.get_json()["id"]
        return shipment_id

    return create

"""Security headers on pages, API answers and exports; no caching of case data."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import requests
from flask.testing import FlaskClient

from inspect_svc.security_headers import PAGE_POLICY
from tests.live import LiveService

TEMPLATES = Path(__file__).resolve().parents[2] / "inspect_svc" / "templates"
COMMON = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _assert_protected(headers: Any, *, cached: bool = False) -> None:
    for name, value in COMMON.items():
        assert headers.get(name) == value, name
    policy = headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in policy
    assert "default-src 'none'" in policy
    assert "unsafe-inline" not in policy
    assert (headers.get("Cache-Control") == "no-store") is not cached


def _shipment(client: FlaskClient, auth: Any) -> int:
    body = {
        "entry_number": "HDR-1",
        "port_code": "2704",
        "mode": "air",
        "origin_country": "IN",
        "manufacturer": {"name": "Example Manufacturer"},
    }
    response = client.post("/api/v1/shipments", json=body, headers=auth("inspector"))
    assert response.status_code == 201
    shipment_id: int = response.get_json()["id"]
    return shipment_id


def test_case_data_over_the_api_is_never_cached(client: FlaskClient, auth: Any) -> None:
    shipment_id = _shipment(client, auth)
    for path in (
        f"/api/v1/shipments/{shipment_id}",
        "/api/v1/shipments",
        "/api/v1/queue",
        "/api/v1/exports/cases?format=csv",
        "/api/v1/exports/cases?format=jsonl",
    ):
        response = client.get(path, headers=auth("officer"))
        response.get_data()  # exports stream: read them to the end
        response.close()
        assert response.status_code == 200, path
        _assert_protected(response.headers)


def test_pages_and_errors_carry_the_headers(client: FlaskClient) -> None:
    for path, status in (("/login", 200), ("/inspect", 302), ("/api/v1/nothing", 404)):
        response = client.get(path)
        assert response.status_code == status
        _assert_protected(response.headers)


def test_static_files_may_be_cached_but_are_still_protected(client: FlaskClient) -> None:
    response = client.get("/static/app.css")
    assert response.status_code == 200
    _assert_protected(response.headers, cached=True)
    response.close()


def test_the_api_docs_page_gets_its_own_policy(client: FlaskClient) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "https://cdn.jsdelivr.net" in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize("template", sorted(TEMPLATES.glob("*.html")), ids=lambda p: p.name)
def test_templates_use_nothing_the_page_policy_forbids(template: Path) -> None:
    """No inline script, inline style or event-handler attribute, so `PAGE_POLICY` holds."""
    html = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert not re.search(r"<style\b|\sstyle=", html), "inline style"
    assert not re.search(r"\son[a-z]+\s*=", html), "event-handler attribute"
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "resource from another origin"
    assert "script-src 'self'" in PAGE_POLICY


@pytest.mark.slow
def test_headers_over_real_http(live_service: LiveService) -> None:
    shipment_id = live_service.create_shipment()["id"]
    for path, headers in (
        ("/login", {}),
        (f"/api/v1/shipments/{shipment_id}", live_service.headers("inspector")),
        ("/api/v1/exports/cases?format=csv", live_service.headers("officer")),
    ):
        response = requests.get(live_service.base_url + path, headers=headers, timeout=10)
        assert response.status_code == 200, path
        _assert_protected(response.headers)

"""Builders for triage tests: sample reference data, shipments, scans through the API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from inspect_core.ndc import gtin14_from_ndc10
from inspect_svc.db import db
from inspect_svc.reference.import_alerts import load_import_alerts
from inspect_svc.reference.sample import SAMPLE_DIR, load_bundled_sample
from inspect_svc.reference.sources import read_sources

GS = "\x1d"
QUINIDINE_GTIN = "00300021407018"  # NDC 0002-1407-01, not in the 2014 sample
SAMPLE_NDC = "0591-0503-01"  # in the bundled 2014 directory sample
SHIPMENT_BODY: dict[str, Any] = {
    "entry_number": "ENT-0001",
    "port_code": "2704",
    "mode": "air",
    "origin_country": "DE",
    "manufacturer": {"name": "Example Manufacturer GmbH", "country": "DE"},
    "declared_lines": [],
}
"""A shipment as `new_shipment` creates it unless told otherwise."""


def pack(gtin: str, serial: str, lot: str = "LOT42", expiry: str = "301231") -> str:
    """A GS1 DataMatrix pack identifier as a scanner with AIM ids sends it."""
    return f"]d201{gtin}17{expiry}10{lot}{GS}21{serial}"


def gtin_of(ndc_hyphenated: str, indicator: str = "0") -> str:
    return gtin14_from_ndc10(ndc_hyphenated.replace("-", ""), indicator)


@pytest.fixture
def sample_reference(app: Flask) -> None:
    """The bundled NDC and recall sample, plus the fictitious import-alert example list."""
    with app.app_context():
        list(load_bundled_sample(db.engine))
        example = read_sources([SAMPLE_DIR / "import_alerts_EXAMPLE.csv"])[0]
        load_import_alerts(db.engine, example, date.today())


@pytest.fixture
def new_shipment(client: FlaskClient, auth: Callable[[str], dict[str, str]]) -> Callable[..., int]:
    def create(**overrides: Any) -> int:
        body = {**SHIPMENT_BODY, **overrides}
        response = client.post("/api/v1/shipments", json=body, headers=auth("inspector"))
        assert response.status_code == 201, response.get_json()
        shipment_id: int = response.get_json()["id"]
        return shipment_id

    return create


@pytest.fixture
def post_scan(client: FlaskClient, auth: Callable[[str], dict[str, str]]) -> Callable[..., Any]:
    def post(shipment_id: int, raw: str, key: str | None = None, **extra: Any) -> Any:
        headers = auth("inspector")
        if key:
            headers["Idempotency-Key"] = key
        return client.post(
            f"/api/v1/shipments/{shipment_id}/scans", json={"raw": raw, **extra}, headers=headers
        )

    return post

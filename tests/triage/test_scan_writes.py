"""A scan's rows are written by Core statements: the ORM's unit of work has nothing to flush.

The unit of work (change tracking, dependency sorting, object refresh) cost
more than the statements themselves on every scan, so the scan path writes
scans, units, outcomes, findings, tally, assessment and shipment row with
statements built once and tells loaded objects the values it wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from tests.triage.conftest import QUINIDINE_GTIN, pack


def test_a_scan_in_a_settled_shipment_flushes_no_orm_objects(
    client: FlaskClient,
    auth: Callable[[str], dict[str, str]],
    new_shipment: Callable[..., int],
) -> None:
    url = f"/api/v1/shipments/{new_shipment()}/scans"
    for serial in ("SN0001", "SN0002"):  # the first scans draw the lane and settle the shipment
        response = client.post(
            url, json={"raw": pack(QUINIDINE_GTIN, serial)}, headers=auth("inspector")
        )
        assert response.status_code == 201, response.get_json()
    flushed: list[str] = []

    def note(session: Session, _context: Any, _instances: Any) -> None:
        flushed.extend(type(obj).__name__ for obj in [*session.new, *session.dirty])

    event.listen(Session, "before_flush", note)
    try:
        response = client.post(
            url,
            json={"scans": [{"raw": pack(QUINIDINE_GTIN, f"SN{n:04d}")} for n in (3, 4, 9)]},
            headers=auth("inspector"),
        )
    finally:
        event.remove(Session, "before_flush", note)
    assert response.status_code == 201, response.get_json()
    assert [scan["duplicate"] for scan in response.get_json()["scans"]] == [False] * 3
    assert flushed == []

"""A scan whose NDC cannot be looked up is not stored as if the directory had no answer.

The interpreter does no I/O; the NDC split is settled from the directory
afterwards, and a database error there fails the request (a 5xx problem)
instead of a 201 holding `internal_error` and no GTIN.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select, text

from inspect_svc.db import db
from inspect_svc.models import Scan
from tests.triage.conftest import gtin_of, pack

# An NDC no other test resolves, so no remembered answer stands in for the lookup.
UNSEEN_GTIN = gtin_of("71234-567-89")


def test_a_broken_directory_fails_the_scan_instead_of_storing_it_unread(
    app: Any, new_shipment: Callable[..., int], post_scan: Any
) -> None:
    shipment = new_shipment()
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(text("ALTER TABLE ndc_package RENAME TO ndc_package_away"))
    try:
        response = post_scan(shipment, pack(UNSEEN_GTIN, "NDC-DOWN"))
    finally:
        with app.app_context(), db.engine.begin() as connection:
            connection.execute(text("ALTER TABLE ndc_package_away RENAME TO ndc_package"))
    assert response.status_code in (500, 503), response.get_json()
    assert response.mimetype == "application/problem+json"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Scan)) == 0


def test_the_same_scan_is_stored_read_once_the_directory_is_back(
    new_shipment: Callable[..., int], post_scan: Any
) -> None:
    response = post_scan(new_shipment(), pack(UNSEEN_GTIN, "NDC-UP"))
    assert response.status_code == 201
    (scan,) = response.get_json()["scans"]
    assert scan["interpretation"]["gtin"] == UNSEEN_GTIN
    assert "internal_error" not in scan["interpretation"]["errors"]
    assert "ndc_unresolved" in scan["interpretation"]["warnings"]

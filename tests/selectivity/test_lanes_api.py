"""Lanes through the API: from the rules, at random, rerouted by an officer; all audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from inspect_svc.cases.lanes import random_draw, shipment_identity
from inspect_svc.db import db
from inspect_svc.models import AuditEvent, Shipment
from tests.selectivity.conftest import SECRET
from tests.selectivity.test_random_draw import binomial_interval
from tests.triage.conftest import QUINIDINE_GTIN, pack

Headers = Callable[[str], dict[str, str]]
EXPIRED = {"expiry": "200131", "lot": "OLD1"}


def shipment(client: FlaskClient, auth: Headers, shipment_id: int) -> dict[str, Any]:
    response = client.get(f"/api/v1/shipments/{shipment_id}", headers=auth("inspector"))
    assert response.status_code == 200
    body: dict[str, Any] = response.get_json()
    return body


def events(app: Flask, shipment_id: int, action: str) -> list[dict[str, Any]]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEvent.payload)
                .where(AuditEvent.shipment_id == shipment_id, AuditEvent.action == action)
                .order_by(AuditEvent.seq)
            )
        )


def test_lanes_follow_the_recommendation(
    app: Flask,
    sample_reference: None,
    client: FlaskClient,
    auth: Headers,
    new_shipment: Any,
    post_scan: Any,
) -> None:
    clean, exam, detain = new_shipment(), new_shipment(), new_shipment()
    assert post_scan(exam, pack(QUINIDINE_GTIN, "E1")).get_json()["shipment"]["lane"] == "yellow"
    post_scan(detain, pack(QUINIDINE_GTIN, "D1", **EXPIRED))
    views = {s: shipment(client, auth, s) for s in (clean, exam, detain)}
    assert [(v["recommendation"], v["lane"], v["selected_by"]) for v in views.values()] == [
        ("release", "green", None),
        ("exam", "yellow", "rules"),
        ("detain", "red", "rules"),
    ]
    listed = client.get("/api/v1/shipments", headers=auth("inspector")).get_json()["items"]
    assert {s["id"]: s["lane"] for s in listed} == {clean: "green", exam: "yellow", detain: "red"}
    # The draw itself is never part of a view.
    assert "random_draw" not in views[clean] and "random_selected" not in views[clean]
    # First lane at creation (with the draw), then the change after the scan.
    selected = events(app, exam, "shipment.selected")
    assert [(e["previous_lane"], e["lane"], e["selected_by"]) for e in selected] == [
        (None, "green", None),
        ("green", "yellow", "rules"),
    ]
    assert selected[0]["random"] == {"selected": False, "rate": 0.0}
    assert "draw" not in str(selected)


@pytest.mark.parametrize("policy_options", [{"random_rate": 0.25}])
def test_random_selection_through_the_api_is_reproducible_with_the_secret(
    app: Flask,
    sample_reference: None,
    client: FlaskClient,
    auth: Headers,
    new_shipment: Any,
    post_scan: Any,
) -> None:
    count = 240
    ids = [new_shipment(entry_number=f"K80-{n:07d}-0") for n in range(count)]
    listed = client.get("/api/v1/shipments?per_page=500", headers=auth("inspector")).get_json()[
        "items"
    ]
    random_ids = {s["id"] for s in listed if s["selected_by"] == "random"}
    assert all(s["lane"] == "yellow" for s in listed if s["id"] in random_ids)
    low, high = binomial_interval(count, 0.25)
    assert low <= len(random_ids) <= high, (low, high, len(random_ids))
    with app.app_context():
        stored = db.session.execute(
            select(Shipment.id, Shipment.entry_number, Shipment.created_at, Shipment.random_draw)
        ).all()
    # An auditor with the secret recomputes every draw from the stored shipment.
    recomputed = {
        sid: random_draw(SECRET, shipment_identity(sid, entry, created))
        for sid, entry, created, _ in stored
    }
    assert {sid: draw for sid, _, _, draw in stored} == pytest.approx(recomputed)
    assert {sid for sid, draw in recomputed.items() if draw < 0.25} == random_ids
    with_other_key = {
        sid
        for sid, entry, created, _ in stored
        if random_draw("another key", shipment_identity(sid, entry, created)) < 0.25
    }
    assert with_other_key != random_ids
    # Drawn once: a later assessment keeps the draw; the rules take over the lane.
    drawn = min(random_ids)
    post_scan(drawn, pack(QUINIDINE_GTIN, "R1"))
    view = shipment(client, auth, drawn)
    assert (view["lane"], view["selected_by"]) == ("yellow", "rules")
    with app.app_context():
        assert db.session.get(Shipment, drawn).random_draw == pytest.approx(recomputed[drawn])
    first = events(app, drawn, "shipment.selected")[0]
    assert first["random"] == {"selected": True, "rate": 0.25}
    assert (first["lane"], first["selected_by"]) == ("yellow", "random")
    assert set(ids) == set(recomputed)


def test_an_officer_reroutes_with_a_reason(
    sample_reference: None,
    app: Flask,
    client: FlaskClient,
    auth: Headers,
    new_shipment: Any,
    post_scan: Any,
) -> None:
    shipment_id = new_shipment()
    url = f"/api/v1/shipments/{shipment_id}/lane"
    body = {"lane": "red", "reason": "tip-off from the port"}
    assert client.post(url, json=body, headers=auth("inspector")).status_code == 403
    bad = client.post(url, json={"lane": "blue", "reason": "x"}, headers=auth("officer"))
    assert bad.status_code == 422
    assert "lane" in bad.get_json()["errors"]
    missing = client.post(url, json={"lane": "red"}, headers=auth("officer"))
    assert missing.status_code == 422 and "reason" in missing.get_json()["errors"]
    done = client.post(url, json=body, headers=auth("officer"))
    assert done.status_code == 200
    assert done.get_json() == {"id": shipment_id, "lane": "red", "selected_by": "officer"}
    rerouted = events(app, shipment_id, "shipment.rerouted")
    assert rerouted == [
        {
            "lane": "red",
            "previous_lane": "green",
            "previous_selected_by": None,
            "reason": "tip-off from the port",
        }
    ]
    # A later exam recommendation does not undo the officer's lane ...
    down = {"lane": "green", "reason": "known importer, documents checked"}
    client.post(url, json=down, headers=auth("officer"))
    post_scan(shipment_id, pack(QUINIDINE_GTIN, "O1"))
    view = shipment(client, auth, shipment_id)
    assert (view["recommendation"], view["lane"], view["selected_by"]) == (
        "exam",
        "green",
        "officer",
    )
    # ... a detention recommendation does.
    post_scan(shipment_id, pack(QUINIDINE_GTIN, "O2", **EXPIRED))
    view = shipment(client, auth, shipment_id)
    assert (view["recommendation"], view["lane"], view["selected_by"]) == (
        "detain",
        "red",
        "rules",
    )

"""Assessments: at creation, after every scan, named by decisions, reopening decided shipments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from inspect_svc.db import db
from inspect_svc.models.audit import AuditEvent
from inspect_svc.models.case import Decision
from inspect_svc.models.triage import Assessment
from tests.triage.conftest import gtin_of, pack

Auth = Callable[[str], dict[str, str]]
PHISOHEX = "0024-1535-02"  # Rx, listed in the bundled 2014 directory sample
RED_LIST_FIRM = {"name": "EXAMPLE Fictitious Remedies Pvt. Ltd.", "fei": "0000000001"}
CLEAN_US = {"name": "Sanofi-Aventis U.S. LLC", "country": "US"}


def decide(client: FlaskClient, headers: dict[str, str], shipment_id: int, **body: Any) -> Any:
    body.setdefault("reason_codes", ["documents_ok"])
    return client.post(f"/api/v1/shipments/{shipment_id}/decisions", json=body, headers=headers)


def shipment(client: FlaskClient, auth: Auth, shipment_id: int) -> dict[str, Any]:
    response = client.get(f"/api/v1/shipments/{shipment_id}", headers=auth("inspector"))
    assert response.status_code == 200
    body: dict[str, Any] = response.get_json()
    return body


def create(client: FlaskClient, auth: Auth, **overrides: Any) -> Any:
    body = {
        "entry_number": "ENT-ASSESS",
        "port_code": "2704",
        "mode": "air",
        "origin_country": "US",
        "manufacturer": CLEAN_US,
        "declared_lines": [{"ndc": PHISOHEX, "quantity": 5}],
        **overrides,
    }
    return client.post("/api/v1/shipments", json=body, headers=auth("inspector"))


@pytest.mark.usefixtures("sample_reference")
def test_a_red_list_manufacturer_is_detained_from_creation(client: FlaskClient, auth: Auth) -> None:
    """Issue 11.1: before any scan, the party rules already recommend detention."""
    response = create(client, auth, origin_country="IN", manufacturer=RED_LIST_FIRM)
    assert response.status_code == 201
    body = response.get_json()
    assert body["recommendation"] == "detain", body
    assert body["risk_score"] >= 100
    assert "R14" in {f["rule"] for f in body["findings"]}
    assert isinstance(body["assessment_id"], int)

    released = decide(client, auth("inspector"), body["id"], action="release")
    assert released.status_code == 403, released.get_json()
    assert shipment(client, auth, body["id"])["status"] == "open"


def test_unchecked_import_alerts_recommend_an_exam_at_creation(
    client: FlaskClient, auth: Auth
) -> None:
    """A fresh install has no import-alert lists: R14 says the parties were not checked."""
    body = create(client, auth).get_json()
    r14 = next(f for f in body["findings"] if f["rule"] == "R14")
    assert r14["evidence"]["checked"] is False
    assert body["recommendation"] == "exam" and body["risk_score"] == 25.0


@pytest.mark.usefixtures("sample_reference")
def test_every_view_carries_the_assessment_and_each_scan_batch_renews_it(
    client: FlaskClient, auth: Auth, app: Flask
) -> None:
    created = create(client, auth).get_json()
    first = created["assessment_id"]
    assert shipment(client, auth, created["id"])["assessment_id"] == first
    listed = client.get("/api/v1/shipments", headers=auth("inspector")).get_json()["items"]
    assert [s["assessment_id"] for s in listed] == [first]
    queued = client.get("/api/v1/queue", headers=auth("officer")).get_json()["items"]
    assert [s["assessment_id"] for s in queued] == [first]

    scanned = client.post(
        f"/api/v1/shipments/{created['id']}/scans",
        json={
            "scans": [
                {"raw": pack(gtin_of(PHISOHEX), "A1")},
                {"raw": pack(gtin_of(PHISOHEX), "B7")},
            ]
        },
        headers=auth("inspector"),
    ).get_json()
    second = scanned["shipment"]["assessment_id"]
    assert second not in (None, first)
    assert shipment(client, auth, created["id"])["assessment_id"] == second
    with app.app_context():
        rows = db.session.scalars(select(Assessment).order_by(Assessment.id)).all()
        assert [(a.id, a.cause, a.scan_count) for a in rows] == [
            (first, "created", 0),
            (second, "scan", 2),
        ]
        assert rows[1].recommendation == scanned["shipment"]["recommendation"]
        assessed = db.session.scalars(
            select(AuditEvent.subject).where(AuditEvent.action == "shipment.assessed")
        ).all()
        assert assessed == [f"assessment:{first}", f"assessment:{second}"]


@pytest.mark.usefixtures("sample_reference")
def test_a_decision_on_a_stale_assessment_is_refused_with_the_current_one(
    client: FlaskClient, auth: Auth, app: Flask
) -> None:
    created = create(client, auth, manufacturer={"name": "Sanofi-Aventis U.S. LLC"}).get_json()
    seen = created["assessment_id"]
    client.post(
        f"/api/v1/shipments/{created['id']}/scans",
        json={"raw": pack(gtin_of(PHISOHEX), "S1")},
        headers=auth("inspector"),
    )
    current = shipment(client, auth, created["id"])

    stale = decide(client, auth("officer"), created["id"], action="exam", assessment_id=seen)
    assert stale.status_code == 409
    assert stale.mimetype == "application/problem+json"
    problem = stale.get_json()
    assert problem["type"].endswith("/stale-assessment")
    assert "assessment_id" in problem["errors"]
    shown = problem["current_assessment"]
    assert shown["id"] == current["assessment_id"] != seen
    assert shown["recommendation"] == current["recommendation"]
    assert shown["risk_score"] == current["risk_score"]
    assert shown["findings"] == current["findings"]

    fresh = decide(client, auth("officer"), created["id"], action="exam", assessment_id=shown["id"])
    assert fresh.status_code == 201, fresh.get_json()
    assert fresh.get_json()["assessment_id"] == shown["id"]
    unnamed = decide(client, auth("officer"), created["id"], action="detain")
    assert unnamed.status_code == 201
    assert unnamed.get_json()["assessment_id"] == shown["id"]  # stored even when not sent
    with app.app_context():
        stored = db.session.scalars(select(Decision.assessment_id)).all()
        assert stored == [shown["id"], shown["id"]]


def test_an_assessment_of_another_shipment_is_a_validation_error(
    client: FlaskClient, auth: Auth
) -> None:
    first = create(client, auth).get_json()
    other = create(client, auth, entry_number="ENT-OTHER").get_json()
    for named in (other["assessment_id"], 999_999):
        response = decide(client, auth("officer"), first["id"], action="exam", assessment_id=named)
        assert response.status_code == 422, response.get_json()
        assert response.get_json()["errors"]["assessment_id"] == [
            f"not an assessment of shipment {first['id']}"
        ]


@pytest.mark.parametrize("value", ["7", 0, -1, 1.5, True])
def test_an_assessment_id_of_the_wrong_kind_is_a_validation_error(
    client: FlaskClient, auth: Auth, value: Any
) -> None:
    created = create(client, auth).get_json()
    response = decide(client, auth("officer"), created["id"], action="exam", assessment_id=value)
    assert response.status_code == 422
    assert "assessment_id" in response.get_json()["errors"]


@pytest.mark.usefixtures("sample_reference")
def test_a_release_reopens_when_a_later_scan_finds_a_clone(
    client: FlaskClient, auth: Auth, app: Flask
) -> None:
    """Issue 11.2: released, then a clone is scanned: back in the queue, with the reason."""
    other = create(client, auth, entry_number="ENT-FIRST").get_json()
    client.post(
        f"/api/v1/shipments/{other['id']}/scans",
        json={"raw": pack(gtin_of(PHISOHEX), "CLONE9")},
        headers=auth("inspector"),
    )
    target = create(client, auth, entry_number="ENT-SECOND").get_json()
    released = decide(
        client,
        auth("officer"),
        target["id"],
        action="release",
        justification="documents checked",
        assessment_id=target["assessment_id"],
    )
    assert released.status_code == 201, released.get_json()
    assert shipment(client, auth, target["id"])["status"] == "released"
    queue = client.get("/api/v1/queue", headers=auth("officer")).get_json()
    assert target["id"] not in [s["id"] for s in queue["items"]]

    body = client.post(
        f"/api/v1/shipments/{target['id']}/scans",
        json={"raw": pack(gtin_of(PHISOHEX), "CLONE9")},
        headers=auth("inspector"),
    ).get_json()
    assert body["shipment"]["recommendation"] == "detain"
    assert body["shipment"]["status"] == "open"
    reason = body["shipment"]["reopened_reason"]
    assert "detain" in reason and "release" in reason and "R9" in reason

    queue = client.get("/api/v1/queue", headers=auth("officer")).get_json()
    queued = next(s for s in queue["items"] if s["id"] == target["id"])
    assert queued["reopened_reason"] == reason
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "shipment.reopened")
        ).one()
        assert event.shipment_id == target["id"]
        assert event.payload["reason"] == reason
        assert event.payload["decided_action"] == "release"

    detained = decide(client, auth("officer"), target["id"], action="detain")
    assert detained.status_code == 201
    after = shipment(client, auth, target["id"])
    assert (after["status"], after["reopened_reason"]) == ("detained", None)


@pytest.mark.usefixtures("sample_reference")
def test_a_scan_that_does_not_raise_the_recommendation_leaves_the_decision_alone(
    client: FlaskClient, auth: Auth
) -> None:
    target = create(client, auth).get_json()
    decide(client, auth("officer"), target["id"], action="detain", reason_codes=["other"])
    body = client.post(
        f"/api/v1/shipments/{target['id']}/scans",
        json={"raw": pack(gtin_of(PHISOHEX), "FRESH1")},
        headers=auth("inspector"),
    ).get_json()
    assert body["shipment"]["status"] == "detained"
    assert body["shipment"]["reopened_reason"] is None


@pytest.mark.usefixtures("sample_reference")
def test_the_assessment_keeps_the_heaviest_unit_weight_per_rule_heaviest_first(
    client: FlaskClient, auth: Auth, app: Flask
) -> None:
    created = create(client, auth).get_json()
    client.post(
        f"/api/v1/shipments/{created['id']}/scans",
        json={
            "scans": [
                {"raw": pack(gtin_of(PHISOHEX), "W1", expiry="200131", lot="OLD1")},
                {"raw": pack(gtin_of(PHISOHEX), "W2")},
            ]
        },
        headers=auth("inspector"),
    )
    with app.app_context():
        assessment = db.session.scalars(
            select(Assessment).order_by(Assessment.id.desc()).limit(1)
        ).one()
        stored = assessment.unit_findings
    assert stored == [
        {"rule": "R5", "severity": "high", "weight": 50.0},
        {"rule": "R0", "severity": "info", "weight": 0.0},
    ]

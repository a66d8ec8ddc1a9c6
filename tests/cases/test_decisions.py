"""Decisions through the API: roles, overrides, the supersede chain and shipment status."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_svc.audit import verify_chain
from inspect_svc.models.audit import AuditEvent
from inspect_svc.models.case import Decision
from inspect_svc.models.triage import Shipment

Auth = Callable[[str], dict[str, str]]


def decide(client: FlaskClient, headers: dict[str, str], shipment_id: int, **body: Any) -> Any:
    body.setdefault("reason_codes", ["documents_ok"])
    return client.post(f"/api/v1/shipments/{shipment_id}/decisions", json=body, headers=headers)


def test_inspector_may_follow_the_recommendation(
    client: FlaskClient, auth: Auth, make_case: Callable[..., int], session: Session
) -> None:
    shipment_id = make_case(recommendation="exam", risk_score=60.0)
    response = decide(
        client,
        auth("inspector"),
        shipment_id,
        action="exam",
        reason_codes=["cloned_serial"],
        notes="pulled two packs",
    )
    assert response.status_code == 201, response.json
    body = response.json
    assert body["action"] == "exam" and body["override"] is False
    assert body["recommendation_at_decision"] == "exam"
    assert body["risk_score_at_decision"] == 60.0
    assert body["ruleset_version"] == "test-1"
    assert [f["rule"] for f in body["findings_at_decision"]] == ["R9_SERIAL_CLONED"]
    assert body["supersedes_id"] is None and body["role"] == "inspector"
    assert session.get(Shipment, shipment_id).status == "exam"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("recommended", "action"), [("exam", "release"), ("detain", "release"), ("detain", "exam")]
)
def test_an_override_needs_the_officer_role(
    client: FlaskClient, auth: Auth, make_case: Callable[..., int], recommended: str, action: str
) -> None:
    shipment_id = make_case(recommendation=recommended)
    response = decide(
        client, auth("inspector"), shipment_id, action=action, justification="looks fine"
    )
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("justification", [None, "", "   "])
def test_an_override_needs_a_justification(
    client: FlaskClient, auth: Auth, make_case: Callable[..., int], justification: str | None
) -> None:
    shipment_id = make_case(recommendation="detain")
    response = decide(
        client, auth("officer"), shipment_id, action="release", justification=justification
    )
    assert response.status_code == 422
    assert "justification" in response.json["errors"]


def test_officer_override_is_recorded_as_such(
    client: FlaskClient, auth: Auth, make_case: Callable[..., int]
) -> None:
    shipment_id = make_case(recommendation="detain")
    response = decide(
        client,
        auth("officer"),
        shipment_id,
        action="release",
        reason_codes=["verified_with_manufacturer"],
        justification="manufacturer confirmed serials by phone",
    )
    assert response.status_code == 201, response.json
    assert response.json["override"] is True
    assert response.json["justification"] == "manufacturer confirmed serials by phone"


def test_more_severe_than_recommended_is_no_override(
    client: FlaskClient, auth: Auth, make_case: Callable[..., int]
) -> None:
    shipment_id = make_case(recommendation="release", risk_score=0.0, rules=())
    response = decide(
        client, auth("inspector"), shipment_id, action="detain", reason_codes=["manifest_mismatch"]
    )
    assert response.status_code == 201
    assert response.json["override"] is False


def test_new_decisions_supersede_and_status_follows_the_latest(
    client: FlaskClient, auth: Auth, make_case: Callable[..., int], session: Session
) -> None:
    shipment_id = make_case(recommendation="exam")
    first = decide(client, auth("inspector"), shipment_id, action="exam").json
    second = decide(client, auth("inspector"), shipment_id, action="detain").json
    third = decide(
        client, auth("officer"), shipment_id, action="release", justification="lab result negative"
    ).json
    assert second["supersedes_id"] == first["id"]
    assert third["supersedes_id"] == second["id"]

    listed = client.get(f"/api/v1/shipments/{shipment_id}/decisions", headers=auth("inspector"))
    items = listed.json["items"]
    assert [d["id"] for d in items] == [third["id"], second["id"], first["id"]]
    assert [d["current"] for d in items] == [True, False, False]
    assert items[1]["superseded_by"] == third["id"]

    assert session.get(Shipment, shipment_id).status == "released"  # type: ignore[union-attr]
    first_row = session.get(Decision, first["id"])
    assert first_row is not None and first_row.action == "exam"  # never updated in place
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "decision.recorded").order_by(AuditEvent.seq)
    ).all()
    assert [e.shipment_id for e in events] == [shipment_id] * 3
    assert [e.payload["id"] for e in events] == [first["id"], second["id"], third["id"]]
    assert verify_chain(session).ok


def test_detail_lists_decisions_newest_first(
    client: FlaskClient, auth: Auth, make_case: Callable[..., int]
) -> None:
    shipment_id = make_case(recommendation="exam")
    first = decide(client, auth("inspector"), shipment_id, action="exam").json
    second = decide(client, auth("inspector"), shipment_id, action="detain").json
    detail = client.get(f"/api/v1/shipments/{shipment_id}", headers=auth("inspector"))
    assert detail.status_code == 200, detail.json
    assert [d["id"] for d in detail.json["decisions"]] == [second["id"], first["id"]]
    assert detail.json["decisions"][0]["supersedes_id"] == first["id"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "ship", "reason_codes": ["other"]}, "action"),
        ({"action": "exam", "reason_codes": ["because"]}, "reason_codes"),
        ({"action": "exam", "reason_codes": []}, "reason_codes"),
        ({"action": "exam"}, "reason_codes"),
    ],
)
def test_invalid_bodies_are_rejected_per_field(
    client: FlaskClient,
    auth: Auth,
    make_case: Callable[..., int],
    body: dict[str, Any],
    field: str,
) -> None:
    shipment_id = make_case()
    response = client.post(
        f"/api/v1/shipments/{shipment_id}/decisions", json=body, headers=auth("officer")
    )
    assert response.status_code == 422
    assert field in response.json["errors"]


def test_unknown_shipment_and_missing_token(client: FlaskClient, auth: Auth) -> None:
    assert decide(client, auth("officer"), 999_999, action="exam").status_code == 404
    assert decide(client, {}, 1, action="exam").status_code == 401


@pytest.mark.parametrize(("officer_role", "action"), [("officer", "release"), ("admin", "detain")])
def test_an_inspector_may_not_supersede_an_officers_decision(
    client: FlaskClient,
    auth: Auth,
    make_case: Callable[..., int],
    session: Session,
    officer_role: str,
    action: str,
) -> None:
    """Issue 11.4: not even with an action as severe as recommended (no override)."""
    shipment_id = make_case(recommendation="release", risk_score=0.0, rules=())
    officer = decide(client, auth(officer_role), shipment_id, action="exam")
    assert officer.status_code == 201
    response = decide(client, auth("inspector"), shipment_id, action=action)
    assert response.status_code == 403, response.json
    assert response.mimetype == "application/problem+json"
    assert response.json["type"].endswith("/supersede-forbidden")
    assert officer_role in response.json["detail"]
    assert decide(client, auth("officer"), shipment_id, action=action).status_code == 201
    actions = session.scalars(select(Decision.action).order_by(Decision.id)).all()
    assert actions == ["exam", action]


def test_an_inspector_may_supersede_an_inspectors_decision(
    client: FlaskClient, auth: Auth, make_case: Callable[..., int]
) -> None:
    shipment_id = make_case(recommendation="exam")
    assert decide(client, auth("inspector"), shipment_id, action="exam").status_code == 201
    assert decide(client, auth("inspector"), shipment_id, action="detain").status_code == 201


INVISIBLE = [
    "\u200b",
    "\u200b\u200c\u200d\u2060\ufeff",
    " \t\n\u00a0\u3000\u2028\u2029",
    "\u0301\u0308",
    "\u202e\u2066\u2069\u00ad",
    "\u3164\u2800",
]


@pytest.mark.parametrize("justification", INVISIBLE)
def test_an_invisible_justification_is_no_justification(
    client: FlaskClient, auth: Auth, make_case: Callable[..., int], justification: str
) -> None:
    """Issue 11.5: zero-width, format, separator and lone combining characters say nothing."""
    shipment_id = make_case(recommendation="detain")
    response = decide(
        client, auth("officer"), shipment_id, action="release", justification=justification
    )
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    assert "justification" in response.json["errors"]


def test_a_visible_justification_with_invisible_characters_is_kept(
    client: FlaskClient, auth: Auth, make_case: Callable[..., int]
) -> None:
    shipment_id = make_case(recommendation="detain")
    response = decide(
        client,
        auth("officer"),
        shipment_id,
        action="release",
        justification="\u200b lab result negative \u200b",
        notes="\u200b\u200b",
    )
    assert response.status_code == 201, response.json
    assert response.json["justification"] == "\u200b lab result negative \u200b".strip()
    assert response.json["notes"] is None

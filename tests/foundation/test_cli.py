from typing import Any

from flask.testing import FlaskClient


def test_token_create_prints_a_token_that_authenticates(runner: Any, client: FlaskClient) -> None:
    result = runner(["token", "create", "--user", "dock7", "--role", "officer"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert token.startswith("isv_")
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.get_json() == {"name": "dock7", "role": "officer", "via": "token"}


def test_token_create_rejects_unknown_role(runner: Any) -> None:
    result = runner(["token", "create", "--user", "x", "--role", "boss"])
    assert result.exit_code == 2
    assert "boss" in result.output


def test_tokens_are_stored_only_as_digests(runner: Any, app: Any) -> None:
    from sqlalchemy import select

    from inspect_svc.db import db
    from inspect_svc.models import ApiToken

    token = runner(["token", "create", "--user", "y", "--role", "inspector"]).output.strip()
    with app.app_context():
        stored = db.session.scalars(select(ApiToken.digest)).all()
    assert token not in stored
    assert all(len(d) == 64 for d in stored)


def audit_actions(app: Any) -> list[str]:
    from sqlalchemy import select

    from inspect_svc.db import db
    from inspect_svc.models import AuditEvent

    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


def test_token_list_and_revoke_are_audited(runner: Any, client: FlaskClient, app: Any) -> None:
    token = runner(
        ["token", "create", "--user", "lost-scanner", "--role", "inspector", "--label", "dock7"]
    ).output.strip()
    listed = runner(["token", "list"]).output
    line = next(row for row in listed.splitlines() if "lost-scanner" in row)
    assert "dock7" in line and token[:8] in line and "revoked: -" in line
    token_id = line.split("\t")[0]

    revoked = runner(["token", "revoke", token_id])

    assert revoked.exit_code == 0, revoked.output
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert audit_actions(app)[-2:] == ["token.created", "token.revoked"]
    assert runner(["token", "revoke", "999999"]).exit_code == 1


def test_init_records_the_policy_once(runner: Any, app: Any) -> None:
    first = runner(["init", "--no-token"])
    assert first.exit_code == 0, first.output
    assert "rule policy activated" in first.output
    second = runner(["init", "--no-token"])
    assert "rule policy activated" not in second.output
    actions = audit_actions(app)
    assert actions.count("policy.activated") == 1
    assert actions.count("reference.sample_checked") == 2

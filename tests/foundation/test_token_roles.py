"""Roles change only through `user set-role` (audited); tokens may expire."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from inspect_svc.db import db
from inspect_svc.models import ApiToken, AuditEvent


def _create(runner: Any, *args: str) -> Any:
    return runner(["token", "create", *args])


def _me(client: FlaskClient, token: str) -> Any:
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})


def test_token_create_refuses_to_change_an_existing_users_role(
    runner: Any, client: FlaskClient
) -> None:
    first = _create(runner, "--user", "dana", "--role", "inspector").output.strip()
    refused = _create(runner, "--user", "dana", "--role", "admin")
    assert refused.exit_code != 0
    assert "exists with role 'inspector', not 'admin'" in refused.output
    assert "inspect-svc user set-role --user dana --role admin" in refused.output
    assert _me(client, first).get_json()["role"] == "inspector"
    again = _create(runner, "--user", "dana", "--role", "inspector")
    assert again.exit_code == 0
    assert _me(client, again.output.strip()).get_json()["role"] == "inspector"


def test_set_role_changes_the_role_of_every_token_and_is_audited(
    runner: Any, client: FlaskClient, app: Flask
) -> None:
    token = _create(runner, "--user", "eli", "--role", "inspector").output.strip()
    result = runner(["user", "set-role", "--user", "eli", "--role", "officer"])
    assert result.exit_code == 0, result.output
    assert "from 'inspector' to 'officer'" in result.output
    assert _me(client, token).get_json()["role"] == "officer"
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "user.role_changed")
        ).one()
        assert event.subject == "user:eli"
        assert event.payload == {"user": "eli", "from": "inspector", "to": "officer"}
    assert runner(["audit", "verify"]).exit_code == 0


def test_set_role_of_an_unknown_user_fails(runner: Any) -> None:
    result = runner(["user", "set-role", "--user", "nobody", "--role", "admin"])
    assert result.exit_code != 0
    assert "no user 'nobody'" in result.output


def test_set_password_cannot_change_a_role_either(runner: Any) -> None:
    _create(runner, "--user", "fay", "--role", "inspector")
    result = runner(
        ["user", "set-password", "--user", "fay", "--role", "admin"],
        input="long enough pw\nlong enough pw\n",
    )
    assert result.exit_code != 0
    assert "user set-role" in result.output


def test_a_token_with_an_expiry_works_until_then_and_is_listed(
    runner: Any, client: FlaskClient, app: Flask
) -> None:
    token = _create(
        runner, "--user", "gus", "--role", "inspector", "--expires-in", "30d"
    ).output.strip()
    assert _me(client, token).status_code == 200
    with app.app_context():
        stored = db.session.scalars(select(ApiToken)).one()
        assert stored.expires_at is not None
        left = stored.expires_at - datetime.now(UTC)
        assert timedelta(days=29, hours=23) < left <= timedelta(days=30)
        expiry = stored.expires_at.isoformat()
    listing = runner(["token", "list"]).output
    assert f"expires: {expiry}" in listing

    with app.app_context(), db.session_scope() as session:
        session.execute(
            update(ApiToken).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    response = _me(client, token)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert "expired" in response.get_json()["detail"]
    assert "(expired)" in runner(["token", "list"]).output


def test_a_token_without_expiry_is_listed_as_never(runner: Any) -> None:
    _create(runner, "--user", "hal", "--role", "officer")
    assert "expires: never" in runner(["token", "list"]).output


def test_expires_takes_a_date(runner: Any, app: Flask) -> None:
    result = _create(runner, "--user", "ivy", "--role", "inspector", "--expires", "2099-01-31")
    assert result.exit_code == 0, result.output
    with app.app_context():
        stored = db.session.scalars(select(ApiToken)).one()
        assert stored.expires_at == datetime(2099, 1, 31, tzinfo=UTC)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--expires-in", "30"], "is not a duration"),
        (["--expires-in", "0d"], "is not a duration"),
        (["--expires", "31/01/2099"], "is not a date"),
        (["--expires", "2001-01-01"], "is already past"),
        (["--expires-in", "1d", "--expires", "2099-01-01"], "not both"),
    ],
)
def test_bad_expiry_options_are_refused(runner: Any, args: list[str], message: str) -> None:
    result = _create(runner, "--user", "jo", "--role", "inspector", *args)
    assert result.exit_code == 2
    assert message in result.output

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

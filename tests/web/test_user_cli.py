"""`inspect-svc user set-password`: prompted, hashed, and usable on the login page."""

from __future__ import annotations

from typing import Any

from click.testing import CliRunner, Result
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from inspect_svc.cli.context import CliContext
from inspect_svc.cli.user_cmd import user_command
from inspect_svc.db import db
from inspect_svc.models import User
from inspect_svc.settings import Settings
from tests.web.conftest import csrf_of


def _invoke(app: Flask, app_settings: Settings, args: list[str], typed: str) -> Result:
    return CliRunner().invoke(user_command, args, obj=CliContext(app_settings, app), input=typed)


def test_set_password_prompts_twice_and_stores_a_hash(
    app: Flask, app_settings: Settings, client: FlaskClient
) -> None:
    result = _invoke(
        app,
        app_settings,
        ["set-password", "--user", "ana", "--role", "officer"],
        "s3cret-pass\ns3cret-pass\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        stored = db.session.scalar(select(User.password_hash).where(User.name == "ana"))
    assert stored and "s3cret-pass" not in stored
    token = csrf_of(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"name": "ana", "password": "s3cret-pass", "csrf_token": token}
    )
    assert response.status_code == 302


def test_set_password_refuses_an_unknown_user_without_a_role(
    app: Flask, app_settings: Settings
) -> None:
    result = _invoke(app, app_settings, ["set-password", "--user", "ghost"], "longenough\n" * 2)
    assert result.exit_code != 0
    assert "pass --role to create one" in result.output


def test_set_password_refuses_short_passwords(
    app: Flask, app_settings: Settings, tokens: Any
) -> None:
    args = ["set-password", "--user", "test-officer"]
    result = _invoke(app, app_settings, args, "short\nshort\n")
    assert result.exit_code != 0
    assert "at least 8 characters" in result.output

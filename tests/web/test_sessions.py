"""Browser sessions end on logout, on a password change, when idle and at their absolute limit."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient

from inspect_svc import browser_session
from inspect_svc.app import create_app
from inspect_svc.db import db
from inspect_svc.settings import Settings
from tests.live import LiveService
from tests.web.conftest import PASSWORD, csrf_of, scan_text


def fresh_app(settings: Settings) -> Flask:
    """An app with other settings; the fixture app's pooled connections are closed first."""
    db.dispose()
    return create_app(settings)


def _session_cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def _post_scan(client: FlaskClient, shipment_id: int, csrf: str) -> int:
    response = client.post(
        f"/api/v1/shipments/{shipment_id}/scans",
        json={"raw": scan_text()},
        headers={"X-CSRFToken": csrf},
    )
    return response.status_code


def test_a_cookie_copied_before_logout_no_longer_posts_scans(
    client: FlaskClient, login: Callable[[str], str], new_shipment: Callable[..., int]
) -> None:
    csrf = login("inspector")
    shipment_id = new_shipment()
    copied = _session_cookie(client)
    assert _post_scan(client, shipment_id, csrf) == 201
    assert client.post("/logout", data={"csrf_token": csrf}).status_code == 302

    client.set_cookie("session", copied)
    assert _post_scan(client, shipment_id, csrf) == 401
    assert client.get("/inspect").status_code == 302


def test_logout_ends_the_users_other_sessions_too(
    app: Flask, login: Callable[[str], str], client: FlaskClient, people: dict[str, str]
) -> None:
    other = app.test_client()
    token = csrf_of(other.get("/login").get_data(as_text=True))
    other.post(
        "/login", data={"name": people["inspector"], "password": PASSWORD, "csrf_token": token}
    )
    assert other.get("/inspect").status_code == 200
    csrf = login("inspector")
    client.post("/logout", data={"csrf_token": csrf})
    assert other.get("/inspect").status_code == 302


def test_a_password_change_ends_open_sessions(
    client: FlaskClient, login: Callable[[str], str], runner: Any, people: dict[str, str]
) -> None:
    login("officer")
    assert client.get("/queue").status_code == 200
    result = runner(
        ["user", "set-password", "--user", people["officer"]],
        input="another long password\nanother long password\n",
    )
    assert result.exit_code == 0, result.output
    assert client.get("/queue").status_code == 302


@pytest.mark.parametrize(
    ("stamp", "minutes_back"),
    [
        (browser_session.SEEN, 480 + 1),  # idle longer than auth.session_minutes
        (browser_session.STARTED, 720 + 1),  # older than auth.session_max_minutes
    ],
)
def test_sessions_expire_when_idle_and_at_their_absolute_limit(
    client: FlaskClient, login: Callable[[str], str], stamp: str, minutes_back: int
) -> None:
    login("inspector")
    with client.session_transaction() as session:
        session[stamp] = int(time.time()) - (minutes_back - 2) * 60
    assert client.get("/inspect").status_code == 200
    with client.session_transaction() as session:
        session[stamp] = int(time.time()) - minutes_back * 60
    assert client.get("/inspect").status_code == 302


def test_activity_keeps_a_session_alive_until_the_absolute_limit(
    client: FlaskClient, login: Callable[[str], str]
) -> None:
    login("inspector")
    with client.session_transaction() as session:
        session[browser_session.SEEN] = int(time.time()) - 400 * 60
    assert client.get("/inspect").status_code == 200
    with client.session_transaction() as session:
        assert int(time.time()) - session[browser_session.SEEN] < 5


def test_the_cookie_lasts_the_configured_minutes_not_31_days(
    app_settings: Settings, people: dict[str, str]
) -> None:
    short = fresh_app(app_settings.replace(auth={"session_minutes": 15}))
    client = short.test_client()
    token = csrf_of(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"name": people["inspector"], "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    expires = parsedate_to_datetime(cookie.split("Expires=")[1].split(";")[0])
    assert expires - datetime.now(UTC) <= timedelta(minutes=15, seconds=5)


def _login_cookie(app: Flask, people: dict[str, str]) -> str:
    client = app.test_client()
    token = csrf_of(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"name": people["inspector"], "password": PASSWORD, "csrf_token": token}
    )
    return next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))


@pytest.mark.parametrize(
    ("server", "auth", "secure"),
    [
        ({}, {}, False),
        ({"behind_tls": True}, {}, True),
        ({"behind_tls": True}, {"secure_cookies": "false"}, False),
        ({}, {"secure_cookies": "true"}, True),
    ],
)
def test_secure_cookies_follow_behind_tls_unless_set(
    app_settings: Settings,
    people: dict[str, str],
    server: dict[str, Any],
    auth: dict[str, Any],
    secure: bool,
) -> None:
    app = fresh_app(app_settings.replace(server=server, auth=auth))
    flags = {part.strip().split("=")[0] for part in _login_cookie(app, people).split(";")}
    assert ("Secure" in flags) is secure
    assert {"HttpOnly", "SameSite"} <= flags


def test_strict_transport_security_only_behind_tls(app_settings: Settings) -> None:
    plain = fresh_app(app_settings).test_client().get("/login")
    tls = fresh_app(app_settings.replace(server={"behind_tls": True})).test_client().get("/login")
    assert "Strict-Transport-Security" not in plain.headers
    assert tls.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.slow
def test_logout_ends_a_copied_cookie_across_gunicorn_workers(tmp_path: Path) -> None:
    service = LiveService(f"sqlite:///{tmp_path / 'live.sqlite3'}", tmp_path)
    service.initialise()
    service.cli("user", "set-password", "--user", "live-inspector", "--password", PASSWORD)
    service.start()
    try:
        browser = requests.Session()
        page = browser.get(service.base_url + "/login", timeout=10).text
        browser.post(
            service.base_url + "/login",
            data={"name": "live-inspector", "password": PASSWORD, "csrf_token": csrf_of(page)},
            timeout=10,
        )
        csrf = csrf_of(browser.get(service.base_url + "/inspect", timeout=10).text)
        copied = browser.cookies.get("session")
        shipment_id = service.create_shipment()["id"]
        url = f"{service.base_url}/api/v1/shipments/{shipment_id}/scans"
        before = [
            requests.post(
                url,
                json={"raw": scan_text(serial=f"SN{n}")},
                cookies={"session": copied},
                headers={"X-CSRFToken": csrf},
                timeout=10,
            ).status_code
            for n in range(4)
        ]
        assert before == [201] * 4
        browser.post(service.base_url + "/logout", data={"csrf_token": csrf}, timeout=10)
        after = [
            requests.post(
                url,
                json={"raw": scan_text(serial=f"SN{n}")},
                cookies={"session": copied},
                headers={"X-CSRFToken": csrf},
                timeout=10,
            ).status_code
            for n in range(10, 14)
        ]
        assert after == [401] * 4
    finally:
        service.stop()

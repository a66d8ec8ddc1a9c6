"""Failed logins earn a growing wait per address and per name; 429 with Retry-After meanwhile."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from inspect_svc.db import db
from inspect_svc.login_throttle import Backoff, backoffs, record_failure, seconds_to_wait
from inspect_svc.models import LoginThrottle
from inspect_svc.settings import AuthSettings, Settings
from tests.live import LiveService
from tests.web.conftest import PASSWORD, csrf_of


def _try(client: FlaskClient, name: str, password: str, address: str) -> tuple[int, str | None]:
    page = client.get("/login", environ_base={"REMOTE_ADDR": address})
    response = client.post(
        "/login",
        data={"name": name, "password": password, "csrf_token": csrf_of(page.get_data(True))},
        environ_base={"REMOTE_ADDR": address},
    )
    return response.status_code, response.headers.get("Retry-After")


def _unblock(app: Flask) -> None:
    """Let the earned waits run out (instead of sleeping through them)."""
    with app.app_context(), db.session_scope() as session:
        session.execute(update(LoginThrottle).values(blocked_until=None))


def _wait(app: Flask, address: str, name: str) -> int:
    with app.app_context(), db.session_scope() as session:
        return seconds_to_wait(session, address, name, datetime.now(UTC))


def test_one_address_is_slowed_after_the_free_failures(
    app: Flask, client: FlaskClient, people: dict[str, str]
) -> None:
    name = people["inspector"]
    statuses = [_try(client, name, "wrong password", "192.0.2.7")[0] for _ in range(10)]
    assert statuses[:6] == [401] * 6
    assert 429 in statuses[6:]
    with app.app_context(), db.session_scope() as session:
        session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.scope == "address")
            .values(blocked_until=datetime.now(UTC) + timedelta(seconds=100))
        )
    status, retry_after = _try(client, name, PASSWORD, "192.0.2.7")  # even the right password
    assert status == 429
    assert retry_after is not None and 95 <= int(retry_after) <= 100
    assert _try(client, name, PASSWORD, "198.51.100.1")[0] == 302  # another address may


def test_the_wait_doubles_and_a_success_clears_it(
    app: Flask, client: FlaskClient, people: dict[str, str]
) -> None:
    name, address = people["officer"], "192.0.2.8"
    waits = []
    for _ in range(12):
        assert _try(client, name, "wrong password", address)[0] == 401
        waits.append(_wait(app, address, name))
        _unblock(app)
    assert waits == [0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64]
    assert _try(client, name, PASSWORD, address)[0] == 302
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/inspect").get_data(True))})
    assert _try(client, name, "wrong password", address)[0] == 401
    assert _wait(app, address, name) == 0


def test_failures_on_one_name_from_many_addresses_block_it_only_briefly(
    app: Flask, client: FlaskClient, people: dict[str, str]
) -> None:
    name = people["admin"]
    for n in range(16):
        assert _try(client, name, "wrong password", f"203.0.113.{n}")[0] == 401
        if n < 15:
            _unblock(app)
    status, retry_after = _try(client, name, PASSWORD, "198.51.100.9")
    assert status == 429
    assert retry_after is not None and 20 <= int(retry_after) <= 30


def test_the_name_limit_is_capped_short(app: Flask) -> None:
    auth = AuthSettings()
    now = datetime.now(UTC)
    with app.app_context(), db.session_scope() as session:
        waits = [
            record_failure(session, f"10.0.{n // 250}.{n % 250}", "victim", now, auth)
            for n in range(200)
        ]
    assert max(waits) == auth.login_user_backoff_max_seconds == 30
    with app.app_context():
        row = db.session.get(LoginThrottle, ("user", "victim"))
        assert row is not None and row.failures == 200
        assert row.blocked_until is not None
        assert row.blocked_until - now <= timedelta(seconds=30)


@pytest.mark.parametrize(
    ("failures", "wait"),
    [(0, 0), (5, 0), (6, 1), (7, 2), (10, 16), (14, 256), (15, 300), (1000, 300)],
)
def test_address_backoff_is_exponential_with_a_cap(failures: int, wait: int) -> None:
    assert backoffs(AuthSettings())["address"] == Backoff(free=5, cap_seconds=300)
    assert Backoff(free=5, cap_seconds=300).wait_after(failures) == wait


@pytest.mark.slow
def test_back_off_holds_across_gunicorn_workers(tmp_path: Path) -> None:
    service = LiveService(f"sqlite:///{tmp_path / 'live.sqlite3'}", tmp_path)
    service.initialise()
    service.cli("user", "set-password", "--user", "live-officer", "--password", PASSWORD)
    service.start()
    try:
        statuses = []
        for _ in range(20):
            browser = requests.Session()  # a new connection: any worker may answer
            page = browser.get(service.base_url + "/login", timeout=10).text
            response = browser.post(
                service.base_url + "/login",
                data={"name": "live-officer", "password": "wrong", "csrf_token": csrf_of(page)},
                allow_redirects=False,
                timeout=10,
            )
            statuses.append(response.status_code)
        assert statuses[:6] == [401] * 6
        assert statuses.count(429) >= 10
        assert all(s in (401, 429) for s in statuses)
    finally:
        service.stop()


def test_settings_fixture_defaults_are_what_the_tests_assume(app_settings: Settings) -> None:
    assert app_settings.auth.login_free_failures == 5
    assert app_settings.auth.login_address_backoff_max_seconds == 300

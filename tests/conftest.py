"""Shared fixtures: settings, a migrated database per backend, the app, clients, tokens.

Every database test runs on SQLite and on a throwaway PostgreSQL database
created for the run on 127.0.0.1:5432 and dropped after. Without a reachable
server the PostgreSQL half is skipped with the reason shown, except under
`CI=true`, where it fails instead.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from sqlalchemy import Engine, create_engine, inspect, text

from inspect_svc.app import create_app
from inspect_svc.auth import ensure_user, issue_token
from inspect_svc.cli import main as cli_main
from inspect_svc.cli.context import CliContext
from inspect_svc.db import db, make_engine
from inspect_svc.migrate import upgrade
from inspect_svc.settings import Settings, load_settings
from tests.live import LiveService

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PG_ADMIN_URL = os.environ.get(
    "INSPECT_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)

settings.register_profile(
    "ci", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=200, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if IN_CI else "dev"))


def unavailable(reason: str) -> None:
    """Skip with `reason`, or fail under CI where every piece must be present."""
    if IN_CI:
        pytest.fail(f"required in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """URL of a PostgreSQL database created for this test run and dropped after it."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"inspect_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # any failure to reach or use the server
        admin.dispose()
        unavailable(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {type(exc).__name__}")
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once; each test works on a copy of it."""
    path = tmp_path_factory.mktemp("sqlite") / "template.sqlite3"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_migrated(postgres_url: str) -> str:
    upgrade(postgres_url)
    return postgres_url


def empty_postgres(url: str) -> None:
    """Truncate every table; replica mode lets it past the append-only triggers."""
    engine = make_engine(url)
    try:
        names = [t for t in inspect(engine).get_table_names() if t != "alembic_version"]
        with engine.begin() as connection:
            connection.execute(text("SET LOCAL session_replication_role = replica"))
            if names:
                quoted = ", ".join(f'"{n}"' for n in names)
                connection.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database at the head migration on each backend, empty at the start of the test."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        copy = tmp_path / "inspect.sqlite3"
        shutil.copyfile(template, copy)
        yield f"sqlite:///{copy}"
        return
    url: str = request.getfixturevalue("postgres_migrated")
    try:
        yield url
    finally:
        empty_postgres(url)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def app_settings(database_url: str, tmp_path: Path) -> Settings:
    base = load_settings(environ={})
    return base.replace(
        database={"url": database_url},
        server={"instance_path": str(tmp_path / "instance"), "secret_key": "test-secret"},
    )


@pytest.fixture
def app(app_settings: Settings) -> Iterator[Flask]:
    app = create_app(app_settings)
    app.config["TESTING"] = True
    yield app
    db.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask, app_settings: Settings) -> Any:
    """Invoke `inspect-svc` commands against the test app: runner(["token", "create", ...])."""
    cli_runner = CliRunner()

    def invoke(args: list[str], input: str | None = None) -> Any:
        return cli_runner.invoke(cli_main, args, obj=CliContext(app_settings, app), input=input)

    return invoke


@pytest.fixture
def tokens(app: Flask) -> dict[str, str]:
    """A user and a bearer token per role: {"inspector": token, "officer": ..., "admin": ...}."""
    issued = {}
    with app.app_context(), db.session_scope() as session:
        for role in ("inspector", "officer", "admin"):
            user = ensure_user(session, f"test-{role}", role)
            issued[role] = issue_token(session, user, "isv_")
    return issued


@pytest.fixture
def auth(tokens: dict[str, str]) -> Any:
    """auth("officer") -> headers with that role's bearer token."""

    def headers(role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[role]}"}

    return headers


@pytest.fixture
def live_service(tmp_path: Path) -> Iterator[LiveService]:
    """The service under gunicorn (2 workers) on an embedded SQLite file, initialised."""
    service = LiveService(f"sqlite:///{tmp_path / 'live.sqlite3'}", tmp_path)
    service.initialise()
    service.start()
    try:
        yield service
    finally:
        service.stop()

"""Writes that fail at commit: 503 with Retry-After, serialization victims run again,
readiness reports a database that cannot write, and nothing is ever half-written.

SQLite runs on a real, small tmpfs that the test fills up; PostgreSQL gets its
errors from a constraint trigger deferred to commit time that raises the
SQLSTATE under test.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from inspect_svc.app import create_app
from inspect_svc.auth import ensure_user, issue_token
from inspect_svc.db import TRANSACTION_ATTEMPTS, db, make_engine
from inspect_svc.settings import Settings, load_settings
from tests.conftest import empty_postgres

SCAN = "]d201003000214070181730123110LOT42\x1d21SERIAL1"
SHIPMENT = {
    "entry_number": "FAULT-0001",
    "port_code": "2704",
    "mode": "air",
    "origin_country": "IN",
    "manufacturer": {"name": "Example Manufacturer", "country": "IN"},
    "declared_lines": [],
}


def service(database_url: str, tmp_path: Path) -> tuple[Flask, dict[str, str]]:
    settings: Settings = load_settings(environ={}).replace(
        database={"url": database_url},
        server={"instance_path": str(tmp_path / "instance"), "secret_key": "test-secret"},
    )
    app = create_app(settings)
    with app.app_context(), db.session_scope() as session:
        token = issue_token(session, ensure_user(session, "fault-inspector", "inspector"), "isv_")
    return app, {"Authorization": f"Bearer {token}"}


def post_scan(client: FlaskClient, headers: dict[str, str], shipment: int, key: str) -> Any:
    return client.post(
        f"/api/v1/shipments/{shipment}/scans",
        json={"raw": SCAN, "device_id": "dock-1"},
        headers={**headers, "Idempotency-Key": key},
    )


def stored(client: FlaskClient, headers: dict[str, str], shipment: int) -> list[str]:
    response = client.get(f"/api/v1/shipments/{shipment}", headers=headers)
    assert response.status_code == 200
    return [scan["raw"] for scan in response.json["scans"]]


def assert_unavailable(response: Any, reason: str) -> None:
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.content_type == "application/problem+json"
    assert int(response.headers["Retry-After"]) >= 1
    assert response.json["type"].endswith("/database-unavailable")
    assert response.json["reason"] == reason


# --- SQLite on a small tmpfs -------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MiB tmpfs mounted for this test (needs root)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> Path:
    """Write zeros until the file system refuses even one byte; returns the filler file."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        chunk = 65536
        while chunk:
            try:
                os.write(fd, b"\0" * chunk)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
                chunk //= 2
    finally:
        os.close(fd)
    return filler


def test_sqlite_disk_full_at_commit_is_503_and_nothing_is_half_written(
    small_disk: Path, sqlite_template: Path, tmp_path: Path
) -> None:
    database = small_disk / "inspect.sqlite3"
    shutil.copyfile(sqlite_template, database)
    app, headers = service(f"sqlite:///{database}", tmp_path)
    client = app.test_client()
    try:
        shipment = client.post("/api/v1/shipments", json=SHIPMENT, headers=headers).json["id"]
        assert client.get("/readyz").json["write"] == "ok"
        with sqlite3.connect(database) as connection:  # an empty WAL must grow to take a write
            assert connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
        filler = fill(small_disk)

        response = post_scan(client, headers, shipment, "key-full")
        assert_unavailable(response, "disk_full")
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.headers["Retry-After"]
        assert ready.json["write"] == "disk_full"

        filler.unlink()
        assert stored(client, headers, shipment) == []  # the failed commit left nothing
        again = post_scan(client, headers, shipment, "key-full")
        assert again.status_code == 201, again.get_data(as_text=True)
        assert stored(client, headers, shipment) == [SCAN]
        assert client.get("/readyz").status_code == 200
    finally:
        db.dispose()
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        events = connection.execute("SELECT action FROM audit_event ORDER BY seq").fetchall()
    acts = {"shipment.created", "shipment.assessed", "scan.stored"}
    assert [action for (action,) in events if action in acts] == [
        "shipment.created",
        "shipment.assessed",
        "scan.stored",
        "shipment.assessed",
    ]


# --- PostgreSQL with errors raised at commit -----------------------------------------------


@pytest.fixture
def pg(postgres_migrated: str, tmp_path: Path) -> Iterator[tuple[FlaskClient, dict[str, str]]]:
    app, headers = service(postgres_migrated, tmp_path)
    try:
        yield app.test_client(), headers
    finally:
        db.dispose()
        engine = make_engine(postgres_migrated)
        with engine.begin() as connection:
            for table in ("scan", "service_heartbeat"):
                connection.execute(text(f"DROP TRIGGER IF EXISTS inject_fault ON {table}"))
            connection.execute(text("DROP FUNCTION IF EXISTS inject_fault()"))
            connection.execute(text("DROP SEQUENCE IF EXISTS fault_attempts"))
        engine.dispose()
        empty_postgres(postgres_migrated)


def inject(url: str, table: str, sqlstate: str | None, times: int) -> None:
    """Make the next `times` commits that wrote one row to `table` fail with `sqlstate`, or
    (None) lose their connection: the server process ends itself at commit.

    Scans are inserted then updated by triage; the heartbeat is updated (or inserted once).
    """
    events = "INSERT" if table == "scan" else "INSERT OR UPDATE"
    fault = (
        f"RAISE EXCEPTION 'injected fault' USING ERRCODE = '{sqlstate}'"
        if sqlstate
        else "PERFORM pg_terminate_backend(pg_backend_pid())"
    )
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE SEQUENCE fault_attempts"))
        connection.execute(
            text(
                f"""
                CREATE FUNCTION inject_fault() RETURNS trigger AS $$
                BEGIN
                    IF nextval('fault_attempts') <= {times} THEN
                        {fault};
                    END IF;
                    RETURN NULL;
                END
                $$ LANGUAGE plpgsql
                """
            )
        )
        connection.execute(
            text(
                f"CREATE CONSTRAINT TRIGGER inject_fault AFTER {events} ON {table} "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION inject_fault()"
            )
        )
    engine.dispose()


def commit_attempts(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        value = connection.execute(text("SELECT last_value, is_called FROM fault_attempts")).one()
    engine.dispose()
    return int(value[0]) if value[1] else 0


def audit_count(url: str) -> int:
    """Shipments created and scans stored in the audit trail (their assessment and lane events
    follow each of them)."""
    engine = make_engine(url)
    with engine.connect() as connection:
        count = connection.execute(
            text(
                "SELECT count(*) FROM audit_event "
                "WHERE action IN ('shipment.created', 'scan.stored')"
            )
        ).scalar_one()
    engine.dispose()
    return int(count)


@pytest.mark.postgres
@pytest.mark.parametrize("sqlstate", ["40001", "40P01"])
def test_postgres_serialization_victim_at_commit_is_run_again(
    pg: tuple[FlaskClient, dict[str, str]], postgres_migrated: str, sqlstate: str
) -> None:
    client, headers = pg
    shipment = client.post("/api/v1/shipments", json=SHIPMENT, headers=headers).json["id"]
    inject(postgres_migrated, "scan", sqlstate, times=TRANSACTION_ATTEMPTS - 1)

    response = post_scan(client, headers, shipment, "key-retry")
    assert response.status_code == 201, response.get_data(as_text=True)
    assert commit_attempts(postgres_migrated) == TRANSACTION_ATTEMPTS
    assert stored(client, headers, shipment) == [SCAN]
    assert audit_count(postgres_migrated) == 2  # shipment.created, one scan.stored


@pytest.mark.postgres
def test_postgres_serialization_failure_that_persists_is_503_after_bounded_attempts(
    pg: tuple[FlaskClient, dict[str, str]], postgres_migrated: str
) -> None:
    client, headers = pg
    shipment = client.post("/api/v1/shipments", json=SHIPMENT, headers=headers).json["id"]
    inject(postgres_migrated, "scan", "40001", times=1000)

    assert_unavailable(post_scan(client, headers, shipment, "key-stuck"), "serialization_failure")
    assert commit_attempts(postgres_migrated) == TRANSACTION_ATTEMPTS
    assert stored(client, headers, shipment) == []
    assert audit_count(postgres_migrated) == 1


@pytest.mark.postgres
def test_postgres_disk_full_at_commit_is_503_and_not_replayed(
    pg: tuple[FlaskClient, dict[str, str]], postgres_migrated: str
) -> None:
    client, headers = pg
    shipment = client.post("/api/v1/shipments", json=SHIPMENT, headers=headers).json["id"]
    inject(postgres_migrated, "scan", "53100", times=1)

    assert_unavailable(post_scan(client, headers, shipment, "key-full"), "disk_full")
    assert commit_attempts(postgres_migrated) == 1
    assert stored(client, headers, shipment) == []
    again = post_scan(client, headers, shipment, "key-full")  # the client's retry
    assert again.status_code == 201
    assert stored(client, headers, shipment) == [SCAN]
    assert audit_count(postgres_migrated) == 2


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("sqlstate", "reason"), [("53100", "disk_full"), ("25006", "read_only_sql_transaction")]
)
def test_postgres_readiness_reports_a_database_that_cannot_write(
    pg: tuple[FlaskClient, dict[str, str]], postgres_migrated: str, sqlstate: str, reason: str
) -> None:
    client, _ = pg
    assert client.get("/readyz").json == {
        "status": "ready",
        "database": "ok",
        "schema": client.get("/readyz").json["schema"],
        "write": "ok",
    }
    inject(postgres_migrated, "service_heartbeat", sqlstate, times=1)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert response.json["write"] == reason
    assert client.get("/readyz").status_code == 200  # the fault has passed


@pytest.mark.postgres
def test_postgres_connection_lost_at_commit_is_503_and_a_retry_by_key_stores_once(
    pg: tuple[FlaskClient, dict[str, str]], postgres_migrated: str
) -> None:
    client, headers = pg
    shipment = client.post("/api/v1/shipments", json=SHIPMENT, headers=headers).json["id"]
    inject(postgres_migrated, "scan", None, times=1)

    response = post_scan(client, headers, shipment, "key-lost")
    assert_unavailable(response, "connection_lost")
    assert "same idempotency key" in response.json["detail"]
    assert commit_attempts(postgres_migrated) == 1  # an ambiguous commit is not run again
    for _ in range(2):  # the client's retries: stored once
        assert post_scan(client, headers, shipment, "key-lost").status_code in (200, 201)
    assert stored(client, headers, shipment) == [SCAN]
    assert audit_count(postgres_migrated) == 2

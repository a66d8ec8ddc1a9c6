"""SQLite writers take turns on a file lock; one that waits too long gets a 503, not a hang."""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

from flask import Flask
from sqlalchemy import event

from inspect_svc.app import create_app
from inspect_svc.auth import ensure_user, issue_token
from inspect_svc.db import db
from inspect_svc.settings import load_settings

SHIPMENT = {
    "entry_number": "E",
    "port_code": "2704",
    "mode": "air",
    "origin_country": "US",
    "manufacturer": {"name": "M"},
}


def _app_on_copy(
    sqlite_template: Path, tmp_path: Path, **database: object
) -> tuple[Flask, Path, dict[str, str]]:
    """An app on a copy of the migrated database, and an inspector's auth headers."""
    path = tmp_path / "writers.sqlite3"
    shutil.copyfile(sqlite_template, path)
    settings = load_settings(environ={}).replace(
        database={"url": f"sqlite:///{path}", **database},
        server={"instance_path": str(tmp_path / "instance"), "secret_key": "t"},
    )
    app = create_app(settings)
    with app.app_context(), db.session_scope() as session:
        token = issue_token(session, ensure_user(session, "writer", "inspector"), "isv_")
    return app, path, {"Authorization": f"Bearer {token}"}


def test_a_writer_that_cannot_get_its_turn_gets_503(sqlite_template: Path, tmp_path: Path) -> None:
    app, database, headers = _app_on_copy(sqlite_template, tmp_path, sqlite_busy_timeout_ms=200)
    holder = os.open(f"{database}.write-lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)  # another process is writing, and stays
        response = app.test_client().post("/api/v1/shipments", json=SHIPMENT, headers=headers)
        reading = app.test_client().get("/api/v1/shipments", headers=headers)
    finally:
        fcntl.flock(holder, fcntl.LOCK_UN)
        os.close(holder)
        db.dispose()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.get_json()["type"].endswith("/database-unavailable")
    assert reading.status_code == 200  # readers never wait for the writers' lock


def test_a_scan_reads_before_it_takes_the_write_turn(sqlite_template: Path, tmp_path: Path) -> None:
    """Authentication and the reference look-ups of a scan run before its write turn;
    everything from locking the shipment to the audit chain runs inside it."""
    app, database, headers = _app_on_copy(sqlite_template, tmp_path)
    client = app.test_client()
    created = client.post("/api/v1/shipments", json=SHIPMENT, headers=headers)
    assert created.status_code == 201
    observer = os.open(f"{database}.write-lock", os.O_RDWR | os.O_CREAT)
    turns: list[tuple[str, bool]] = []

    def note_turn(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        try:
            fcntl.flock(observer, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            turns.append((statement, True))
        else:
            fcntl.flock(observer, fcntl.LOCK_UN)
            turns.append((statement, False))

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", note_turn)
    try:
        response = client.post(
            f"/api/v1/shipments/{created.get_json()['id']}/scans",
            json={"raw": "]d201003002415350271730123110LOT42\x1d21SER1"},
            headers=headers,
        )
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", note_turn)
        os.close(observer)
        db.dispose()
    assert response.status_code == 201, response.get_json()
    held = [(statement[:40], turn) for statement, turn in turns]
    token_read = next(turn for statement, turn in turns if "FROM api_token" in statement)
    scan_insert = next(
        turn for statement, turn in turns if statement.startswith("INSERT INTO scan")
    )
    audit_insert = next(
        turn for statement, turn in turns if statement.startswith("INSERT INTO audit_event")
    )
    assert token_read is False, held
    assert scan_insert is True and audit_insert is True, held
    first_locked = next(i for i, (_, turn) in enumerate(turns) if turn)
    assert all(turn for _, turn in turns[first_locked:]), "the turn is kept to the commit"

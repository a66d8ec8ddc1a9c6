"""SQLite writers take turns on a file lock; one that waits too long gets a 503, not a hang."""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

from inspect_svc.app import create_app
from inspect_svc.auth import ensure_user, issue_token
from inspect_svc.db import db
from inspect_svc.settings import load_settings


def test_a_writer_that_cannot_get_its_turn_gets_503(sqlite_template: Path, tmp_path: Path) -> None:
    database = tmp_path / "busy.sqlite3"
    shutil.copyfile(sqlite_template, database)
    settings = load_settings(environ={}).replace(
        database={"url": f"sqlite:///{database}", "sqlite_busy_timeout_ms": 200},
        server={"instance_path": str(tmp_path / "instance"), "secret_key": "t"},
    )
    app = create_app(settings)
    with app.app_context(), db.session_scope() as session:
        token = issue_token(session, ensure_user(session, "busy", "inspector"), "isv_")
    holder = os.open(f"{database}.write-lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)  # another process is writing, and stays
        response = app.test_client().post(
            "/api/v1/shipments",
            json={
                "entry_number": "E",
                "port_code": "2704",
                "mode": "air",
                "origin_country": "US",
                "manufacturer": {"name": "M"},
            },
            headers={"Authorization": f"Bearer {token}"},
        )
        reading = app.test_client().get(
            "/api/v1/shipments", headers={"Authorization": f"Bearer {token}"}
        )
    finally:
        fcntl.flock(holder, fcntl.LOCK_UN)
        os.close(holder)
        db.dispose()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.get_json()["type"].endswith("/database-unavailable")
    assert reading.status_code == 200  # readers never wait for the writers' lock

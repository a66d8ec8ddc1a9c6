"""Health probes under gunicorn write no log lines, at the INFO level operators run with."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.live import LiveService

pytestmark = pytest.mark.slow


class InfoLoggingService(LiveService):
    @property
    def env(self) -> dict[str, str]:
        return {**super().env, "INSPECT_SERVER__LOG_LEVEL": "INFO"}


@pytest.fixture
def chatty_service(tmp_path: Path) -> Iterator[InfoLoggingService]:
    service = InfoLoggingService(f"sqlite:///{tmp_path / 'live.sqlite3'}", tmp_path)
    service.initialise()
    service.start()
    try:
        yield service
    finally:
        service.stop()


def app_log_lines(service: LiveService) -> list[dict[str, object]]:
    """The service's JSON log lines (gunicorn's own lines are not JSON)."""
    text = (service.workdir / "gunicorn.log").read_text(errors="replace")
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_probes_write_no_log_lines(chatty_service: InfoLoggingService) -> None:
    for _ in range(20):
        assert requests.get(chatty_service.base_url + "/readyz", timeout=5).status_code == 200
        assert requests.get(chatty_service.base_url + "/healthz", timeout=5).status_code == 200
    me = requests.get(chatty_service.base_url + "/api/v1/me", timeout=5)  # an ordinary request

    lines = app_log_lines(chatty_service)
    assert [entry for entry in lines if str(entry["logger"]).startswith("alembic")] == []
    assert [entry for entry in lines if entry.get("path") in ("/readyz", "/healthz")] == []
    assert [entry.get("status") for entry in lines if entry.get("path") == "/api/v1/me"] == [
        me.status_code
    ]

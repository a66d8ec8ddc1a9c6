"""A revoked or rotated token: the agent (a real process on a pty) pauses, keeps every scan in
order, beeps its alert on the scanner, and resumes when the operator gives a valid token."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from devices import cli
from devices.outbox import Outbox
from tests.devices.scanner_kit import FakeService, wait_for

pytestmark = [pytest.mark.device, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
BEL = b"\x07"


def start_agent(pty_path: str, service: FakeService, outbox: Path, token_file: Path) -> Any:
    env = {k: v for k, v in os.environ.items() if k != "INSPECT_TOKEN"}
    env["PYTHONPATH"] = str(REPO)
    with (outbox.parent / "agent.log").open("ab") as log:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "devices.cli",
                "serial",
                pty_path,
                "--server",
                service.url,
                "--shipment",
                "SHP-7",
                "--device-id",
                "dock-7",
                "--outbox",
                str(outbox),
                "--token-file",
                str(token_file),
                "--preset",
                "zebra_bel",
            ],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=log,
        )


def read_available(fd: int, seconds: float) -> bytes:
    """Everything the agent wrote to the scanner within `seconds`."""
    data = b""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            data += os.read(fd, 1024)
    return data


def test_refused_token_pauses_alerts_and_resumes_without_losing_a_scan(
    tmp_path: Path, service: FakeService, make_pty: Any
) -> None:
    pty = make_pty()
    outbox = tmp_path / "outbox.db"
    log = tmp_path / "agent.log"
    token_file = tmp_path / "token"
    token_file.write_text("tok-revoked\n")
    service.accepted_tokens = {"tok-new"}
    agent = start_agent(pty.path, service, outbox, token_file)
    try:
        wait_for(lambda: log.exists() and "reading" in log.read_text(), timeout=20)
        for n in range(3):
            pty.write(f"]d20109501101530003 21T{n}\r\n".encode())
            time.sleep(0.05)
        wait_for(lambda: "sending paused" in log.read_text(), timeout=20)
        beeps = read_available(pty.master, 3.0)
        assert beeps.count(BEL) >= 4  # the alert pattern: four beeps
        assert set(beeps) == {BEL[0]}

        box = Outbox(outbox)
        try:
            rows = box.rows()
            assert [r.state for r in rows] == ["pending"] * 3  # nothing dead, nothing lost
            assert rows[0].status == 401 and "token revoked" in (rows[0].last_error or "")
        finally:
            box.close()
        assert service.stored == {}
        listing = CliRunner().invoke(cli.main, ["outbox", "list", "--outbox", str(outbox)])
        assert listing.exit_code == 0, listing.output
        assert listing.output.splitlines()[0] == "pending 3  dead 0  held 0  sent 0"
        assert "HTTP 401" in listing.output
        assert f"kill -HUP {agent.pid}" in log.read_text()

        token_file.write_text("tok-new\n")  # the operator puts a valid token in place
        wait_for(lambda: len(service.stored) == 3, timeout=20)
        sent = [service.stored[key]["scans"][0]["raw"] for key in service.stored_order]
        assert sent == [f"]d20109501101530003 21T{n}" for n in range(3)]

        service.accepted_tokens = set()  # revoked again ...
        pty.write(b"]d20109501101530003 21T3\r\n")
        wait_for(lambda: log.read_text().count("sending paused") == 2, timeout=20)
        service.accepted_tokens = {"tok-new"}  # ... and restored on the server: SIGHUP retries
        agent.send_signal(signal.SIGHUP)
        wait_for(lambda: len(service.stored) == 4, timeout=10)

        agent.send_signal(signal.SIGTERM)
        assert agent.wait(20) == 0
    finally:
        if agent.poll() is None:
            agent.kill()
            agent.wait()
    keys = [key for _, key, _, _ in service.requests]
    assert len(set(keys)) == 4
    assert service.stored_order == list(dict.fromkeys(keys))  # delivered in scan order

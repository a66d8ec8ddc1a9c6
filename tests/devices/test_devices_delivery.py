"""Exactly-once delivery against a real local HTTP server with injected faults, in-process
and with the agent run as a subprocess that is SIGKILLed mid-send."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from devices.forwarder import Forwarder, HttpSender
from devices.outbox import Outbox
from devices.scan import Scan, Transport
from tests.devices.scanner_kit import FakeService, wait_for

pytestmark = pytest.mark.device

REPO = Path(__file__).resolve().parents[2]


def make_scan(i: int) -> Scan:
    return Scan(
        device_id="dev-1",
        transport=Transport.SERIAL,
        raw=b"",
        text=f"0109501101530003 21S{i}",
        aim_id="]d2",
        symbology="GS1_DATAMATRIX",
        captured_at=time.time(),
        captured_mono_ns=0,
    )


def assert_exactly_once_in_order(service: FakeService, box: Outbox) -> None:
    rows = box.rows()
    assert all(r.state == "sent" for r in rows)
    assert service.stored_order == [r.scan_id for r in rows]
    assert [service.stored[r.scan_id]["scans"][0]["raw"] for r in rows] == [
        r.body["raw"] for r in rows
    ]
    seqs = [r.seq for r in rows]
    assert seqs == list(range(1, len(rows) + 1))


def test_faults_and_outage_deliver_every_scan_once_in_order(
    tmp_path: Path, service: FakeService
) -> None:
    service.faults = [500, (429, "1"), None, "drop"]
    box = Outbox(tmp_path / "outbox.db")
    sender = HttpSender(service.url, "tok-1")
    verdicts: list[str] = []
    fwd = Forwarder(
        box,
        sender,
        backoff_base=0.05,
        backoff_cap=0.3,
        on_verdict=lambda row, v: verdicts.append(v),
    )
    fwd.start()
    try:
        for i in range(4):
            box.append(make_scan(i), "SHP-1")
            fwd.notify()
        wait_for(lambda: box.counts().get("sent") == 4)

        service.stop()  # connection refused from now on
        for i in range(4, 8):
            box.append(make_scan(i), "SHP-1")
            fwd.notify()
        wait_for(
            lambda: (
                (head := box.head()) is not None
                and head.attempts >= 2
                and "ConnectionError" in (head.last_error or "")
            )
        )
        service.start()  # same port
        wait_for(lambda: box.counts().get("sent") == 8)
    finally:
        fwd.stop()
        sender.close()
    assert_exactly_once_in_order(service, box)
    keys = [key for _, key, _, _ in service.requests]
    first = box.rows()[0].scan_id
    assert keys[:3] == [first] * 3  # 500, 429, then stored
    assert keys.count(box.rows()[1].scan_id) == 2  # response dropped, replayed once
    t_429 = service.requests[1][0]
    t_after = service.requests[2][0]
    assert t_after - t_429 >= 0.95  # Retry-After: 1
    _, key, body, headers = service.requests[2]
    assert headers["Authorization"] == "Bearer tok-1"
    assert headers["Idempotency-Key"] == key == body["idempotency_key"]
    assert set(body) == {"raw", "device_id", "idempotency_key", "scanned_at", "device_seq"}
    assert verdicts == ["green"] * 8
    box.close()


def test_client_error_is_dead_and_does_not_block(tmp_path: Path, service: FakeService) -> None:
    box = Outbox(tmp_path / "outbox.db")
    sender = HttpSender(service.url, None)
    fwd = Forwarder(box, sender)
    bad = dataclasses.replace(make_scan(0), aim_id=None, text="BAD")
    box.append(bad, "SHP-1")
    box.append(make_scan(1), "SHP-1")
    fwd.start()
    try:
        wait_for(lambda: box.counts() == {"dead": 1, "sent": 1})
    finally:
        fwd.stop()
        sender.close()
    dead = box.rows("dead")[0]
    assert "Unprocessable" in (dead.last_error or "") and "bad raw" in (dead.last_error or "")
    box.close()


def start_agent(pty_path: str, service: FakeService, outbox: Path, log: Path) -> Any:
    env = {**os.environ, "INSPECT_TOKEN": "tok-agent", "PYTHONPATH": str(REPO)}
    with log.open("ab") as fh:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "devices.cli",
                "serial",
                pty_path,
                "--server",
                service.url,
                "--shipment",
                "SHP-9",
                "--device-id",
                "agent-dev",
                "--outbox",
                str(outbox),
                "--preset",
                "cdc",
            ],
            cwd=REPO,
            env=env,
            stdout=fh,
            stderr=fh,
        )
    return proc


@pytest.mark.slow
def test_agent_killed_mid_send_still_delivers_exactly_once(
    tmp_path: Path, service: FakeService, make_pty: Any
) -> None:
    pty = make_pty()
    outbox = tmp_path / "agent.db"
    log = tmp_path / "agent.log"
    service.faults = [None, None, "hang"]
    proc = start_agent(pty.path, service, outbox, log)
    try:
        wait_for(lambda: "reading" in log.read_text(), timeout=20)
        for i in range(5):
            pty.write(f"]d20109501101530003 21K{i}\r\n".encode())
            time.sleep(0.05)
        assert service.hanging.wait(10)
        proc.send_signal(signal.SIGKILL)  # the third scan is stored but its answer is lost
        proc.wait(10)
        service.release.set()
        assert len(service.stored) == 3

        proc = start_agent(pty.path, service, outbox, log)
        wait_for(lambda: log.read_text().count("reading") == 2, timeout=20)
        pty.write(b"]d20109501101530003 21K5\r")
        wait_for(lambda: len(service.stored) == 6, timeout=20)
        time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    box = Outbox(outbox)
    try:
        assert_exactly_once_in_order(service, box)
        rows = box.rows()
        assert [r.body["raw"] for r in rows] == [f"]d20109501101530003 21K{i}" for i in range(6)]
        keys = [key for _, key, _, _ in service.requests]
        assert keys.count(rows[2].scan_id) == 2  # resent after restart, replayed by the server
        assert all(keys.count(r.scan_id) == 1 for r in rows if r is not rows[2])
        assert service.requests[0][3]["Authorization"] == "Bearer tok-agent"
    finally:
        box.close()

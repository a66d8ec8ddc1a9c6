"""The scanner agent against the real service under gunicorn: exactly once through outages."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.devices.scanner_kit import wait_for
from tests.live import ROOT, LiveService

pytestmark = [pytest.mark.device, pytest.mark.slow]

GS = "\x1d"


def frame(serial: str) -> bytes:
    return f"]d201003000214070181730123110LOT42{GS}21{serial}\r".encode()


def start_agent(service: LiveService, pty_path: str, shipment: int, outbox: Path) -> Any:
    env = {**os.environ, "INSPECT_TOKEN": service.tokens["inspector"], "PYTHONPATH": str(ROOT)}
    log = (outbox.parent / "agent.log").open("ab")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "devices.cli",
            "serial",
            pty_path,
            "--server",
            service.base_url,
            "--shipment",
            str(shipment),
            "--device-id",
            "dock-3",
            "--outbox",
            str(outbox),
            "--preset",
            "cdc",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    log.close()
    return proc


def stored_serials(service: LiveService, shipment: int) -> list[str]:
    try:
        response = requests.get(
            f"{service.base_url}/api/v1/shipments/{shipment}",
            headers=service.headers(),
            timeout=5,
        )
    except requests.RequestException:
        return []
    return [s["interpretation"]["serial"] for s in response.json()["scans"]]


def test_scans_reach_the_service_exactly_once_through_an_outage_and_a_crash(
    live_service: LiveService, make_pty: Any, tmp_path: Path
) -> None:
    shipment = int(live_service.create_shipment()["id"])  # type: ignore[call-overload]
    pty = make_pty()
    outbox = tmp_path / "outbox.db"
    agent = start_agent(live_service, pty.path, shipment, outbox)
    log = tmp_path / "agent.log"
    try:
        wait_for(lambda: "reading" in log.read_text(), timeout=20)
        for n in range(3):
            pty.write(frame(f"S{n}"))
        wait_for(lambda: stored_serials(live_service, shipment) == ["S0", "S1", "S2"], 30)

        live_service.stop()  # outage: scans queue in the outbox
        for n in range(3, 6):
            pty.write(frame(f"S{n}"))
            time.sleep(0.05)
        time.sleep(1.0)
        agent.send_signal(signal.SIGKILL)  # and the agent dies with scans pending
        agent.wait(10)
        live_service.start()

        agent = start_agent(live_service, pty.path, shipment, outbox)
        wait_for(lambda: log.read_text().count("reading") >= 2, timeout=20)
        pty.write(frame("S6"))
        expected = [f"S{n}" for n in range(7)]
        wait_for(lambda: stored_serials(live_service, shipment) == expected, 60)
        time.sleep(0.5)
        assert stored_serials(live_service, shipment) == expected  # nothing arrived twice
        agent.send_signal(signal.SIGTERM)
        assert agent.wait(20) == 0
    finally:
        if agent.poll() is None:
            agent.kill()
            agent.wait()

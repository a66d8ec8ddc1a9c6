"""Reads the decoder flagged (events dropped, unplugged mid-frame) reach the real service with
their device flags, in order with the clean ones, and the inspector sees them."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
import requests

from devices import config
from devices.agent import Agent
from devices.decoders.recording import read_jsonl
from devices.feedback.base import NullFeedback
from devices.forwarder import Forwarder, HttpSender
from devices.outbox import Outbox
from devices.transports.evdev_reader import EvdevDriver
from tests.devices.scanner_kit import FakeInputDevice, Typist, wait_for
from tests.live import LiveService

pytestmark = [pytest.mark.device, pytest.mark.slow]

DATA = Path(__file__).resolve().parent / "data"


def test_flagged_reads_reach_the_service_with_their_flags(
    live_service: LiveService, tmp_path: Path
) -> None:
    shipment = int(live_service.create_shipment()["id"])  # type: ignore[call-overload]
    devices = [FakeInputDevice("/dev/input/event5"), FakeInputDevice("/dev/input/event6")]
    opened: list[FakeInputDevice] = []

    def open_device(path: str) -> FakeInputDevice:
        opened.append(devices[len(opened)])
        return opened[-1]

    settings = config.resolve(
        config.load_file(), None, reconnect_initial_ms=10, reconnect_max_ms=20
    )
    driver = EvdevDriver("wedge-1", settings, lambda: "/dev/input/by-id/x", open_device=open_device)
    box = Outbox(tmp_path / "outbox.db")
    sender = HttpSender(live_service.base_url, live_service.tokens["inspector"])
    agent = Agent(driver, box, str(shipment), settings, feedback=NullFeedback())
    agent.forwarder = Forwarder(box, sender, on_verdict=agent.on_verdict)
    stop = threading.Event()
    runner = threading.Thread(target=agent.run, args=(stop,), name="agent")
    runner.start()
    try:
        wait_for(lambda: opened)
        recorded = read_jsonl((DATA / "syn_dropped.jsonl").read_text().splitlines())
        opened[0].push([(e.timestamp, e.type, e.code, e.value) for e in recorded])
        opened[0].push(
            Typist(t0=time.time()).scan("]d20109501101530003 21UNPL", terminator=None).events
        )
        opened[0].unplug()  # mid-frame: the read so far is flagged partial_disconnect
        wait_for(lambda: box.counts().get("sent") == 3, timeout=30)
    finally:
        stop.set()
        runner.join(20)
        sender.close()
        for device in devices:
            device.close()
    rows = box.rows()
    box.close()
    assert [r.body.get("device_flags", []) for r in rows] == [
        ["syn_dropped"],
        [],
        ["partial_disconnect"],
    ]

    detail = requests.get(
        f"{live_service.base_url}/api/v1/shipments/{shipment}",
        headers=live_service.headers(),
        timeout=10,
    ).json()
    assert [(s["raw"], s["device_flags"]) for s in detail["scans"]] == [
        ("]d20109501101530003", ["syn_dropped"]),
        ("]Q1https://example.com/Doc-7", []),
        ("]d20109501101530003 21UNPL", ["partial_disconnect"]),
    ]

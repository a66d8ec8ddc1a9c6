"""Serial driver against real pseudo-terminals: the test writes scanner output to the master."""

from __future__ import annotations

import dataclasses
import itertools
import os
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import serial

from devices import config
from devices.scan import GS, Flag, Scan
from devices.transports.base import State, fixed_path
from devices.transports.serial_reader import SerialDriver, open_serial
from tests.devices.scanner_kit import wait_for

pytestmark = pytest.mark.device

PHARMA = "]d2010950110153000317250131" + "10ABC" + GS + "21XYZ123"


class Collector:
    def __init__(self) -> None:
        self.scans: list[Scan] = []
        self._lock = threading.Lock()

    def __call__(self, scan: Scan) -> None:
        with self._lock:
            self.scans.append(scan)

    def texts(self) -> list[str]:
        with self._lock:
            return [s.wire_text for s in self.scans]


@pytest.fixture
def run_driver() -> Iterator[Any]:
    drivers: list[SerialDriver] = []

    def start(driver: SerialDriver) -> Collector:
        collector = Collector()
        drivers.append(driver)
        driver.start(collector)
        wait_for(lambda: driver.status().state is State.READING)
        return collector

    yield start
    for d in drivers:
        d.stop()


def test_split_writes_slow_bytes_cr_crlf_and_garbage(
    make_pty: Any, run_driver: Any, fast_settings: config.DeviceSettings
) -> None:
    pty = make_pty()
    driver = SerialDriver("ser-1", fast_settings, fixed_path(pty.path))
    got = run_driver(driver)
    data = PHARMA.encode("latin-1")
    pty.write(data[:7])
    time.sleep(0.05)
    pty.write(data[7:] + b"\r")
    for b in b"]E09501101530003\r\n":  # slow bytes, CRLF
        pty.write(bytes([b]))
        time.sleep(0.002)
    pty.write(b"\r\n\r\n")  # empty frames
    pty.write(b"\xff\x00garbage\xfe\n")
    pty.write(b"]C1011234\r")
    pty.write(b"\n")  # CRLF split across writes
    pty.write(b"LAST\r")
    wait_for(lambda: len(got.texts()) >= 5)
    time.sleep(0.1)
    assert got.texts() == [PHARMA, "]E09501101530003", "\xff\x00garbage\xfe", "]C1011234", "LAST"]
    assert [s.symbology for s in got.scans] == ["GS1_DATAMATRIX", "EAN13", None, "GS1_128", None]
    assert all(s.flags == frozenset() for s in got.scans)
    assert len({s.scan_id for s in got.scans}) == 5
    assert got.scans[0].raw == data


def test_idle_gap_for_scanner_without_terminator(make_pty: Any, run_driver: Any) -> None:
    settings = config.resolve(config.load_file(), "no_suffix", read_timeout_ms=10)
    pty = make_pty()
    got = run_driver(SerialDriver("ser-2", settings, fixed_path(pty.path)))
    pty.write(b"]d2" + b"0109501")
    time.sleep(0.03)
    pty.write(b"101530003")
    wait_for(lambda: got.scans)
    pty.write(b"SECOND")
    wait_for(lambda: len(got.scans) == 2)
    assert got.texts() == ["]d20109501101530003", "SECOND"]
    assert all(s.flags == {Flag.NO_TERMINATOR} for s in got.scans)


def test_unplug_then_replug_on_a_new_pty(
    make_pty: Any, run_driver: Any, fast_settings: config.DeviceSettings
) -> None:
    first = make_pty()
    current = {"path": first.path}
    driver = SerialDriver("ser-3", fast_settings, lambda: current["path"])
    got = run_driver(driver)
    first.write(b"ONE\r")
    wait_for(lambda: got.texts() == ["ONE"])
    first.write(b"HALF")
    time.sleep(0.05)
    current["path"] = "/dev/does-not-exist"
    first.close()  # unplug
    wait_for(lambda: driver.status().outages == 1)
    status = driver.status()
    assert status.state in (State.BACKOFF, State.SEARCHING)
    assert status.outage_since is not None
    wait_for(lambda: len(got.scans) == 2)
    assert got.scans[1].text == "HALF"
    assert got.scans[1].flags == {Flag.PARTIAL_DISCONNECT}
    assert not got.scans[1].valid

    second = make_pty()  # replug, under another name
    current["path"] = second.path
    wait_for(lambda: driver.status().state is State.READING)
    assert driver.status().path == second.path
    assert driver.status().outage_since is None
    second.write(b"TWO\r\n")
    wait_for(lambda: len(got.scans) == 3)
    assert got.texts()[2] == "TWO"
    assert driver.status().connects == 2


def test_port_is_opened_exclusively(
    make_pty: Any, run_driver: Any, fast_settings: config.DeviceSettings
) -> None:
    pty = make_pty()
    run_driver(SerialDriver("ser-4", fast_settings, fixed_path(pty.path)))
    with pytest.raises(serial.SerialException, match="exclusively lock"):
        open_serial(pty.path, fast_settings)


def test_missing_port_backs_off_exponentially(fast_settings: config.DeviceSettings) -> None:
    attempts: list[float] = []

    def resolve() -> str | None:
        attempts.append(time.monotonic())
        return None

    driver = SerialDriver("ser-5", fast_settings, resolve)
    driver.start(Collector())
    wait_for(lambda: len(attempts) >= 5, timeout=5)
    driver.stop()
    gaps = [b - a for a, b in itertools.pairwise(attempts)]
    assert gaps[0] >= 0.015
    assert gaps[2] >= 0.07  # 20 ms, 40 ms, 80 ms, then capped at 100 ms
    assert max(gaps) < 0.5
    assert driver.status().state is State.STOPPED
    assert driver.status().outages == 0  # never connected: searching, not an outage


def test_serial_parameters_are_passed_from_preset(make_pty: Any) -> None:
    seen: dict[str, Any] = {}
    settings = config.resolve(config.load_file(), "zebra_ssi", baudrate=19200, parity="E")

    def fake_open(path: str, s: config.DeviceSettings) -> Any:
        seen.update(path=path, settings=s)
        raise serial.SerialException("fake")

    driver = SerialDriver("ser-6", settings, lambda: "/dev/ttyFAKE", open_port=fake_open)
    driver.start(Collector())
    wait_for(lambda: seen)
    driver.stop()
    s = seen["settings"]
    assert (s.baudrate, s.parity, s.stopbits, s.flow_control) == (19200, "E", 1, "rtscts")
    assert "open /dev/ttyFAKE failed: fake" in (driver.status().last_error or "")


def test_open_serial_applies_line_settings() -> None:
    settings = dataclasses.replace(
        config.DeviceSettings(), baudrate=115200, parity="O", stopbits=2, flow_control="rtscts"
    )
    port = open_serial("loop://", settings)
    try:
        assert (port.baudrate, port.parity, port.stopbits) == (115200, "O", 2)
        assert port.rtscts and not port.xonxoff
        assert port.timeout == 0.05
    finally:
        port.close()


def test_feedback_bytes_reach_the_scanner(
    make_pty: Any, run_driver: Any, fast_settings: config.DeviceSettings
) -> None:
    pty = make_pty()
    driver = SerialDriver("ser-7", fast_settings, fixed_path(pty.path))
    run_driver(driver)
    driver.write(b"\x16\x07\x0d")
    assert os.read(pty.master, 16) == b"\x16\x07\x0d"


def test_write_when_disconnected_raises(fast_settings: config.DeviceSettings) -> None:
    driver = SerialDriver("ser-8", fast_settings, lambda: None)
    with pytest.raises(OSError, match="not connected"):
        driver.write(b"B")

"""Keyboard-wedge driver with a fake evdev device (and UInput where the kernel has it)."""

from __future__ import annotations

import os
import threading
import time

import pytest

from devices import config
from devices.scan import Flag, Scan
from devices.transports.base import State, fixed_path
from devices.transports.evdev_reader import EvdevDriver
from tests.devices.scanner_kit import GS, FakeInputDevice, Typist, wait_for

pytestmark = pytest.mark.device

PHARMA = "]d2010950110153000317250131" + "10ABC" + GS + "21XYZ123"


def settings(**overrides: object) -> config.DeviceSettings:
    return config.resolve(
        config.load_file(), None, reconnect_initial_ms=10, reconnect_max_ms=20, **overrides
    )


def test_scans_read_in_the_same_batch_as_an_unplug_are_kept() -> None:
    """A complete scan and the unplug that follows it arrive in one read: the scan survives."""
    device = FakeInputDevice("/dev/input/event9")
    device.push(Typist().scan(PHARMA).events)
    device.unplug()
    scans: list[Scan] = []
    driver = EvdevDriver(
        "kbd-2", settings(), lambda: "/dev/input/by-id/y", open_device=lambda p: device
    )
    driver.start(scans.append)
    try:
        wait_for(lambda: scans)
    finally:
        driver.stop()
        device.close()
    assert scans[0].flags == frozenset() and PHARMA.replace(GS, "") in scans[0].wire_text.replace(
        GS, ""
    )


def test_grabs_decodes_survives_enodev_and_regrabs() -> None:
    devices = [FakeInputDevice("/dev/input/event7"), FakeInputDevice("/dev/input/event8")]
    opened: list[FakeInputDevice] = []
    lock = threading.Lock()
    scans: list[Scan] = []

    def open_device(path: str) -> FakeInputDevice:
        dev = devices[len(opened)]
        opened.append(dev)
        return dev

    def on_scan(scan: Scan) -> None:
        with lock:
            scans.append(scan)

    driver = EvdevDriver("kbd-1", settings(), lambda: "/dev/input/by-id/x", open_device=open_device)
    driver.start(on_scan)
    try:
        wait_for(lambda: driver.status().state is State.READING)
        assert devices[0].grabbed
        devices[0].push(Typist().scan(PHARMA, gs="alt").events)
        wait_for(lambda: scans)
        devices[0].push(Typist(t0=time.time()).scan("ABC", terminator=None).events)
        devices[0].unplug()
        wait_for(lambda: len(opened) == 2 and driver.status().state is State.READING)
        assert devices[0].closed and not devices[0].grabbed
        assert devices[1].grabbed
        devices[1].push(Typist().scan("]E09501101530003", terminator="kpenter").events)
        wait_for(lambda: len(scans) == 3)
    finally:
        driver.stop()
        for d in devices:
            d.close()
    assert [s.wire_text for s in scans] == [PHARMA, "ABC", "]E09501101530003"]
    assert scans[0].symbology == "GS1_DATAMATRIX"
    assert scans[1].flags == {Flag.PARTIAL_DISCONNECT}
    assert driver.status().outages == 1
    assert driver.status().state is State.STOPPED


def test_watchdog_flushes_scan_without_terminator() -> None:
    dev = FakeInputDevice("/dev/input/event3")
    scans: list[Scan] = []
    driver = EvdevDriver(
        "kbd-2",
        settings(inter_key_gap_ms=50),
        lambda: dev.path,
        open_device=lambda p: dev,
    )
    driver.start(scans.append)
    try:
        wait_for(lambda: driver.status().state is State.READING)
        now = time.time()
        dev.push(Typist(t0=now).scan("NOTERM", terminator=None).events)
        wait_for(lambda: scans)
    finally:
        driver.stop()
        dev.close()
    assert scans[0].text == "NOTERM"
    assert scans[0].flags == {Flag.NO_TERMINATOR}
    assert scans[0].valid


def test_wedge_has_no_feedback_channel() -> None:
    driver = EvdevDriver("kbd-3", settings(), fixed_path("/nonexistent"))
    assert not driver.bidirectional
    with pytest.raises(OSError, match="one-way"):
        driver.write(b"\x07")


@pytest.mark.skipif(not os.access("/dev/uinput", os.W_OK), reason="needs a writable /dev/uinput")
def test_uinput_virtual_keyboard_end_to_end() -> None:
    evdev = pytest.importorskip("evdev")
    ec = evdev.ecodes
    scans: list[Scan] = []
    with evdev.UInput(name="inspect-test-scanner") as ui:
        driver = EvdevDriver("kbd-u", settings(), fixed_path(ui.device.path))
        driver.start(scans.append)
        try:
            wait_for(lambda: driver.status().state is State.READING)
            for code in (ec.KEY_A, ec.KEY_B, ec.KEY_ENTER):
                ui.write(ec.EV_KEY, code, 1)
                ui.syn()
                ui.write(ec.EV_KEY, code, 0)
                ui.syn()
            wait_for(lambda: scans)
        finally:
            driver.stop()
    assert scans[0].text == "ab"

"""HID POS report assembly and the hidraw driver with a fake hidapi device."""

from __future__ import annotations

import queue

import pytest

from devices import config
from devices.decoders.hidpos import HidPosAssembler, build_report, split_into_reports
from devices.scan import GS, Flag, Scan
from devices.transports.base import State
from devices.transports.hidpos_reader import HidPosDriver
from tests.devices.scanner_kit import wait_for

LONG = "010950110153000317250131" + "10ABC" + GS + "21" + "X" * 20 + GS + "7140" + "Y" * 30


def test_single_report() -> None:
    report = build_report(b"0109501101530003", aim=b"]d2", code_id=b"w")
    assert len(report) == 64
    assert report[:5] == b"\x02\x10]d2"
    [frame] = HidPosAssembler().feed(report, 1.0)
    assert (frame.payload, frame.aim_id, frame.vendor_code_id) == (
        b"0109501101530003",
        "]d2",
        "w",
    )


def test_continued_reports_are_concatenated() -> None:
    reports = split_into_reports(LONG.encode(), aim=b"]Q3", code_id=b"s")
    assert len(reports) == 2
    assert reports[0][63] == 1 and reports[1][63] == 0
    asm = HidPosAssembler()
    assert asm.feed(reports[0], 1.0) == []
    [frame] = asm.feed(reports[1], 1.01)
    assert frame.payload.decode() == LONG
    assert (frame.aim_id, frame.started_at, frame.ended_at) == ("]Q3", 1.0, 1.01)


@pytest.mark.parametrize(
    "report",
    [b"", b"\x05" + bytes(63), build_report(b"", aim=b"]X0")],
)
def test_ignored_reports(report: bytes) -> None:
    assert HidPosAssembler().feed(report, 0.0) == []


def test_bad_length_is_flagged() -> None:
    bad = bytearray(build_report(b"ABC"))
    bad[1] = 60
    [frame] = HidPosAssembler().feed(bytes(bad), 0.0)
    assert frame.flags == {Flag.BAD_REPORT}
    with pytest.raises(ValueError, match="does not fit"):
        build_report(b"x" * 57)


def test_no_aim_in_report() -> None:
    [frame] = HidPosAssembler().feed(build_report(b"HELLO", aim=b"\x00\x00\x00"), 0.0)
    assert frame.aim_id is None


class FakeHid:
    def __init__(self) -> None:
        self.reports: queue.Queue[bytes | OSError] = queue.Queue()
        self.written: list[bytes] = []
        self.closed = False

    def read(self, size: int, timeout_ms: int) -> list[int]:
        try:
            item = self.reports.get(timeout=timeout_ms / 1000)
        except queue.Empty:
            return []
        if isinstance(item, OSError):
            raise item
        return list(item)

    def write(self, data: bytes) -> int:
        self.written.append(data)
        return len(data)

    def close(self) -> None:
        self.closed = True


@pytest.mark.device
def test_driver_reads_reports_writes_feedback_and_reconnects() -> None:
    settings = config.resolve(
        config.load_file(), None, reconnect_initial_ms=10, reconnect_max_ms=20, read_timeout_ms=10
    )
    devices = [FakeHid(), FakeHid()]
    opened: list[FakeHid] = []

    def open_device(path: str) -> FakeHid:
        dev = devices[len(opened)]
        opened.append(dev)
        return dev

    scans: list[Scan] = []
    driver = HidPosDriver("hp-1", settings, lambda: "/dev/hidraw9", open_device=open_device)
    driver.start(scans.append)
    try:
        for r in split_into_reports(LONG.encode()):
            devices[0].reports.put(r)
        wait_for(lambda: scans)
        driver.write(b"\xfd\x03\x16\x07\r")
        devices[0].reports.put(split_into_reports(LONG.encode())[0])
        devices[0].reports.put(OSError(5, "Input/output error"))
        wait_for(lambda: len(opened) == 2 and driver.status().state is State.READING)
        devices[1].reports.put(build_report(b"AGAIN", aim=b"]d1"))
        wait_for(lambda: len(scans) == 3)
    finally:
        driver.stop()
    assert [s.wire_text for s in scans] == ["]d2" + LONG, "]d2" + LONG[:56], "]d1AGAIN"]
    assert scans[0].symbology == "GS1_DATAMATRIX"
    assert scans[1].flags == {Flag.PARTIAL_DISCONNECT}
    assert devices[0].written == [b"\xfd\x03\x16\x07\r"]
    assert devices[0].closed and devices[1].closed
    assert driver.status().outages == 1

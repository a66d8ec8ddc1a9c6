"""Verdict -> exact bytes per vendor protocol."""

from __future__ import annotations

import logging

import pytest
import serial

from devices.feedback import PATTERNS, zebra_ssi
from devices.feedback.base import VERDICTS, NullFeedback, QueuedFeedback


def play(name: str, verdict: str) -> list[tuple[bytes, float]]:
    return [(step.data, step.pause_after) for step in PATTERNS[name][verdict]]


def test_ssi_checksum_vectors() -> None:
    assert zebra_ssi.checksum(bytes.fromhex("0A80040000062000FFFF")) == bytes.fromhex("FD4E")
    assert zebra_ssi.packet(0xE6, b"\x01") == bytes.fromhex("05E6040001FF10")


@pytest.mark.parametrize(
    ("name", "verdict", "expected"),
    [
        ("zebra_ssi", "green", []),
        ("zebra_ssi", "amber", [(bytes.fromhex("05E6040005FF0C"), 0.0)]),
        (
            "zebra_ssi",
            "red",
            [
                (bytes.fromhex("05E6040001FF10"), 0.0),
                (bytes.fromhex("05E7040001FF0F"), 1.0),
                (bytes.fromhex("05E8040001FF0E"), 0.0),
            ],
        ),
        ("zebra_ssi", "reread", [(bytes.fromhex("05E6040006FF0B"), 0.0)]),
        ("honeywell", "green", []),
        ("honeywell", "amber", [(b"\x16\x07\r", 0.0)]),
        ("honeywell", "red", [(b"\x16\x07\r", 0.25), (b"\x16\x07\r", 0.0)]),
        ("honeywell", "reread", [(b"\x16\x07\r", 0.25)] * 2 + [(b"\x16\x07\r", 0.0)]),
        ("honeywell_hostack", "green", [(b"\x1b7,", 0.0)]),
        ("honeywell_hostack", "amber", [(b"\x1b4,", 0.0)]),
        ("honeywell_hostack", "red", [(b"\x1b8,\x1b8,", 0.0)]),
        ("honeywell_hostack", "reread", [(b"\x1b8,", 0.0)]),
        ("honeywell_hidpos", "red", [(b"\xfd\x03\x16\x07\r", 0.25), (b"\xfd\x03\x16\x07\r", 0.0)]),
        ("datalogic", "green", []),
        ("datalogic", "amber", [(b"B", 0.0)]),
        ("datalogic", "red", [(b"B", 0.25), (b"B", 0.0)]),
        ("datalogic", "reread", [(b"F", 0.0)]),
        ("bel", "green", []),
        ("bel", "amber", [(b"\x07", 0.0)]),
        ("bel", "red", [(b"\x07", 0.25), (b"\x07", 0.0)]),
        ("bel", "reread", [(b"\x07", 0.25), (b"\x07", 0.25), (b"\x07", 0.0)]),
        ("bel", "alert", [(b"\x07", 0.5)] * 3 + [(b"\x07", 0.0)]),
        ("honeywell_hostack", "alert", [(b"\x1b8,\x1b8,\x1b8,", 0.0)]),
        ("datalogic", "alert", [(b"F", 0.5), (b"F", 0.5), (b"F", 0.0)]),
        (
            "zebra_ssi",
            "alert",
            [
                (bytes.fromhex("05E6040006FF0B"), 0.5),
                (bytes.fromhex("05E6040006FF0B"), 0.0),
                (bytes.fromhex("05E7040001FF0F"), 2.0),
                (bytes.fromhex("05E8040001FF0E"), 0.0),
            ],
        ),
    ],
)
def test_pattern_bytes(name: str, verdict: str, expected: list[tuple[bytes, float]]) -> None:
    assert play(name, verdict) == expected


def test_every_table_covers_every_verdict() -> None:
    for name, table in PATTERNS.items():
        assert set(table) == set(VERDICTS), name


def test_queued_feedback_writes_through_loop_url_with_injected_sleep() -> None:
    port = serial.serial_for_url("loop://", timeout=0.5)
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    fb = QueuedFeedback(PATTERNS["zebra_ssi"], port.write, sleep=sleep)
    try:
        fb.signal("green", "s0")  # nothing to play
        fb.signal("red", "s1")
        fb.signal("amber", "s2")
    finally:
        fb.close()
    expected = b"".join(step.data for v in ("red", "amber") for step in PATTERNS["zebra_ssi"][v])
    assert port.read(len(expected)) == expected
    assert sleeps == [1.0]
    port.close()


def test_failing_port_does_not_kill_the_worker() -> None:
    written: list[bytes] = []

    def write(data: bytes) -> None:
        if not written:
            written.append(b"fail")
            raise OSError("unplugged")
        written.append(data)

    fb = QueuedFeedback(PATTERNS["datalogic"], write, sleep=lambda s: None)
    fb.signal("amber", "a")
    fb.signal("reread", "b")
    fb.close()
    assert written == [b"fail", b"F"]


def test_null_feedback_only_logs(caplog: pytest.LogCaptureFixture) -> None:
    fb = NullFeedback()
    with caplog.at_level(logging.INFO):
        fb.signal("red", "x")
    fb.close()
    assert [r.getMessage() for r in caplog.records] == [
        "feedback red for scan x: host-only (one-way transport)"
    ]

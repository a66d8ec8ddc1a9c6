"""`inspect-scanner` command line."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from devices import cli
from devices.transports import discovery


def test_list_shows_serial_ports_with_vendor(monkeypatch: pytest.MonkeyPatch) -> None:
    ports = [
        SimpleNamespace(
            device="/dev/ttyACM0",
            description="Symbol Bar Code Scanner",
            vid=0x05E0,
            pid=0x1701,
            serial_number="S123",
        ),
        SimpleNamespace(
            device="/dev/ttyS0", description="n/a", vid=None, pid=None, serial_number=None
        ),
    ]
    monkeypatch.setattr(discovery, "_comports", lambda: ports)
    monkeypatch.setattr(discovery, "evdev_keyboards", lambda: [])
    monkeypatch.setattr(discovery, "hidraw_nodes", lambda: [])
    result = CliRunner().invoke(cli.main, ["list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "05e0:1701" in lines[0] and "Zebra (Symbol)" in lines[0]
    assert lines[1].startswith("serial  /dev/ttyS0")
    cand = discovery.find_serial("/dev/ttyACM0", lambda: ports)
    assert cand.device_id == "serial:05e0:1701:S123"
    assert discovery.find_serial("/dev/pts/9", lambda: ports).device_id == "serial:/dev/pts/9"


def test_list_without_devices() -> None:
    result = CliRunner().invoke(cli.main, ["list"])
    assert result.exit_code == 0
    assert "serial" in result.output or "no candidate devices found" in result.output


def test_serial_requires_a_shipment_and_a_known_preset() -> None:
    result = CliRunner().invoke(cli.main, ["serial", "/dev/ttyX"])
    assert result.exit_code == 2
    assert "--shipment" in result.output
    result = CliRunner().invoke(
        cli.main, ["serial", "/dev/ttyX", "--shipment", "1", "--preset", "nope"]
    )
    assert result.exit_code == 2
    assert "unknown preset" in result.output


def test_help_lists_commands() -> None:
    result = CliRunner().invoke(cli.main, ["--help"])
    assert result.exit_code == 0
    listed = result.output.split("Commands:", 1)[1].split()
    for command in ("list", "serial", "hid", "hidpos"):
        assert command in listed

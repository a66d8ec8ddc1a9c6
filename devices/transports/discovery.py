"""Candidate scanner devices: serial ports, evdev keyboards, hidraw nodes.

Listers are injectable because ptys are never listed by pyserial and test machines have no
input or hidraw devices.
"""

from __future__ import annotations

import dataclasses
import glob
import os
from collections.abc import Callable, Iterable
from typing import Any

# USB vendor ids of scanner makers (linux-usb.org usb.ids). Product ids change with the
# selected host mode, so only the vendor is matched.
SCANNER_VENDORS: dict[int, str] = {
    0x05E0: "Zebra (Symbol)",
    0x0C2E: "Honeywell (Metrologic)",
    0x0536: "Honeywell (Hand Held Products)",
    0x05F9: "Datalogic (PSC)",
}


@dataclasses.dataclass(frozen=True, slots=True)
class Candidate:
    kind: str
    path: str
    description: str
    vid: int | None = None
    pid: int | None = None
    serial_number: str | None = None

    @property
    def vendor(self) -> str | None:
        return SCANNER_VENDORS.get(self.vid) if self.vid is not None else None

    @property
    def device_id(self) -> str:
        if self.vid is None or self.pid is None:
            return f"{self.kind}:{self.path}"
        return f"{self.kind}:{self.vid:04x}:{self.pid:04x}:{self.serial_number or self.path}"


def _comports() -> Iterable[Any]:
    from serial.tools import list_ports

    return list_ports.comports()


def serial_ports(comports: Callable[[], Iterable[Any]] | None = None) -> list[Candidate]:
    return [
        Candidate("serial", p.device, p.description or "", p.vid, p.pid, p.serial_number)
        for p in (comports or _comports)()
    ]


def evdev_keyboards() -> list[Candidate]:
    """Input devices reporting key events; empty when evdev is not installed."""
    try:
        import evdev
    except ImportError:
        return []
    found = []
    for path in evdev.list_devices():
        try:
            dev = evdev.InputDevice(path)
        except OSError:
            continue
        try:
            if evdev.ecodes.EV_KEY in dev.capabilities():
                found.append(
                    Candidate("evdev", path, dev.name, dev.info.vendor, dev.info.product, dev.uniq)
                )
        finally:
            dev.close()
    return found


def _uevent(node: str) -> dict[str, str]:
    path = f"/sys/class/hidraw/{os.path.basename(node)}/device/uevent"
    try:
        with open(path, encoding="utf-8") as fh:
            return dict(line.strip().split("=", 1) for line in fh if "=" in line)
    except OSError:
        return {}


def hidraw_nodes(pattern: str = "/dev/hidraw*") -> list[Candidate]:
    found = []
    for node in sorted(glob.glob(pattern)):
        info = _uevent(node)
        vid = pid = None
        if "HID_ID" in info:  # bus:vendor:product in hex
            _, vendor, product = info["HID_ID"].split(":")
            vid, pid = int(vendor, 16), int(product, 16)
        found.append(
            Candidate("hidpos", node, info.get("HID_NAME", ""), vid, pid, info.get("HID_UNIQ"))
        )
    return found


def find_serial(path: str, comports: Callable[[], Iterable[Any]] | None = None) -> Candidate:
    """The listed port matching `path` (symlinks resolved), or a bare candidate."""
    real = os.path.realpath(path)
    for cand in serial_ports(comports):
        if os.path.realpath(cand.path) == real:
            return cand
    return Candidate("serial", path, "")

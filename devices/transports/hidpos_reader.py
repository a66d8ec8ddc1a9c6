"""HID POS driver for /dev/hidraw* nodes through hidapi (optional extra `hidpos`).

On Linux the `hidraw` module of cython-hidapi keeps the kernel's usbhid driver bound; `hid`
(libusb backend) is the fallback elsewhere. Both are imported only when a device is opened.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

from devices.config import DeviceSettings
from devices.decoders.hidpos import REPORT_SIZE, HidPosAssembler
from devices.scan import Flag, Transport
from devices.scan_builder import ScanBuilder
from devices.transports.base import OnScan, ReaderDriver


class HidDeviceLike(Protocol):
    def read(self, size: int, timeout_ms: int) -> list[int]: ...

    def write(self, data: bytes) -> int: ...

    def close(self) -> None: ...


def open_hidapi(path: str) -> HidDeviceLike:
    try:
        import hidraw as backend
    except ImportError:
        import hid as backend
    device: Any = backend.device()
    device.open_path(path.encode())
    result: HidDeviceLike = device
    return result


class HidPosDriver(ReaderDriver[HidDeviceLike]):
    bidirectional = True
    kind = "hidpos"
    errors = (OSError, ValueError)

    def __init__(
        self,
        device_id: str,
        settings: DeviceSettings,
        resolve_path: Callable[[], str | None],
        *,
        builder: ScanBuilder | None = None,
        open_device: Callable[[str], HidDeviceLike] = open_hidapi,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(
            device_id,
            settings,
            resolve_path,
            builder or ScanBuilder(device_id, Transport.HIDPOS, settings.scan_format()),
        )
        self._open = open_device
        self._clock = clock

    def write(self, data: bytes) -> None:
        with self._connected() as dev:
            dev.write(data)

    def _open_handle(self, path: str) -> HidDeviceLike:
        return self._open(path)

    def _close_handle(self, dev: HidDeviceLike) -> None:
        dev.close()

    def _read(self, dev: HidDeviceLike, on_scan: OnScan) -> None:
        assembler = HidPosAssembler()
        timeout_ms = self._settings.read_timeout_ms
        try:
            while not self._stop.is_set():
                report = bytes(dev.read(REPORT_SIZE, timeout_ms))
                if report:
                    self._emit(assembler.feed(report, self._clock()), on_scan)
        finally:
            self._emit(assembler.flush(self._clock(), Flag.PARTIAL_DISCONNECT), on_scan)

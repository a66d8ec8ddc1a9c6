"""HID POS driver for /dev/hidraw* nodes through hidapi (optional extra `hidpos`).

On Linux the `hidraw` module of cython-hidapi keeps the kernel's usbhid driver bound; `hid`
(libusb backend) is the fallback elsewhere. Both are imported only when a device is opened.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from devices.config import DeviceSettings
from devices.decoders.hidpos import REPORT_SIZE, HidPosAssembler
from devices.scan import Flag, Frame, Transport
from devices.scan_builder import ScanBuilder
from devices.transports.base import (
    Backoff,
    DeviceStatus,
    OnScan,
    State,
    StatusTracker,
    reconnect_loop,
)


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


class HidPosDriver:
    bidirectional = True

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
        self.device_id = device_id
        self._settings = settings
        self._resolve = resolve_path
        self._builder = builder or ScanBuilder(device_id, Transport.HIDPOS, settings.scan_format())
        self._open = open_device
        self._clock = clock
        self._status = StatusTracker(device_id)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._device: HidDeviceLike | None = None
        self._thread: threading.Thread | None = None

    def start(self, on_scan: OnScan) -> None:
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run, args=(on_scan,), name=f"hidpos-{self.device_id}", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                raise RuntimeError(f"hidpos reader {self.device_id} did not stop")
            self._thread = None
        self._status.set_state(State.STOPPED)

    def status(self) -> DeviceStatus:
        return self._status.get()

    def write(self, data: bytes) -> None:
        with self._lock:
            if self._device is None:
                raise OSError(f"{self.device_id} is not connected")
            self._device.write(data)

    def _run(self, on_scan: OnScan) -> None:
        reconnect_loop(
            stop=self._stop,
            status=self._status,
            backoff=Backoff(
                self._settings.reconnect_initial_ms / 1000,
                self._settings.reconnect_max_ms / 1000,
            ),
            resolve=self._resolve,
            connect=self._connect,
            session=lambda dev: self._read(dev, on_scan),
            disconnect=self._disconnect,
            errors=(OSError, ValueError),
        )

    def _connect(self, path: str) -> HidDeviceLike:
        dev = self._open(path)
        with self._lock:
            self._device = dev
        return dev

    def _disconnect(self, dev: HidDeviceLike) -> None:
        with self._lock:
            self._device = None
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

    def _emit(self, frames: list[Frame], on_scan: OnScan) -> None:
        for frame in frames:
            on_scan(self._builder.build(frame))

"""Serial (RS-232 / USB CDC-ACM) driver on pyserial with a reconnect state machine.

pyserial facts relied on (SCANNERS.md §3.1): `inter_byte_timeout` has no effect on POSIX, so
idle gaps are measured here with a monotonic clock; an unplugged port stays `is_open` and reads
raise SerialException; `cancel_read()` unblocks a pending read for shutdown.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any

import serial

from devices.config import DeviceSettings
from devices.decoders.bytes_framer import BytesFramer
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

log = logging.getLogger(__name__)

PortResolver = Callable[[], str | None]


def fixed_port(path: str) -> PortResolver:
    """Resolve to `path` while it exists (URLs such as loop:// always resolve)."""
    return lambda: path if "://" in path or os.path.exists(path) else None


def open_serial(path: str, settings: DeviceSettings) -> serial.SerialBase:
    flow = settings.flow_control
    port: serial.SerialBase = serial.serial_for_url(
        path,
        baudrate=settings.baudrate,
        bytesize=settings.bytesize,
        parity=settings.parity,
        stopbits=settings.stopbits,
        xonxoff=flow == "xonxoff",
        rtscts=flow == "rtscts",
        dsrdtr=flow == "dsrdtr",
        timeout=settings.read_timeout_ms / 1000,
        write_timeout=settings.write_timeout_ms / 1000,
        exclusive=True,
    )
    return port


class SerialDriver:
    bidirectional = True

    def __init__(
        self,
        device_id: str,
        settings: DeviceSettings,
        resolve_port: PortResolver,
        *,
        builder: ScanBuilder | None = None,
        clock: Callable[[], float] = time.monotonic,
        open_port: Callable[[str, DeviceSettings], Any] = open_serial,
    ) -> None:
        self.device_id = device_id
        self._settings = settings
        self._resolve = resolve_port
        self._builder = builder or ScanBuilder(device_id, Transport.SERIAL, settings.scan_format())
        self._clock = clock
        self._open = open_port
        self._status = StatusTracker(device_id)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._port: Any = None
        self._thread: threading.Thread | None = None

    def start(self, on_scan: OnScan) -> None:
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run, args=(on_scan,), name=f"serial-{self.device_id}", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        with self._lock:
            if self._port is not None:
                self._port.cancel_read()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                raise RuntimeError(f"serial reader {self.device_id} did not stop")
            self._thread = None
        self._status.set_state(State.STOPPED)

    def status(self) -> DeviceStatus:
        return self._status.get()

    def write(self, data: bytes) -> None:
        with self._lock:
            if self._port is None:
                raise OSError(f"{self.device_id} is not connected")
            self._port.write(data)
            self._port.flush()

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
            session=lambda port: self._read(port, on_scan),
            disconnect=self._disconnect,
            errors=(serial.SerialException, OSError, ValueError),
        )

    def _connect(self, path: str) -> Any:
        port = self._open(path, self._settings)
        with self._lock:
            self._port = port
        return port

    def _disconnect(self, port: Any) -> None:
        with self._lock:
            self._port = None
        port.close()

    def _read(self, port: Any, on_scan: OnScan) -> None:
        framer = BytesFramer(self._settings.framer())
        try:
            while not self._stop.is_set():
                data = port.read(port.in_waiting or 1)
                now = self._clock()
                self._emit(framer.feed(data, now) if data else framer.poll(now), on_scan)
        finally:
            self._emit(framer.flush(self._clock(), Flag.PARTIAL_DISCONNECT), on_scan)

    def _emit(self, frames: list[Frame], on_scan: OnScan) -> None:
        for frame in frames:
            on_scan(self._builder.build(frame))

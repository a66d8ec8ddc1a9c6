"""Serial (RS-232 / USB CDC-ACM) driver on pyserial with a reconnect state machine.

pyserial facts relied on (docs/scanners.md §1.3): `inter_byte_timeout` has no effect on POSIX, so
idle gaps are measured here with a monotonic clock; an unplugged port stays `is_open` and reads
raise SerialException; `cancel_read()` unblocks a pending read for shutdown.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import serial

from devices.config import DeviceSettings
from devices.decoders.bytes_framer import BytesFramer
from devices.scan import Flag, Transport
from devices.scan_builder import ScanBuilder
from devices.transports.base import OnScan, PathResolver, ReaderDriver

log = logging.getLogger(__name__)


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


class SerialDriver(ReaderDriver[Any]):
    bidirectional = True
    kind = "serial"
    errors = (serial.SerialException, OSError, ValueError)

    def __init__(
        self,
        device_id: str,
        settings: DeviceSettings,
        resolve_port: PathResolver,
        *,
        builder: ScanBuilder | None = None,
        clock: Callable[[], float] = time.monotonic,
        open_port: Callable[[str, DeviceSettings], Any] = open_serial,
    ) -> None:
        super().__init__(
            device_id,
            settings,
            resolve_port,
            builder or ScanBuilder(device_id, Transport.SERIAL, settings.scan_format()),
        )
        self._clock = clock
        self._open = open_port

    def write(self, data: bytes) -> None:
        with self._connected() as port:
            port.write(data)
            port.flush()

    def _interrupt(self) -> None:
        with self._lock:
            if self._handle is not None:
                self._handle.cancel_read()

    def _open_handle(self, path: str) -> Any:
        return self._open(path, self._settings)

    def _close_handle(self, port: Any) -> None:
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

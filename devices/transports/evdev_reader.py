"""Keyboard-wedge driver: grabs an evdev input device and decodes its key events.

`evdev` is imported only when a real device is opened, so the decoder and this module's logic
are testable with a fake device exposing `fd`, `read()`, `grab()`, `ungrab()`, `close()`,
`leds()` and `name`.
"""

from __future__ import annotations

import logging
import os
import select
import time
from collections.abc import Callable, Iterable
from typing import Protocol

from devices.config import DeviceSettings
from devices.decoders.keyboard import KeyEventDecoder
from devices.keymap_us import LED_CAPSL
from devices.scan import Flag, Frame, Transport
from devices.scan_builder import ScanBuilder
from devices.transports.base import OnScan, ReaderDriver

log = logging.getLogger(__name__)


class InputEventLike(Protocol):
    type: int
    code: int
    value: int

    def timestamp(self) -> float: ...


class InputDeviceLike(Protocol):
    fd: int
    name: str

    def read(self) -> Iterable[InputEventLike]: ...

    def grab(self) -> None: ...

    def ungrab(self) -> None: ...

    def close(self) -> None: ...

    def leds(self) -> list[int]: ...


def open_evdev(path: str) -> InputDeviceLike:
    import evdev

    device: InputDeviceLike = evdev.InputDevice(path)
    return device


class EvdevDriver(ReaderDriver[InputDeviceLike]):
    """A self-pipe wakes `select` for shutdown."""

    bidirectional = False
    kind = "evdev"
    errors = (OSError,)

    def __init__(
        self,
        device_id: str,
        settings: DeviceSettings,
        resolve_path: Callable[[], str | None],
        *,
        builder: ScanBuilder | None = None,
        open_device: Callable[[str], InputDeviceLike] = open_evdev,
        wall: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(
            device_id,
            settings,
            resolve_path,
            builder or ScanBuilder(device_id, Transport.EVDEV, settings.scan_format("utf-8")),
        )
        self._open = open_device
        self._wall = wall
        self._wake_r, self._wake_w = -1, -1

    def start(self, on_scan: OnScan) -> None:
        self._wake_r, self._wake_w = os.pipe()
        super().start(on_scan)

    def stop(self, timeout: float = 2.0) -> None:
        super().stop(timeout)
        if self._wake_w >= 0:
            os.close(self._wake_r)
            os.close(self._wake_w)
            self._wake_r, self._wake_w = -1, -1

    def write(self, data: bytes) -> None:
        raise OSError("keyboard wedge is one-way")

    def _interrupt(self) -> None:
        os.write(self._wake_w, b"x")

    def _open_handle(self, path: str) -> InputDeviceLike:
        dev = self._open(path)
        try:
            if self._settings.grab:
                dev.grab()
            if LED_CAPSL in dev.leds():
                log.warning("%s: host Caps Lock is on; scanners may invert case", self.device_id)
        except OSError:
            dev.close()
            raise
        return dev

    def _close_handle(self, dev: InputDeviceLike) -> None:
        try:
            if self._settings.grab:
                dev.ungrab()
        except OSError:
            pass  # already gone (unplugged)
        dev.close()

    def _read(self, dev: InputDeviceLike, on_scan: OnScan) -> None:
        decoder = KeyEventDecoder(self._settings.keyboard())
        gap = self._settings.inter_key_gap_ms / 1000 or None
        try:
            while not self._stop.is_set():
                ready, _, _ = select.select([dev.fd, self._wake_r], [], [], gap)
                frames: list[Frame] = []
                if dev.fd in ready:
                    try:
                        for ev in dev.read():
                            frames += decoder.feed(ev.type, ev.code, ev.value, ev.timestamp())
                    except BlockingIOError:
                        pass
                    except OSError:
                        # Unplugged: the scans completed before it are whole; keep them.
                        self._emit(frames, on_scan)
                        raise
                frames += decoder.flush_idle(self._wall())
                self._emit(frames, on_scan)
        finally:
            self._emit(decoder.flush(self._wall(), Flag.PARTIAL_DISCONNECT), on_scan)

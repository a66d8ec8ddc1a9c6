"""Keyboard-wedge driver: grabs an evdev input device and decodes its key events.

`evdev` is imported only when a real device is opened, so the decoder and this module's logic
are testable with a fake device exposing `fd`, `read()`, `grab()`, `ungrab()`, `close()`,
`leds()` and `name`.
"""

from __future__ import annotations

import logging
import os
import select
import threading
import time
from collections.abc import Callable, Iterable
from typing import Protocol

from devices.config import DeviceSettings
from devices.decoders.keyboard import KeyEventDecoder
from devices.keymap_us import LED_CAPSL
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


def fixed_path(path: str) -> Callable[[], str | None]:
    return lambda: path if os.path.exists(path) else None


class EvdevDriver:
    """One reader thread per device; a self-pipe wakes `select` for shutdown."""

    bidirectional = False

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
        self.device_id = device_id
        self._settings = settings
        self._resolve = resolve_path
        self._builder = builder or ScanBuilder(
            device_id, Transport.EVDEV, settings.scan_format("utf-8")
        )
        self._open = open_device
        self._wall = wall
        self._status = StatusTracker(device_id)
        self._stop = threading.Event()
        self._wake_r, self._wake_w = -1, -1
        self._thread: threading.Thread | None = None

    def start(self, on_scan: OnScan) -> None:
        self._stop.clear()
        self._wake_r, self._wake_w = os.pipe()
        self._thread = threading.Thread(
            target=self._run, args=(on_scan,), name=f"evdev-{self.device_id}", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread is None:
            return
        os.write(self._wake_w, b"x")
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise RuntimeError(f"evdev reader {self.device_id} did not stop")
        self._thread = None
        os.close(self._wake_r)
        os.close(self._wake_w)
        self._status.set_state(State.STOPPED)

    def status(self) -> DeviceStatus:
        return self._status.get()

    def write(self, data: bytes) -> None:
        raise OSError("keyboard wedge is one-way")

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
            errors=(OSError,),
        )

    def _connect(self, path: str) -> InputDeviceLike:
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

    def _disconnect(self, dev: InputDeviceLike) -> None:
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
                frames += decoder.flush_idle(self._wall())
                self._emit(frames, on_scan)
        finally:
            self._emit(decoder.flush(self._wall(), Flag.PARTIAL_DISCONNECT), on_scan)

    def _emit(self, frames: list[Frame], on_scan: OnScan) -> None:
        for frame in frames:
            on_scan(self._builder.build(frame))

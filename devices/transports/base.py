"""Driver interface shared by all transports, and the per-device status record."""

from __future__ import annotations

import abc
import contextlib
import dataclasses
import enum
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from typing import Generic, Protocol, TypeVar

from devices.config import DeviceSettings
from devices.scan import Frame, Scan
from devices.scan_builder import ScanBuilder

PathResolver = Callable[[], str | None]
"""Where the device is now, or None while it is unplugged."""


def fixed_path(path: str) -> PathResolver:
    """Resolve to `path` while it exists (URLs such as loop:// always resolve)."""
    return lambda: path if "://" in path or os.path.exists(path) else None


log = logging.getLogger(__name__)

OnScan = Callable[[Scan], None]
H = TypeVar("H")


class State(enum.StrEnum):
    SEARCHING = "searching"
    READING = "reading"
    BACKOFF = "backoff"
    STOPPED = "stopped"


@dataclasses.dataclass(frozen=True, slots=True)
class DeviceStatus:
    state: State
    path: str | None = None
    last_error: str | None = None
    outages: int = 0
    outage_since: float | None = None
    connects: int = 0


class ScannerDriver(Protocol):
    device_id: str
    bidirectional: bool

    def start(self, on_scan: OnScan) -> None:
        """Spawn the reader thread; `on_scan` runs on it and must be quick (no network)."""

    def stop(self, timeout: float = 2.0) -> None: ...

    def status(self) -> DeviceStatus: ...

    def write(self, data: bytes) -> None:
        """Send bytes to the scanner (feedback); raises OSError when not connected."""


class StatusTracker:
    """Thread-safe status with outage accounting: an outage starts at the first failure after a
    successful read period and ends at the next successful open."""

    def __init__(self, device_id: str, clock: Callable[[], float] = time.time) -> None:
        self._device_id = device_id
        self._clock = clock
        self._lock = threading.Lock()
        self._status = DeviceStatus(State.SEARCHING)

    def get(self) -> DeviceStatus:
        with self._lock:
            return self._status

    def connected(self, path: str) -> None:
        with self._lock:
            st = self._status
            if st.outage_since is not None:
                log.warning(
                    "%s: reconnected on %s after %.1f s outage",
                    self._device_id,
                    path,
                    self._clock() - st.outage_since,
                )
            else:
                log.info("%s: reading %s", self._device_id, path)
            self._status = dataclasses.replace(
                st, state=State.READING, path=path, outage_since=None, connects=st.connects + 1
            )

    def failed(self, error: str) -> None:
        with self._lock:
            st = self._status
            new_outage = st.outage_since is None and st.connects > 0
            if new_outage or st.last_error != error:
                log.warning("%s: %s", self._device_id, error)
            self._status = dataclasses.replace(
                st,
                state=State.BACKOFF,
                last_error=error,
                outages=st.outages + (1 if new_outage else 0),
                outage_since=self._clock() if new_outage else st.outage_since,
            )

    def set_state(self, state: State) -> None:
        with self._lock:
            self._status = dataclasses.replace(self._status, state=state)


class Backoff:
    """Reconnect delays: initial, doubled per failure, capped; reset after a good connection."""

    def __init__(self, initial: float, maximum: float) -> None:
        self._initial = initial
        self._max = maximum
        self._next = initial

    def next(self) -> float:
        delay = self._next
        self._next = min(self._next * 2, self._max)
        return delay

    def reset(self) -> None:
        self._next = self._initial


class ReaderDriver(abc.ABC, Generic[H]):
    """One reader thread per device running the reconnect state machine around a device handle.

    Subclasses set `kind` and `errors` and implement `_open_handle`, `_close_handle` and
    `_read`; `_interrupt` unblocks a pending read on `stop()` when the read has no timeout.
    The open handle is published under `_lock` so `write()` and `stop()` on other threads see
    it.
    """

    bidirectional: bool
    kind: str
    # Exceptions that mean "device gone or unusable": logged, then the device is reopened.
    errors: tuple[type[BaseException], ...]

    def __init__(
        self,
        device_id: str,
        settings: DeviceSettings,
        resolve_path: Callable[[], str | None],
        builder: ScanBuilder,
    ) -> None:
        self.device_id = device_id
        self._settings = settings
        self._resolve = resolve_path
        self._builder = builder
        self._status = StatusTracker(device_id)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._handle: H | None = None
        self._thread: threading.Thread | None = None

    def start(self, on_scan: OnScan) -> None:
        """Spawn the reader thread; `on_scan` runs on it and must be quick (no network)."""
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run, args=(on_scan,), name=f"{self.kind}-{self.device_id}", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._interrupt()
            self._thread.join(timeout)
            if self._thread.is_alive():
                raise RuntimeError(f"{self.kind} reader {self.device_id} did not stop")
            self._thread = None
        self._status.set_state(State.STOPPED)

    def status(self) -> DeviceStatus:
        return self._status.get()

    @contextlib.contextmanager
    def _connected(self) -> Iterator[H]:
        """The open handle, held under `_lock`; raises OSError when not connected."""
        with self._lock:
            if self._handle is None:
                raise OSError(f"{self.device_id} is not connected")
            yield self._handle

    @abc.abstractmethod
    def _open_handle(self, path: str) -> H: ...

    @abc.abstractmethod
    def _close_handle(self, handle: H) -> None: ...

    @abc.abstractmethod
    def _read(self, handle: H, on_scan: OnScan) -> None:
        """Read until `_stop` is set or one of `errors` is raised (unplug)."""

    def _interrupt(self) -> None:
        """Wake the reader thread after `_stop` is set; a no-op for reads with a timeout."""

    def _emit(self, frames: list[Frame], on_scan: OnScan) -> None:
        for frame in frames:
            on_scan(self._builder.build(frame))

    def _run(self, on_scan: OnScan) -> None:
        """SEARCHING -> (open) READING -> (error) BACKOFF -> SEARCHING until `_stop` is set.

        The device path is re-resolved on every attempt because device names can change
        across re-plugs.
        """
        backoff = Backoff(
            self._settings.reconnect_initial_ms / 1000, self._settings.reconnect_max_ms / 1000
        )
        while not self._stop.is_set():
            self._status.set_state(State.SEARCHING)
            path = self._resolve()
            if path is None:
                self._status.failed("device not present")
                self._stop.wait(backoff.next())
                continue
            try:
                handle = self._open_handle(path)
            except self.errors as exc:
                self._status.failed(f"open {path} failed: {exc}")
                self._stop.wait(backoff.next())
                continue
            with self._lock:
                self._handle = handle
            backoff.reset()
            self._status.connected(path)
            try:
                self._read(handle, on_scan)
            except self.errors as exc:
                self._status.failed(f"read {path} failed: {exc}")
            finally:
                with self._lock:
                    self._handle = None
                self._close_handle(handle)
            if not self._stop.is_set():
                self._stop.wait(backoff.next())

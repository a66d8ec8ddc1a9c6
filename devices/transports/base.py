"""Driver interface shared by all transports, and the per-device status record."""

from __future__ import annotations

import dataclasses
import enum
import logging
import threading
import time
from collections.abc import Callable
from typing import Protocol, TypeVar

from devices.scan import Scan

log = logging.getLogger(__name__)

OnScan = Callable[[Scan], None]
T = TypeVar("T")


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


def reconnect_loop(
    *,
    stop: threading.Event,
    status: StatusTracker,
    backoff: Backoff,
    resolve: Callable[[], str | None],
    connect: Callable[[str], T],
    session: Callable[[T], None],
    disconnect: Callable[[T], None],
    errors: tuple[type[BaseException], ...],
) -> None:
    """SEARCHING -> (open) READING -> (error) BACKOFF -> SEARCHING until `stop` is set.

    `session` reads until it returns (stop) or raises one of `errors` (unplug); `disconnect`
    always runs afterwards. The device path is re-resolved on every attempt because device
    names can change across re-plugs.
    """
    while not stop.is_set():
        status.set_state(State.SEARCHING)
        path = resolve()
        if path is None:
            status.failed("device not present")
            stop.wait(backoff.next())
            continue
        try:
            handle = connect(path)
        except errors as exc:
            status.failed(f"open {path} failed: {exc}")
            stop.wait(backoff.next())
            continue
        backoff.reset()
        status.connected(path)
        try:
            session(handle)
        except errors as exc:
            status.failed(f"read {path} failed: {exc}")
        finally:
            disconnect(handle)
        if not stop.is_set():
            stop.wait(backoff.next())

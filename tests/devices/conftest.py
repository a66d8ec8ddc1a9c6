from __future__ import annotations

import os
import threading
import time
import tty
from collections.abc import Iterator

import pytest

from devices import config
from tests.devices.scanner_kit import FakeService

SETTINGS_FAST = {
    "reconnect_initial_ms": 20,
    "reconnect_max_ms": 100,
    "read_timeout_ms": 20,
}


@pytest.fixture(autouse=True)
def no_leaked_threads() -> Iterator[None]:
    """Every reader, forwarder, feedback and server thread a test starts must be stopped."""
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 2.0
    while (leaked := set(threading.enumerate()) - before) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not leaked, f"threads left running: {sorted(t.name for t in leaked)}"


@pytest.fixture
def service() -> Iterator[FakeService]:
    svc = FakeService().start()
    yield svc
    svc.stop()


class Pty:
    """A pseudo-terminal pair; the test plays the scanner on the master side."""

    def __init__(self) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.master)
        self.path = os.ttyname(self.slave)

    def write(self, data: bytes) -> None:
        os.write(self.master, data)

    def close(self) -> None:
        for fd in (self.master, self.slave):
            if fd >= 0:
                os.close(fd)
        self.master = self.slave = -1


@pytest.fixture
def make_pty() -> Iterator[type[Pty]]:
    created: list[Pty] = []

    class Tracked(Pty):
        def __init__(self) -> None:
            super().__init__()
            created.append(self)

    yield Tracked
    for p in created:
        p.close()


@pytest.fixture
def fast_settings() -> config.DeviceSettings:
    return config.resolve(config.load_file(), None, **SETTINGS_FAST)

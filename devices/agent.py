"""Wires one driver to the outbox, the forwarder and the device's feedback port.

Threads: the driver's reader (stores scans), one forwarder (network), one feedback worker.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable

from devices.config import DeviceSettings
from devices.feedback import PATTERNS
from devices.feedback.base import FeedbackPort, NullFeedback, QueuedFeedback
from devices.forwarder import Forwarder
from devices.outbox import Outbox, OutboxRow
from devices.scan import Scan
from devices.transports.base import ScannerDriver

log = logging.getLogger(__name__)


def make_feedback(driver: ScannerDriver, settings: DeviceSettings) -> FeedbackPort:
    if settings.feedback == "none" or not driver.bidirectional:
        return NullFeedback()
    return QueuedFeedback(PATTERNS[settings.feedback], driver.write)


class Agent:
    def __init__(
        self,
        driver: ScannerDriver,
        outbox: Outbox,
        shipment_id: str,
        settings: DeviceSettings,
        *,
        forwarder: Forwarder | None = None,
        feedback: FeedbackPort | None = None,
        clock: Callable[[], float] = time.time,
        on_stored: Callable[[Scan], None] = lambda scan: None,
        token_hint: str = "the --token-file",
    ) -> None:
        self.driver = driver
        self.outbox = outbox
        self._shipment = shipment_id
        self._settings = settings
        self.forwarder = forwarder
        self.feedback = feedback or make_feedback(driver, settings)
        self._clock = clock
        self._on_stored = on_stored
        self._token_hint = token_hint

    def on_scan(self, scan: Scan) -> None:
        """Runs on the reader thread: persist first, then everything else."""
        try:
            stored = self.outbox.append(scan, self._shipment)
        except sqlite3.Error:
            log.exception("could not store scan %s; asking for a re-read", scan.scan_id)
            self.feedback.signal("reread", scan.scan_id)
            return
        log.info(
            "scan %s seq %d %r flags=%s",
            stored.scan_id,
            stored.seq,
            stored.wire_text,
            sorted(stored.flags),
        )
        self._on_stored(stored)
        if not stored.valid:  # forwarded all the same, flagged, for the inspector to see
            self.feedback.signal("reread", stored.scan_id)
        if self.forwarder is not None:
            if self.forwarder.paused is not None:  # stored, but it cannot go out yet
                self.feedback.signal("alert", stored.scan_id)
            self.forwarder.notify()

    def on_refused(self, row: OutboxRow, detail: str) -> None:
        """Runs on the forwarder thread when the service refuses the token: tell the operator."""
        log.error(
            "scans are kept but cannot be sent until a valid token is given: %s. Put a valid "
            "token in %s and wait a few seconds or send SIGHUP (kill -HUP %d), or restart the "
            "agent with a new INSPECT_TOKEN; `inspect-scanner outbox list` shows what waits.",
            detail,
            self._token_hint,
            os.getpid(),
        )
        self.feedback.signal("alert", row.scan_id)

    def on_verdict(self, row: OutboxRow, verdict: str) -> None:
        """Runs on the forwarder thread. A verdict for a scan read long ago (e.g. sent after an
        outage or a restart) is not signalled: the inspector has moved on to other items."""
        if row.device_id != self.driver.device_id or row.device_flags:
            return  # a flagged read was already answered with "reread" when it was stored
        age = self._clock() - row.created_at
        if age * 1000 > self._settings.feedback_max_age_ms:
            log.info("late verdict %s for %s (%.0f s): not signalled", verdict, row.scan_id, age)
            return
        self.feedback.signal(verdict, row.scan_id)

    def run(self, stop: threading.Event) -> None:
        if self.forwarder is not None:
            self.forwarder.start()
        self.driver.start(self.on_scan)
        try:
            stop.wait()
        finally:
            self.driver.stop()
            if self.forwarder is not None:
                self.forwarder.stop()
            self.feedback.close()

"""Verdict -> scanner signal. Vendor modules define byte patterns; `QueuedFeedback` plays them
on a per-device worker thread so that slow or failing writes never block the reader."""

from __future__ import annotations

import dataclasses
import logging
import queue
import threading
import time
from collections.abc import Callable, Mapping
from typing import Protocol

log = logging.getLogger(__name__)

# Verdicts from the service, plus the local "reread" for scans that could not be read cleanly
# and "alert": the agent cannot deliver (token refused) and someone must act; scans are kept.
VERDICTS = ("green", "amber", "red", "reread", "alert")


@dataclasses.dataclass(frozen=True, slots=True)
class Step:
    data: bytes
    pause_after: float = 0.0


Pattern = tuple[Step, ...]
PatternTable = Mapping[str, Pattern]


class FeedbackPort(Protocol):
    def signal(self, verdict: str, scan_id: str) -> None: ...

    def close(self) -> None: ...


class NullFeedback:
    """One-way transports (keyboard wedge): the host screen/audio is the only signal."""

    def signal(self, verdict: str, scan_id: str) -> None:
        log.info("feedback %s for scan %s: host-only (one-way transport)", verdict, scan_id)

    def close(self) -> None:
        return None


class QueuedFeedback:
    """Plays patterns through `write`; at most `max_pending` signals wait, extras are dropped."""

    def __init__(
        self,
        patterns: PatternTable,
        write: Callable[[bytes], None],
        sleep: Callable[[float], None] = time.sleep,
        max_pending: int = 4,
    ) -> None:
        self._patterns = patterns
        self._write = write
        self._sleep = sleep
        self._queue: queue.Queue[tuple[str, str] | None] = queue.Queue(max_pending)
        self._thread = threading.Thread(target=self._run, name="feedback", daemon=True)
        self._thread.start()

    def signal(self, verdict: str, scan_id: str) -> None:
        if not self._patterns.get(verdict):
            return
        try:
            self._queue.put_nowait((verdict, scan_id))
        except queue.Full:
            log.warning("feedback queue full; dropped %s for scan %s", verdict, scan_id)

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            verdict, scan_id = item
            try:
                for step in self._patterns[verdict]:
                    self._write(step.data)
                    if step.pause_after:
                        self._sleep(step.pause_after)
                log.info("feedback %s for scan %s sent", verdict, scan_id)
            except Exception as exc:  # a dead port must not kill the worker
                log.warning("feedback %s for scan %s failed: %s", verdict, scan_id, exc)

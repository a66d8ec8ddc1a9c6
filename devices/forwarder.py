"""Single forwarder thread: POSTs outbox rows in order, one request in flight.

2xx -> sent (verdict stored and handed to `on_verdict`); 408/425/429/5xx and connection errors
-> retried with exponential backoff and full jitter, or after `Retry-After` when given; any
other 4xx -> dead (the problem detail is logged). A row that is retried blocks later rows so
the service sees every device's scans in order.
"""

from __future__ import annotations

import dataclasses
import email.utils
import enum
import logging
import random
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

import requests

from devices.outbox import Outbox, OutboxRow

log = logging.getLogger(__name__)

RETRYABLE_4XX = frozenset({408, 425, 429})


class Outcome(enum.Enum):
    SENT = "sent"
    RETRY = "retry"
    DEAD = "dead"


@dataclasses.dataclass(frozen=True, slots=True)
class SendResult:
    outcome: Outcome
    status: int | None = None
    verdict: str | None = None
    retry_after: float | None = None
    detail: str = ""
    response: dict[str, Any] | None = None


class Sender(Protocol):
    def send(self, row: OutboxRow) -> SendResult: ...


def classify(status: int) -> Outcome:
    if 200 <= status < 300:
        return Outcome.SENT
    if status in RETRYABLE_4XX or status >= 500:
        return Outcome.RETRY
    return Outcome.DEAD


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


def _problem(resp: requests.Response) -> str:
    try:
        doc = resp.json()
    except ValueError:
        return resp.text[:500]
    if not isinstance(doc, dict):
        return str(doc)[:500]
    parts = [str(doc.get(k)) for k in ("title", "detail") if doc.get(k)]
    if doc.get("errors"):
        parts.append(f"errors={doc['errors']}")
    return "; ".join(parts) or resp.text[:500]


class HttpSender:
    """`POST {server}/api/v1/shipments/{shipment}/scans` with the scan id as Idempotency-Key."""

    def __init__(
        self,
        server: str,
        token: str | None,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = (3.05, 10.0),
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._base = server.rstrip("/")
        self._token = token
        self._session = session or requests.Session()
        self._timeout = timeout
        self._clock = clock

    def close(self) -> None:
        self._session.close()

    def send(self, row: OutboxRow) -> SendResult:
        headers = {"Idempotency-Key": row.scan_id, "Content-Type": "application/json"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        url = f"{self._base}/api/v1/shipments/{row.shipment_id}/scans"
        try:
            resp = self._session.post(url, json=row.body, headers=headers, timeout=self._timeout)
        except requests.RequestException as exc:
            return SendResult(Outcome.RETRY, detail=f"{type(exc).__name__}: {exc}")
        with resp:
            outcome = classify(resp.status_code)
            if outcome is not Outcome.SENT:
                return SendResult(
                    outcome,
                    resp.status_code,
                    retry_after=parse_retry_after(resp.headers.get("Retry-After"), self._clock()),
                    detail=f"HTTP {resp.status_code}: {_problem(resp)}",
                )
            try:
                doc = resp.json()
                verdict = doc["scans"][0]["verdict"]
            except (ValueError, KeyError, IndexError, TypeError):
                return SendResult(outcome, resp.status_code, detail="unreadable response body")
            return SendResult(outcome, resp.status_code, verdict=verdict, response=doc)


class Forwarder:
    def __init__(
        self,
        outbox: Outbox,
        sender: Sender,
        *,
        on_verdict: Callable[[OutboxRow, str], None] = lambda row, verdict: None,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        backoff_base: float = 0.5,
        backoff_cap: float = 60.0,
        retry_after_cap: float = 600.0,
    ) -> None:
        self._outbox = outbox
        self._sender = sender
        self._on_verdict = on_verdict
        self._clock = clock
        self._rng = rng or random.Random()
        self._base = backoff_base
        self._cap = backoff_cap
        self._retry_after_cap = retry_after_cap
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def notify(self) -> None:
        """Wake the thread: a new row was stored."""
        self._wake.set()

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="forwarder", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 15.0) -> None:
        """Stop after the request in flight (bounded by the HTTP timeouts) completes."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                raise RuntimeError("forwarder did not stop")
            self._thread = None

    def backoff(self, attempts: int) -> float:
        """Full jitter: uniform(0, min(cap, base * 2**(attempts-1)))."""
        return self._rng.uniform(0, min(self._cap, self._base * 2 ** (attempts - 1)))

    def step(self) -> float | None:
        """Deliver the head row if it is due. Returns seconds until the next step is useful
        (0 = immediately, None = nothing pending)."""
        row = self._outbox.head()
        if row is None:
            return None
        now = self._clock()
        if row.next_attempt_at > now:
            return row.next_attempt_at - now
        result = self._sender.send(row)
        if result.outcome is Outcome.SENT:
            self._outbox.mark_sent(row.scan_id, result.status or 0, result.verdict, result.response)
            if result.verdict is not None:
                self._on_verdict(row, result.verdict)
            return 0.0
        if result.outcome is Outcome.DEAD:
            log.error("scan %s (seq %d) rejected: %s", row.scan_id, row.seq, result.detail)
            self._outbox.mark_dead(row.scan_id, result.status, result.detail)
            return 0.0
        delay = self.backoff(row.attempts + 1)
        if result.retry_after is not None:
            delay = min(result.retry_after, self._retry_after_cap)
        log.warning(
            "scan %s (seq %d) attempt %d failed (%s); retry in %.2f s",
            row.scan_id,
            row.seq,
            row.attempts + 1,
            result.detail,
            delay,
        )
        self._outbox.mark_retry(row.scan_id, now + delay, result.detail)
        return delay

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                delay = self.step()
            except Exception:
                log.exception("forwarder step failed")
                delay = self._cap
            if delay is None or delay > 0:
                self._wake.wait(delay)

"""Single forwarder thread: POSTs outbox rows in order, one request in flight.

2xx -> sent (verdict stored and handed to `on_verdict`); 408/425/429/5xx, a 409 `conflict`
(a race the service asks to retry) and connection errors -> retried with exponential backoff
and full jitter, or after `Retry-After` when given; 401/403 -> refused: the token is not (or no
longer) valid, so sending pauses with every row kept pending and in order, `on_refused` tells
the operator once, and delivery resumes when the token changes (`token_changed`, polled),
when `resume()` is called (SIGHUP), or on a slow periodic retry. Any other 4xx -> dead (the
problem detail is logged and stored; `inspect-scanner outbox` lets a person requeue or discard
it). A row that is retried blocks later rows so the service sees every device's scans in order.
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
from devices.token import TokenSource

log = logging.getLogger(__name__)

RETRYABLE_4XX = frozenset({408, 425, 429})
TOKEN_REFUSED = frozenset({401, 403})
RETRYABLE_PROBLEMS = frozenset({"conflict"})


class Outcome(enum.Enum):
    SENT = "sent"
    RETRY = "retry"
    REFUSED = "refused"
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


def classify(status: int, problem_type: str | None = None) -> Outcome:
    """What to do after an answer; `problem_type` is the last segment of the problem's `type`."""
    if 200 <= status < 300:
        return Outcome.SENT
    if status in RETRYABLE_4XX or status >= 500 or problem_type in RETRYABLE_PROBLEMS:
        return Outcome.RETRY
    if status in TOKEN_REFUSED:
        return Outcome.REFUSED
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


def _problem(resp: requests.Response) -> tuple[str, str | None]:
    """A one-line summary of an error answer, and its problem type's last path segment."""
    try:
        doc = resp.json()
    except ValueError:
        return resp.text[:500], None
    if not isinstance(doc, dict):
        return str(doc)[:500], None
    parts = [str(doc.get(k)) for k in ("title", "detail") if doc.get(k)]
    if doc.get("errors"):
        parts.append(f"errors={doc['errors']}")
    kind = doc.get("type")
    problem_type = kind.rsplit("/", 1)[-1] if isinstance(kind, str) else None
    return "; ".join(parts) or resp.text[:500], problem_type


class HttpSender:
    """`POST {server}/api/v1/shipments/{shipment}/scans` with the scan id as Idempotency-Key."""

    def __init__(
        self,
        server: str,
        token: str | TokenSource | None,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = (3.05, 10.0),
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._base = server.rstrip("/")
        self._token = token if isinstance(token, TokenSource) else TokenSource(token)
        self._session = session or requests.Session()
        self._timeout = timeout
        self._clock = clock

    def close(self) -> None:
        self._session.close()

    def send(self, row: OutboxRow) -> SendResult:
        headers = {"Idempotency-Key": row.scan_id, "Content-Type": "application/json"}
        if token := self._token.current():
            headers["Authorization"] = f"Bearer {token}"
        url = f"{self._base}/api/v1/shipments/{row.shipment_id}/scans"
        try:
            resp = self._session.post(url, json=row.body, headers=headers, timeout=self._timeout)
        except requests.RequestException as exc:
            return SendResult(Outcome.RETRY, detail=f"{type(exc).__name__}: {exc}")
        with resp:
            if not 200 <= resp.status_code < 300:
                summary, problem_type = _problem(resp)
                return SendResult(
                    classify(resp.status_code, problem_type),
                    resp.status_code,
                    retry_after=parse_retry_after(resp.headers.get("Retry-After"), self._clock()),
                    detail=f"HTTP {resp.status_code}: {summary}",
                )
            outcome = Outcome.SENT
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
        on_refused: Callable[[OutboxRow, str], None] = lambda row, detail: None,
        token_changed: Callable[[], bool] = lambda: False,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        backoff_base: float = 0.5,
        backoff_cap: float = 60.0,
        retry_after_cap: float = 600.0,
        refused_retry: float = 300.0,
        refused_poll: float = 2.0,
        idle_poll: float = 5.0,
    ) -> None:
        self._outbox = outbox
        self._sender = sender
        self._on_verdict = on_verdict
        self._on_refused = on_refused
        self._token_changed = token_changed
        self._clock = clock
        self._rng = rng or random.Random()
        self._base = backoff_base
        self._cap = backoff_cap
        self._retry_after_cap = retry_after_cap
        self._refused_retry = refused_retry
        self._refused_poll = refused_poll
        self._idle_poll = idle_poll
        self._paused: str | None = None
        self._paused_until = 0.0
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def paused(self) -> str | None:
        """Why sending is paused (the service refused the token), or None while it runs."""
        return self._paused

    def resume(self) -> None:
        """Try the head row again now (after the operator replaced the token)."""
        if self._paused is not None:
            log.warning("resuming delivery on request")
        self._paused = None
        self._wake.set()

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
        if self._paused is not None:
            if self._token_changed():
                log.warning("the token changed: resuming delivery")
                self._paused = None
            elif now < self._paused_until:
                return min(self._refused_poll, self._paused_until - now)
        if row.next_attempt_at > now:
            return row.next_attempt_at - now
        result = self._sender.send(row)
        if result.outcome is Outcome.REFUSED:
            return self._refused(row, result, now)
        self._paused = None
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

    def _refused(self, row: OutboxRow, result: SendResult, now: float) -> float:
        """Pause: keep the row (and all after it) pending until a token is accepted."""
        self._outbox.mark_refused(row.scan_id, result.status, result.detail)
        first = self._paused is None
        self._paused = result.detail
        self._paused_until = now + self._refused_retry
        if first:
            pending = self._outbox.counts().get("pending", 0)
            log.error(
                "the service refused the token (%s): sending paused, %d scan(s) kept in order",
                result.detail,
                pending,
            )
            self._on_refused(row, result.detail)
        return min(self._refused_poll, self._refused_retry)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                delay = self.step()
            except Exception:
                log.exception("forwarder step failed")
                delay = self._cap
            if delay is None:  # nothing pending; `outbox requeue` may add rows from outside
                delay = self._idle_poll
            if delay > 0:
                self._wake.wait(delay)

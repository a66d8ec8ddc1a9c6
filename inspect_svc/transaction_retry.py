"""Re-run a request whose transaction the database rolled back as a serialization victim.

A request's whole transaction (views, then the commit after them) runs again
from the start when the database reported a serialization failure or a
deadlock (see `db_faults`): the failed attempt left nothing behind, so running
it again is what a client retrying would do, minus the round trip and the
503. The request body is buffered (it is bounded by the body limit) so every
attempt reads the same bytes. After the last attempt the 503 goes out as is.

The app marks an attempt for replay by setting `REPLAY_KEY` in the WSGI
environ (see `request_replay`); this wrapper, installed as `app.wsgi_app`,
holds back that attempt's response and runs the next one.
"""

from __future__ import annotations

import io
import logging
import random
import time
from collections.abc import Callable, Iterable
from typing import Any

from flask import has_request_context, request

log = logging.getLogger(__name__)

REPLAY_KEY = "inspect.replay_transaction"
ATTEMPTS_KEY = "inspect.transaction_attempt"

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def request_replay(reason: str) -> bool:
    """Ask for the current request to be run again; False when this was its last attempt."""
    if not has_request_context():
        return False
    environ = request.environ
    if ATTEMPTS_KEY not in environ or environ[ATTEMPTS_KEY][0] >= environ[ATTEMPTS_KEY][1]:
        return False
    environ[REPLAY_KEY] = reason
    return True


class TransactionRetry:
    """WSGI middleware: up to `attempts` runs of a request marked for replay."""

    def __init__(
        self,
        app: WSGIApp,
        attempts: int,
        max_body: int,
        pause: Callable[[int], float] | None = None,
    ) -> None:
        self.app = app
        self.attempts = attempts
        self.max_body = max_body
        self._pause = pause or (lambda attempt: random.uniform(0, 0.01 * 2**attempt))

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        body = _buffered_body(environ, self.max_body)
        if body is None or self.attempts <= 1:
            return self.app(environ, start_response)
        attempt = 1
        while True:
            result, started, reason = self._attempt(environ, body, attempt)
            if reason is None or started is None:
                if started is not None:
                    start_response(*started)
                return result
            _close(result)
            log.warning(
                "transaction attempt %d of %d failed (%s); running the request again",
                attempt,
                self.attempts,
                reason,
            )
            time.sleep(self._pause(attempt))
            attempt += 1

    def _attempt(
        self, environ: dict[str, Any], body: bytes, attempt: int
    ) -> tuple[Iterable[bytes], tuple[Any, ...] | None, str | None]:
        """One run of the app with the response held back: (body, start args, replay reason)."""
        trial = dict(environ)
        trial["wsgi.input"] = io.BytesIO(body)
        trial[ATTEMPTS_KEY] = (attempt, self.attempts)
        started: list[tuple[Any, ...]] = []

        def hold(status: str, headers: list[Any], exc_info: Any = None) -> Any:
            started[:] = [(status, headers, exc_info)]
            return lambda data: None  # Flask never writes through start_response's callable

        result = self.app(trial, hold)
        return result, started[0] if started else None, trial.get(REPLAY_KEY)


def _buffered_body(environ: dict[str, Any], limit: int) -> bytes | None:
    """The request body read into memory, or None when it cannot be replayed."""
    if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
        return None
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if length > limit:
        return None
    body: bytes = environ["wsgi.input"].read(length) if length > 0 else b""
    return body


def _close(result: Iterable[bytes]) -> None:
    close = getattr(result, "close", None)
    if close is not None:
        close()

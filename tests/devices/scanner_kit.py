"""Test helpers for scanner drivers: a keyboard "typist", a fake evdev device, a fake
inspection service (HTTP, with fault injection) and small polling utilities."""

from __future__ import annotations

import json
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from devices.keymap_us import (
    EV_KEY,
    EV_MSC,
    EV_SYN,
    KEY_ENTER,
    KEY_KPENTER,
    KEY_LEFTALT,
    KEY_LEFTCTRL,
    KEY_LEFTSHIFT,
    MSC_SCAN,
    SYN_REPORT,
    US,
)

GS = "\x1d"
KEY_M = 50
KEY_RIGHTBRACE = 27
KP = {"0": 82, "1": 79, "2": 80, "9": 73}

# char -> (code, shift) for the US layout; keypad codes are skipped so digits use the top row.
_REVERSE: dict[str, tuple[int, bool]] = {}
for _code, (_normal, _shifted) in sorted(US.items(), key=lambda kv: kv[0]):
    if _code in (55, 74, 78, 83, 98, 71, 72, 73, 75, 76, 77, 79, 80, 81, 82):
        continue
    _REVERSE.setdefault(_normal, (_code, False))
    _REVERSE.setdefault(_shifted, (_code, True))

Event = tuple[float, int, int, int]  # (timestamp, type, code, value)


class Typist:
    """Generates the events a US-layout wedge scanner sends for a text."""

    def __init__(self, t0: float = 1_700_000_000.0, dt: float = 0.002, msc: bool = False) -> None:
        self.t = t0
        self.dt = dt
        self.msc = msc
        self.events: list[Event] = []

    def _key(self, code: int, value: int) -> None:
        if self.msc:
            self.events.append((self.t, EV_MSC, MSC_SCAN, 0x70000 + code))
        self.events.append((self.t, EV_KEY, code, value))
        self.events.append((self.t, EV_SYN, SYN_REPORT, 0))
        self.t += self.dt

    def tap(self, code: int, *, repeat: int = 0) -> None:
        self._key(code, 1)
        for _ in range(repeat):
            self._key(code, 2)
        self._key(code, 0)

    def hold(self, modifier: int, codes: list[int]) -> None:
        self._key(modifier, 1)
        for code in codes:
            self.tap(code)
        self._key(modifier, 0)

    def char(self, ch: str, gs: str = "ctrl") -> None:
        if ch == GS:
            if gs == "ctrl":
                self.hold(KEY_LEFTCTRL, [KEY_RIGHTBRACE])
            elif gs == "alt":
                self.hold(KEY_LEFTALT, [KP[d] for d in "0029"])
            elif gs.startswith("sub:"):
                self.text(gs[4:])
            return  # gs == "drop": the separator is lost
        code, shift = _REVERSE[ch]
        if shift:
            self.hold(KEY_LEFTSHIFT, [code])
        else:
            self.tap(code)

    def text(self, text: str, gs: str = "ctrl") -> None:
        for ch in text:
            self.char(ch, gs)

    def end(self, terminator: str | None = "enter") -> None:
        if terminator == "enter":
            self.tap(KEY_ENTER)
        elif terminator == "kpenter":
            self.tap(KEY_KPENTER)
        elif terminator == "ctrlm":
            self.hold(KEY_LEFTCTRL, [KEY_M])

    def scan(self, text: str, gs: str = "ctrl", terminator: str | None = "enter") -> Typist:
        self.text(text, gs)
        self.end(terminator)
        return self

    def pause(self, seconds: float) -> None:
        self.t += seconds


class FakeInputEvent:
    def __init__(self, ts: float, type_: int, code: int, value: int) -> None:
        self.ts, self.type, self.code, self.value = ts, type_, code, value

    def timestamp(self) -> float:
        return self.ts


class FakeInputDevice:
    """Subset of evdev.InputDevice used by EvdevDriver, fed from the test thread."""

    def __init__(self, path: str, name: str = "Fake Scanner") -> None:
        self.path = path
        self.name = name
        self._r, self._w = os.pipe()
        self.fd = self._r
        self._events: queue.Queue[FakeInputEvent | OSError] = queue.Queue()
        self.grabbed = False
        self.closed = False

    def push(self, events: list[Event]) -> None:
        for ev in events:
            self._events.put(FakeInputEvent(*ev))
        os.write(self._w, b"e")

    def unplug(self) -> None:
        self._events.put(OSError(19, "No such device"))
        os.write(self._w, b"e")

    def read(self) -> Iterator[FakeInputEvent]:
        os.read(self._r, 4096)
        while True:
            try:
                item = self._events.get_nowait()
            except queue.Empty:
                return
            if isinstance(item, OSError):
                raise item
            yield item

    def grab(self) -> None:
        self.grabbed = True

    def ungrab(self) -> None:
        self.grabbed = False

    def leds(self) -> list[int]:
        return []

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            os.close(self._r)
            os.close(self._w)


def wait_for(predicate: Callable[[], Any], timeout: float = 10.0, interval: float = 0.01) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


class FakeService:
    """Minimal `POST /api/v1/shipments/{id}/scans` with idempotency and scripted faults.

    `faults` is consumed one entry per request: None (normal), 500, (429, retry_after),
    "hang" (store, then wait for `release` before answering) or "drop" (store, then close the
    connection without answering). With `accepted_tokens` set, a request without one of those
    bearer tokens gets 401, as the real service answers a revoked or rotated token.
    """

    def __init__(self, port: int = 0) -> None:
        self.port = port
        self.lock = threading.Lock()
        self.requests: list[tuple[float, str, dict[str, Any], dict[str, str]]] = []
        self.stored: dict[str, dict[str, Any]] = {}
        self.stored_order: list[str] = []
        self.faults: list[Any] = []
        self.accepted_tokens: set[str] | None = None
        self.hanging = threading.Event()
        self.release = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeService:
        service = self

        class Handler(BaseHTTPRequestHandler):
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                return None

            def do_POST(self) -> None:
                service.handle(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        if self._server is not None and self._thread is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join()
        self._server = self._thread = None

    def verdict(self, raw: str) -> str:
        return "red" if "RED" in raw else "amber" if "AMBER" in raw else "green"

    def handle(self, req: BaseHTTPRequestHandler) -> None:
        body = json.loads(req.rfile.read(int(req.headers["Content-Length"])))
        key = req.headers["Idempotency-Key"]
        with self.lock:
            self.requests.append((time.monotonic(), key, body, dict(req.headers)))
            bearer = req.headers.get("Authorization", "").removeprefix("Bearer ")
            if self.accepted_tokens is not None and bearer not in self.accepted_tokens:
                problem = {"title": "Unauthorized", "detail": "token revoked", "status": 401}
                return self._reply(req, 401, problem)
            fault = self.faults.pop(0) if self.faults else None
            if fault == 500:
                return self._reply(req, 500, {"title": "boom", "status": 500})
            if isinstance(fault, tuple):
                return self._reply(req, 429, {"title": "slow down"}, {"Retry-After": fault[1]})
            if body.get("raw", "").startswith("BAD"):
                return self._reply(req, 422, {"title": "Unprocessable", "detail": "bad raw"})
            if fault == 409:
                conflict = {"type": "https://x.example/problems/conflict", "title": "Conflict"}
                return self._reply(req, 409, conflict)
            replay = key in self.stored
            if not replay:
                self.stored[key] = {
                    "scans": [
                        {
                            "scan_id": len(self.stored) + 1,
                            "raw": body["raw"],
                            "verdict": self.verdict(body["raw"]),
                            "score": 0,
                            "duplicate": False,
                            "device_flags": body.get("device_flags", []),
                            "interpretation": {},
                            "findings": [],
                        }
                    ],
                    "shipment": {
                        "id": 1,
                        "risk_score": 0,
                        "recommendation": "release",
                        "ruleset_version": "test",
                    },
                }
                self.stored_order.append(key)
            doc = self.stored[key]
        if fault == "hang":
            self.hanging.set()
            self.release.wait()
        if fault == "drop":
            req.close_connection = True
            req.wfile.flush()
            return None
        self._reply(req, 200 if replay else 201, doc)
        return None

    def _reply(
        self,
        req: BaseHTTPRequestHandler,
        status: int,
        doc: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> None:
        data = json.dumps(doc).encode()
        ctype = "application/json" if status < 400 else "application/problem+json"
        try:
            req.send_response(status)
            req.send_header("Content-Type", ctype)
            req.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                req.send_header(name, value)
            req.end_headers()
            req.wfile.write(data)
        except OSError:
            pass  # client went away (killed agent)

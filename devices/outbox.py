"""Durable local outbox (SQLite, WAL, synchronous=FULL).

A scan is stored, together with its per-device sequence number, in one transaction before
anything else happens to it; the request body is fixed at that moment so every delivery attempt
sends identical bytes under the same idempotency key. Rows leave `pending` only as `sent`
(with the verdict) or `dead` (a rejection a person must look at). A read the decoder flagged as
possibly incomplete (unplugged mid-frame, events dropped) is forwarded like any other, with
those flags as `device_flags`, so the inspector sees it. `held` is the state such reads had
before they were forwarded; rows in it are kept until someone requeues or discards them.

What a person decides (`inspect-scanner outbox`): `requeue` puts dead or held rows back to
`pending` (they keep their place in the order, which is insertion order), `discard` deletes
rows that must never be sent.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from devices.scan import INVALIDATING, Scan, utc_iso

SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scan_id TEXT NOT NULL UNIQUE,
    device_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    shipment_id TEXT NOT NULL,
    scan_json TEXT NOT NULL,
    body_json TEXT NOT NULL,
    created_at REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL DEFAULT 0,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'dead', 'held')),
    status INTEGER,
    verdict TEXT,
    response_json TEXT,
    last_error TEXT,
    UNIQUE (device_id, seq)
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (state, id);
CREATE TABLE IF NOT EXISTS device_seq (
    device_id TEXT PRIMARY KEY,
    last_seq INTEGER NOT NULL
);
"""


@dataclasses.dataclass(frozen=True, slots=True)
class OutboxRow:
    id: int
    scan_id: str
    device_id: str
    seq: int
    shipment_id: str
    body: dict[str, Any]
    created_at: float
    attempts: int
    next_attempt_at: float
    state: str
    verdict: str | None
    last_error: str | None
    status: int | None = None

    @property
    def device_flags(self) -> list[str]:
        flags: list[str] = self.body.get("device_flags", [])
        return flags


def device_flags(flags: Iterable[str]) -> list[str]:
    """The flags the service is told about: those that make a read possibly incomplete."""
    return sorted(str(flag) for flag in flags if flag in INVALIDATING)


def request_body(scan: Scan) -> dict[str, Any]:
    """Body of `POST /api/v1/shipments/{id}/scans` (GS kept as U+001D in `raw`)."""
    body: dict[str, Any] = {
        "raw": scan.wire_text,
        "device_id": scan.device_id,
        "idempotency_key": scan.scan_id,
        "scanned_at": utc_iso(scan.captured_at),
        "device_seq": scan.seq,
    }
    if flags := device_flags(scan.flags):
        body["device_flags"] = flags
    return body


_COLUMNS = (
    "id, scan_id, device_id, seq, shipment_id, body_json, created_at, attempts, "
    "next_attempt_at, state, verdict, last_error, status"
)


class Outbox:
    """Thread-safe: one connection guarded by a lock (reader thread appends, forwarder sends)."""

    def __init__(self, path: str | Path, clock: Callable[[], float] = time.time) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._clock = clock
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def append(self, scan: Scan, shipment_id: str) -> Scan:
        """Assign the next per-device seq and store the scan durably; returns it with `seq`."""
        state = "pending"
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                (seq,) = self._db.execute(
                    "INSERT INTO device_seq (device_id, last_seq) VALUES (?, 1) "
                    "ON CONFLICT (device_id) DO UPDATE SET last_seq = last_seq + 1 "
                    "RETURNING last_seq",
                    (scan.device_id,),
                ).fetchone()
                stored = dataclasses.replace(scan, seq=seq)
                self._db.execute(
                    "INSERT INTO outbox (scan_id, device_id, seq, shipment_id, scan_json, "
                    "body_json, created_at, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        stored.scan_id,
                        stored.device_id,
                        seq,
                        shipment_id,
                        json.dumps(stored.to_json()),
                        json.dumps(request_body(stored)),
                        self._clock(),
                        state,
                    ),
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return stored

    def head(self) -> OutboxRow | None:
        """The oldest pending row; rows are delivered strictly in insertion order."""
        with self._lock:
            row = self._db.execute(
                f"SELECT {_COLUMNS} FROM outbox WHERE state = 'pending' ORDER BY id LIMIT 1"
            ).fetchone()
        return _row(row) if row else None

    def rows(self, state: str | None = None, *states: str) -> list[OutboxRow]:
        """Rows in order, all of them or those in the given states."""
        query = f"SELECT {_COLUMNS} FROM outbox"
        wanted = tuple(x for x in (state, *states) if x is not None)
        if wanted:
            query += f" WHERE state IN ({', '.join('?' * len(wanted))})"
        with self._lock:
            return [_row(r) for r in self._db.execute(query + " ORDER BY id", wanted)]

    def resolve(self, ids: Sequence[str]) -> list[OutboxRow]:
        """The rows named by scan ids or unique scan-id prefixes; KeyError names what is not."""
        found: dict[int, OutboxRow] = {}
        for given in ids:
            with self._lock:
                matches = self._db.execute(
                    f"SELECT {_COLUMNS} FROM outbox WHERE substr(scan_id, 1, ?) = ?",
                    (len(given), given),
                ).fetchall()
            if len(matches) != 1:
                what = "no scan" if not matches else f"{len(matches)} scans"
                raise KeyError(f"{what} with id {given!r}")
            row = _row(matches[0])
            found[row.id] = row
        return [found[key] for key in sorted(found)]

    def requeue(self, scan_ids: Sequence[str]) -> int:
        """Dead or held rows back to pending, in their original place; returns how many."""
        count = 0
        with self._transaction():
            for scan_id in scan_ids:
                found = self._db.execute(
                    "SELECT scan_json, body_json FROM outbox "
                    "WHERE scan_id = ? AND state IN ('dead', 'held')",
                    (scan_id,),
                ).fetchone()
                if found is None:
                    continue
                body = json.loads(found[1])
                if flags := device_flags(json.loads(found[0]).get("flags", [])):
                    body["device_flags"] = flags  # held before flagged reads were forwarded
                self._db.execute(
                    "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = 0, "
                    "status = NULL, body_json = ? WHERE scan_id = ?",
                    (json.dumps(body), scan_id),
                )
                count += 1
        return count

    def discard(self, scan_ids: Sequence[str]) -> int:
        """Delete rows that were not sent; returns how many."""
        with self._transaction():
            return sum(
                self._db.execute(
                    "DELETE FROM outbox WHERE scan_id = ? AND state != 'sent'", (scan_id,)
                ).rowcount
                for scan_id in scan_ids
            )

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self._db.execute("SELECT state, count(*) FROM outbox GROUP BY state"))

    def mark_sent(
        self, scan_id: str, status: int, verdict: str | None, response: dict[str, Any] | None
    ) -> None:
        self._update(
            scan_id,
            "state = 'sent', attempts = attempts + 1, status = ?, verdict = ?, "
            "response_json = ?, last_error = NULL",
            (status, verdict, json.dumps(response) if response is not None else None),
        )

    def mark_retry(self, scan_id: str, next_attempt_at: float, error: str) -> None:
        self._update(
            scan_id,
            "attempts = attempts + 1, next_attempt_at = ?, last_error = ?",
            (next_attempt_at, error),
        )

    def mark_refused(self, scan_id: str, status: int | None, error: str) -> None:
        """An attempt the service refused for want of a valid token: the row stays pending."""
        self._update(
            scan_id, "attempts = attempts + 1, status = ?, last_error = ?", (status, error)
        )

    def mark_dead(self, scan_id: str, status: int | None, error: str) -> None:
        self._update(
            scan_id,
            "state = 'dead', attempts = attempts + 1, status = ?, last_error = ?",
            (status, error),
        )

    def _update(self, scan_id: str, assignments: str, params: tuple[Any, ...]) -> None:
        with self._lock:
            self._db.execute(
                f"UPDATE outbox SET {assignments} WHERE scan_id = ?", (*params, scan_id)
            )


def _row(r: tuple[Any, ...]) -> OutboxRow:
    return OutboxRow(
        id=r[0],
        scan_id=r[1],
        device_id=r[2],
        seq=r[3],
        shipment_id=r[4],
        body=json.loads(r[5]),
        created_at=r[6],
        attempts=r[7],
        next_attempt_at=r[8],
        state=r[9],
        verdict=r[10],
        last_error=r[11],
        status=r[12],
    )

"""Which database errors are passing faults, and which of those may be replayed.

A fault is *transient* when the same request can succeed later without anyone
changing it: the disk is full, the server is shutting down or unreachable,
SQLite's write lock is taken. Those answer 503 with `Retry-After`.

A transient fault is also *replayable* when the database guarantees that the
failed transaction left nothing behind and that running it again is correct:
a serialization failure (SQLSTATE 40001) or a deadlock (40P01). Only those are
re-run transparently; after a lost connection the commit may or may not have
happened, so the client decides (the scan path replays safely by its
idempotency key).
"""

from __future__ import annotations

import dataclasses

from sqlalchemy.exc import DBAPIError

# SQLSTATE -> reason, from PostgreSQL's errcodes (Appendix A of its manual).
_SQLSTATE_REASONS = {
    "40001": "serialization_failure",
    "40P01": "deadlock_detected",
    "53000": "insufficient_resources",
    "53100": "disk_full",
    "53200": "out_of_memory",
    "53300": "too_many_connections",
    "57P01": "admin_shutdown",
    "57P02": "crash_shutdown",
    "57P03": "cannot_connect_now",
    "57014": "query_canceled",
    "55P03": "lock_not_available",
    "25006": "read_only_sql_transaction",
}
_SQLSTATE_CLASS_REASONS = {"08": "connection_exception"}
_REPLAYABLE = frozenset({"serialization_failure", "deadlock_detected"})
# Faults that pass within a moment (another transaction finishing); others take longer.
_BRIEF = _REPLAYABLE | {"database_busy", "database_locked", "lock_not_available"}

# SQLite primary result codes (sqlite.org/rescode.html).
_SQLITE_REASONS = {
    5: "database_busy",  # SQLITE_BUSY
    6: "database_locked",  # SQLITE_LOCKED
    7: "out_of_memory",  # SQLITE_NOMEM
    8: "read_only",  # SQLITE_READONLY
    10: "io_error",  # SQLITE_IOERR
    13: "disk_full",  # SQLITE_FULL
    14: "cannot_open",  # SQLITE_CANTOPEN
    15: "lock_protocol",  # SQLITE_PROTOCOL
}


@dataclasses.dataclass(frozen=True, slots=True)
class DatabaseFault:
    reason: str

    @property
    def replayable(self) -> bool:
        return self.reason in _REPLAYABLE

    @property
    def retry_after(self) -> int:
        """Seconds a client should wait before trying again."""
        return 1 if self.reason in _BRIEF else 5


def transient_fault(exc: BaseException) -> DatabaseFault | None:
    """The passing fault behind `exc`, or None when it is not one (a bug, a constraint)."""
    if not isinstance(exc, DBAPIError):
        return None
    if exc.connection_invalidated:
        return DatabaseFault("connection_lost")
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None)
    if isinstance(sqlstate, str):
        reason = _SQLSTATE_REASONS.get(sqlstate) or _SQLSTATE_CLASS_REASONS.get(sqlstate[:2])
        return DatabaseFault(reason) if reason else None
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        reason = _SQLITE_REASONS.get(code & 0xFF)  # extended codes keep the primary in the low byte
        return DatabaseFault(reason) if reason else None
    return None

"""Engine and session handling.

Views never commit: the request's session is committed once in
`after_request` when the response is a success, and rolled back otherwise.
A commit that fails goes through the same error handlers as a view's
exception (a full disk answers 503, not 500), and a request whose transaction
was a serialization victim is run again (`transaction_retry`). A view marked
`reads_first` reads in a transaction of its own, which it ends before writing.
CLI commands use `session_scope()` for the same commit-or-rollback rule.
"""

from __future__ import annotations

import fcntl
import functools
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, ParamSpec, TypeVar

from flask import (
    Flask,
    Response,
    current_app,
    g,
    has_app_context,
    has_request_context,
    request,
)
from sqlalchemy import Engine, create_engine, event, insert, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from inspect_svc.models.heartbeat import ServiceHeartbeat
from inspect_svc.settings import Settings
from inspect_svc.transaction_retry import TransactionRetry

P = ParamSpec("P")
R = TypeVar("R")

# Runs of one request whose transaction is a serialization or deadlock victim.
TRANSACTION_ATTEMPTS = 3

# Set while a reading request (the readiness probe) writes on purpose: the lock wait in seconds.
_probe_write_wait: ContextVar[float | None] = ContextVar("probe_write_wait", default=None)


def make_engine(url: str, settings: Settings | None = None) -> Engine:
    """An engine with the per-backend tuning this service relies on."""
    db_settings = settings.database if settings else None
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"echo": bool(db_settings and db_settings.echo), "future": True}
    if parsed.get_backend_name() == "sqlite":
        busy_ms = db_settings.sqlite_busy_timeout_ms if db_settings else 5000
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": busy_ms / 1000}
        engine = create_engine(url, **kwargs)
        _tune_sqlite(engine, busy_ms)
        return engine
    kwargs["pool_size"] = db_settings.pool_size if db_settings else 5
    kwargs["pool_pre_ping"] = True
    return create_engine(url, **kwargs)


def _tune_sqlite(engine: Engine, busy_ms: int) -> None:
    """Pragmas, and one writer at a time across processes without busy-waiting.

    SQLite lets one transaction write at a time. Left to itself, a waiting
    writer polls with sleeps of up to 100 ms (busy_timeout), which makes tail
    latency under gunicorn's several workers explode. Writers therefore take
    an advisory file lock next to the database first, polling it at least
    every millisecond, and only then BEGIN IMMEDIATE; after the busy
    timeout they give up with `DatabaseBusy` (503). Requests that only read
    (GET, HEAD) use a plain deferred transaction and never wait.
    """
    lock_path = _write_lock_path(engine)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        # Let SQLAlchemy issue BEGIN itself so that transactions are explicit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

        if lock_path is not None:
            record.info["write_lock"] = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        probe_wait = _probe_write_wait.get()
        if probe_wait is None and (_reading_request() or _in_read_phase()):
            connection.exec_driver_sql("BEGIN")
            return
        lock = connection.connection._connection_record.info.get("write_lock")
        if lock is not None:
            _acquire(lock, busy_ms / 1000 if probe_wait is None else probe_wait)
        # IMMEDIATE takes SQLite's write lock up front, so a writer never fails
        # on a lock upgrade half-way through its transaction.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        lock = record.info.get("write_lock") if record is not None else None
        if lock is not None:
            fcntl.flock(lock, fcntl.LOCK_UN)

    @event.listens_for(engine, "close")
    def _on_close(_dbapi_connection: Any, record: Any) -> None:
        lock = record.info.pop("write_lock", None) if record is not None else None
        if lock is not None:
            os.close(lock)


class DatabaseBusy(Exception):
    """A writer waited longer than the busy timeout for its turn."""


def _acquire(lock: int, timeout: float) -> None:
    """Take the writers' file lock, waiting at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    pause = 0.0005
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise DatabaseBusy(f"no turn to write within {timeout:g} s") from None
            time.sleep(pause)
            pause = min(pause * 2, 0.001)


def _write_lock_path(engine: Engine) -> str | None:
    database = engine.url.database
    if database in (None, "", ":memory:"):
        return None
    return f"{database}.write-lock"


def _reading_request() -> bool:
    return has_request_context() and request.method in ("GET", "HEAD", "OPTIONS")


def _in_read_phase() -> bool:
    return has_app_context() and bool(g.get(_READ_PHASE))


_READ_PHASE = "db_read_phase"


class Database:
    """Flask extension owning the engine and the per-request session."""

    def __init__(self) -> None:
        self._engine: Engine | None = None
        self._factory: sessionmaker[Session] | None = None

    def init_app(self, app: Flask, settings: Settings) -> None:
        self._engine = make_engine(settings.database_url, settings)
        self._factory = sessionmaker(self._engine, expire_on_commit=False)
        app.extensions["inspect_db"] = self
        app.after_request(self._finish_request)
        app.teardown_appcontext(self._close_session)
        app.wsgi_app = TransactionRetry(  # type: ignore[method-assign]
            app.wsgi_app, TRANSACTION_ATTEMPTS, settings.server.max_body_bytes
        )

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise RuntimeError("Database.init_app() has not been called")
        return self._engine

    @property
    def session(self) -> Session:
        """The session of the current app context, created on first use."""
        if "db_session" not in g:
            if self._factory is None:
                raise RuntimeError("Database.init_app() has not been called")
            g.db_session = self._factory()
        session: Session = g.db_session
        return session

    @staticmethod
    def reads_first(view: Callable[P, R]) -> Callable[P, R]:
        """Run `view` with a read phase: until it calls `end_read_phase`, its statements
        (authentication, look-ups) run in a plain read transaction.

        On SQLite a writing request otherwise holds the single write turn from
        its first statement to its commit; work that only reads has no need of it.
        """

        @functools.wraps(view)
        def in_read_phase(*args: P.args, **kwargs: P.kwargs) -> R:
            setattr(g, _READ_PHASE, True)
            try:
                return view(*args, **kwargs)
            finally:
                g.pop(_READ_PHASE, None)

        return in_read_phase

    def end_read_phase(self) -> None:
        """End the read phase: on SQLite the read transaction ends, and the next statement
        starts writing after taking the write turn (elsewhere the transaction goes on)."""
        if g.pop(_READ_PHASE, False) and "db_session" in g:
            session: Session = g.db_session
            if session.in_transaction() and session.get_bind().dialect.name == "sqlite":
                session.commit()

    def new_session(self) -> Session:
        if self._factory is None:
            raise RuntimeError("Database.init_app() has not been called")
        return self._factory()

    @contextmanager
    def session_scope(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error (for CLI use)."""
        session = self.new_session()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def _finish_request(self, response: Response) -> Response:
        session: Session | None = g.pop("db_session", None)
        if session is None:
            return response
        try:
            if response.status_code < 400:
                session.commit()
            else:
                session.rollback()
        except Exception as exc:
            # Nothing was acknowledged (close() below rolls back): answer as if the view raised.
            return current_app.make_response(current_app.handle_user_exception(exc))
        finally:
            session.close()
        return response

    def probe_write(self, wait: float) -> None:
        """Commit a heartbeat row, so readiness covers a database that cannot take writes.

        Waits at most `wait` seconds for SQLite's writer turn (`DatabaseBusy` after that).
        """
        token = _probe_write_wait.set(wait)
        try:
            with self.engine.begin() as connection:
                if connection.dialect.name == "postgresql":
                    # The write path is what is probed; waiting for the WAL flush adds nothing.
                    connection.exec_driver_sql("SET LOCAL synchronous_commit = off")
                now = datetime.now(UTC)
                beat = update(ServiceHeartbeat).where(ServiceHeartbeat.id == 1)
                if connection.execute(beat.values(beat_at=now)).rowcount == 0:
                    try:
                        with connection.begin_nested():
                            connection.execute(insert(ServiceHeartbeat).values(id=1, beat_at=now))
                    except IntegrityError:
                        pass  # another probe inserted it meanwhile: the write went through
        finally:
            _probe_write_wait.reset(token)

    def _close_session(self, _exc: BaseException | None) -> None:
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            session.rollback()
            session.close()

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


db = Database()

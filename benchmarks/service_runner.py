"""Start the service (or a baseline app) under gunicorn for a benchmark, on a fresh database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Service:
    base_url: str
    token: str
    workdir: Path
    database_url: str


def service_env(workdir: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECT_")}
    env.update(
        INSPECT_DATABASE_URL=database_url,
        INSPECT_SERVER__INSTANCE_PATH=str(workdir / "instance"),
        INSPECT_SECRET_KEY="benchmark",
        INSPECT_SERVER__LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "inspect-svc"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def prepare(workdir: Path, database_url: str | None = None) -> tuple[dict[str, str], str]:
    """An initialised database (default: embedded, in `workdir`) and an inspector token."""
    database_url = database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    env = service_env(workdir, database_url)
    cli(env, "init", "--no-token")
    token = cli(env, "token", "create", "--user", "bench", "--role", "inspector").strip()
    return env, token


@contextmanager
def gunicorn(app: str, env: dict[str, str], workers: int | None = None) -> Iterator[str]:
    """Serve `app` with config/gunicorn.conf.py on a free loopback port; yield its base URL."""
    port = free_port()
    argv = [
        str(BIN / "gunicorn"),
        "--config",
        str(ROOT / "config" / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{port}",
    ]
    if workers:
        argv += ["--workers", str(workers)]
    with tempfile.TemporaryDirectory() as metrics:
        process = subprocess.Popen(
            [*argv, app],
            env={**env, "PROMETHEUS_MULTIPROC_DIR": metrics},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if requests.get(base + "/healthz", timeout=1).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"{app} did not start")
                time.sleep(0.2)
            yield base
        finally:
            process.terminate()
            process.wait(30)


PG_ADMIN_URL = os.environ.get(
    "INSPECT_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database on the local server, dropped afterwards; yields its URL."""
    from sqlalchemy import create_engine, text

    name = f"inspect_bench_{os.getpid()}_{int(time.time())}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

"""The real service for end-to-end tests: `inspect-svc init`, tokens, gunicorn on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class LiveService:
    """A gunicorn-served instance; `stop()` and `start()` simulate an outage."""

    database_url: str
    workdir: Path
    workers: int = 2
    port: int = field(default_factory=free_port)
    tokens: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECT_")}
        env.update(
            INSPECT_DATABASE_URL=self.database_url,
            INSPECT_SERVER__INSTANCE_PATH=str(self.workdir / "instance"),
            INSPECT_SECRET_KEY="live-test-secret",
            INSPECT_SERVER__LOG_LEVEL="WARNING",
            PROMETHEUS_MULTIPROC_DIR=str(self.workdir / "metrics"),
        )
        return env

    def cli(self, *args: str) -> str:
        done = subprocess.run(
            [str(BIN / "inspect-svc"), *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"inspect-svc {' '.join(args)} failed:\n{done.stderr}")
        return done.stdout

    def initialise(self) -> None:
        (self.workdir / "metrics").mkdir(parents=True, exist_ok=True)
        self.cli("init", "--no-token")
        for role in ("inspector", "officer", "admin"):
            self.tokens[role] = self.cli(
                "token", "create", "--user", f"live-{role}", "--role", role
            ).strip()

    def headers(self, role: str = "inspector") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def start(self) -> None:
        (self.workdir / "metrics").mkdir(parents=True, exist_ok=True)
        log = (self.workdir / "gunicorn.log").open("ab")
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--config",
                str(ROOT / "config" / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "inspect_svc.wsgi:app",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=log,
        )
        log.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.log_tail())
            try:
                if requests.get(self.base_url + "/readyz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError("gunicorn did not become ready:\n" + self.log_tail())

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def log_tail(self) -> str:
        path = self.workdir / "gunicorn.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def create_shipment(self, **overrides: object) -> dict[str, object]:
        body = {
            "entry_number": "LIVE-0001",
            "port_code": "2704",
            "mode": "air",
            "origin_country": "IN",
            "manufacturer": {"name": "Example Manufacturer", "country": "IN"},
            "declared_lines": [],
            **overrides,
        }
        response = requests.post(
            self.base_url + "/api/v1/shipments", json=body, headers=self.headers(), timeout=10
        )
        response.raise_for_status()
        created: dict[str, object] = response.json()
        return created

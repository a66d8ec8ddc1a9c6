"""/metrics under the real `inspect-svc serve`: counters from every worker, summed."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.live import BIN, ROOT, free_port

REQUESTS = 40
_HEALTHZ = re.compile(
    r'^inspect_http_requests_total\{endpoint="/healthz",method="GET",status="200"\} (\S+)$',
    re.MULTILINE,
)


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def _wait_ready(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(log.read_text(errors="replace"))
        try:
            if requests.get(base_url + "/healthz", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise AssertionError("inspect-svc serve did not answer:\n" + log.read_text(errors="replace"))


@pytest.mark.slow
def test_metrics_add_up_across_workers_of_inspect_svc_serve(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INSPECT_", "PROMETHEUS_"))}
    env.update(
        INSPECT_SERVER__INSTANCE_PATH=str(instance),
        INSPECT_SECRET_KEY="metrics-test",
        INSPECT_SERVER__LOG_LEVEL="WARNING",
    )
    subprocess.run(
        [str(BIN / "inspect-svc"), "init", "--no-token"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    stale = instance / "metrics" / str(_dead_pid())
    stale.mkdir(parents=True)
    (stale / "counter_1.db").write_bytes(b"left by a killed master")

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(BIN / "inspect-svc"), "serve", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=out,
        )
    try:
        _wait_ready(base_url, process, log)
        assert not stale.exists()
        own = instance / "metrics" / str(process.pid)
        assert own.is_dir()
        before = _HEALTHZ.search(requests.get(base_url + "/metrics", timeout=5).text)
        counted_before = float(before.group(1)) if before else 0.0
        # One worker is kept busy by a request whose headers are not finished,
        # so the other answers the rest; then the first finishes its own.
        with socket.create_connection(("127.0.0.1", port), timeout=10) as held:
            held.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            time.sleep(0.5)
            for _ in range(REQUESTS - 1):
                assert requests.get(base_url + "/healthz", timeout=5).status_code == 200
            held.sendall(b"Connection: close\r\n\r\n")
            assert held.recv(64).startswith(b"HTTP/1.1 200")
        text = requests.get(base_url + "/metrics", timeout=5).text
        match = _HEALTHZ.search(text)
        assert match, text[:2000]
        assert float(match.group(1)) - counted_before == REQUESTS
        worker_files = {p.name for p in own.glob("counter_*.db")}
        assert len(worker_files) == 2, worker_files
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    assert not (instance / "metrics" / str(process.pid)).exists()

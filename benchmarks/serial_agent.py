"""Latency of the serial scanner agent, measured end to end through a real pseudo-terminal.

For each scan: t0 = the last byte has been written to the pty master; "durable" = the scan is
committed to the SQLite outbox (WAL, synchronous=FULL); "verdict" = the forwarder has stored the
server's verdict. Scans are sent one at a time (unloaded latency). The wire time of the same
bytes at 9600 and 115200 baud (10 bits per byte) is printed for comparison.

    .venv/bin/python benchmarks/serial_agent.py [--scans 1000]
        [--server URL --token T --shipment ID]   # default: a local stub server
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import tty
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from devices import config
from devices.agent import Agent
from devices.forwarder import Forwarder, HttpSender
from devices.outbox import Outbox, OutboxRow
from devices.scan import Scan
from devices.transports.base import State
from devices.transports.serial_reader import SerialDriver, fixed_port


class StubHandler(BaseHTTPRequestHandler):
    """Answers every scan with 201 and a green verdict, like the service's happy path."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; without TCP_NODELAY, Nagle plus the client's
    # delayed ACK would add ~40 ms to every response.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        doc = {
            "scans": [
                {
                    "scan_id": body["idempotency_key"],
                    "raw": body["raw"],
                    "verdict": "green",
                    "score": 0,
                    "duplicate": False,
                    "interpretation": {},
                    "findings": [],
                }
            ],
            "shipment": {
                "id": 1,
                "risk_score": 0,
                "recommendation": "release",
                "ruleset_version": "stub",
            },
        }
        data = json.dumps(doc).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scans", type=int, default=1000)
    parser.add_argument("--server")
    parser.add_argument("--token", default=os.environ.get("INSPECT_TOKEN"))
    parser.add_argument("--shipment", default="1")
    args = parser.parse_args()

    stub: ThreadingHTTPServer | None = None
    server = args.server
    if server is None:
        stub = ThreadingHTTPServer(("127.0.0.1", 0), StubHandler)
        threading.Thread(target=stub.serve_forever, daemon=True).start()
        server = f"http://127.0.0.1:{stub.server_address[1]}"

    master, slave = os.openpty()
    tty.setraw(master)
    settings = config.resolve(config.load_file(), "cdc")
    durable = threading.Event()
    verdict = threading.Event()
    stamps: dict[str, float] = {}

    def on_stored(scan: Scan) -> None:
        stamps["durable"] = time.perf_counter()
        durable.set()

    with tempfile.TemporaryDirectory() as tmp:
        outbox = Outbox(Path(tmp) / "bench.db")
        sender = HttpSender(server, args.token)
        driver = SerialDriver("bench", settings, fixed_port(os.ttyname(slave)))
        agent = Agent(driver, outbox, args.shipment, settings, on_stored=on_stored)

        def on_verdict(row: OutboxRow, value: str) -> None:
            stamps["verdict"] = time.perf_counter()
            verdict.set()

        agent.forwarder = Forwarder(outbox, sender, on_verdict=on_verdict)
        agent.forwarder.start()
        driver.start(agent.on_scan)
        while driver.status().state is not State.READING:
            time.sleep(0.01)

        to_durable: list[float] = []
        to_verdict: list[float] = []
        run = os.urandom(3).hex()
        frame = b""
        for i in range(args.scans):
            frame = f"]d201095011015300031727013110L{run}\x1d21S{i:08d}\r\n".encode()
            durable.clear()
            verdict.clear()
            os.write(master, frame)
            t0 = time.perf_counter()
            if not (durable.wait(10) and verdict.wait(30)):
                raise SystemExit(f"scan {i} timed out; outbox counts {outbox.counts()}")
            to_durable.append((stamps["durable"] - t0) * 1000)
            to_verdict.append((stamps["verdict"] - t0) * 1000)

        driver.stop()
        agent.forwarder.stop()
        agent.feedback.close()
        sender.close()
        outbox.close()
    os.close(master)
    os.close(slave)
    if stub is not None:
        stub.shutdown()
        stub.server_close()

    print(f"scans: {args.scans}, frame {len(frame)} bytes, server {server}")
    print(f"{'':28}{'p50 ms':>10}{'p99 ms':>10}")
    print(f"{'last byte -> durable':28}{pct(to_durable, 50):10.2f}{pct(to_durable, 99):10.2f}")
    print(f"{'last byte -> verdict':28}{pct(to_verdict, 50):10.2f}{pct(to_verdict, 99):10.2f}")
    for baud in (9600, 115200):
        wire = len(frame) * 10 / baud * 1000
        print(f"{f'wire time @ {baud} baud':28}{wire:10.2f}")


if __name__ == "__main__":
    main()

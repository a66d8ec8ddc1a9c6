"""Triage throughput and latency, each next to a baseline measured in the same run.

1. Single-scan requests/s and p50/p99 under gunicorn (default workers, SQLite),
   loaded by wrk over loopback, next to a bare Flask JSON echo served the same way;
   then the same on PostgreSQL with one and with two gunicorn hosts (here two
   gunicorn instances on this machine sharing its cores, both on one database).
2. Batch endpoint units/s next to plain `biip.parse` on the same scans.
3. Sequential single-scan latency with a small and a large `unit` table (the
   large one filled by bulk SQL), as a ratio.

Run: .venv/bin/python benchmarks/triage.py [--large-units 10000000] [--duration 15]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import biip
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import contextlib

from service_runner import ROOT, gunicorn, postgres_database, prepare

GS = "\x1d"
GTIN = "00300241535027"  # NDC 0024-1535-02, in the bundled directory sample
SHIPMENTS = 200  # by default scans are spread over shipments of realistic size


def scan(serial: str) -> str:
    return f"]d201{GTIN}1730123110LOT42{GS}21{serial}"


def create_shipments(base: str, token: str, count: int) -> list[int]:
    ids = []
    with requests.Session() as http:
        for n in range(count):
            response = http.post(
                f"{base}/api/v1/shipments",
                json={
                    "entry_number": f"BENCH-{n:05d}",
                    "port_code": "2704",
                    "mode": "air",
                    "origin_country": "US",
                    "manufacturer": {"name": "sanofi-aventis U.S. LLC", "country": "US"},
                    "declared_lines": [{"ndc": "0024-1535-02", "quantity": 1000}],
                },
                headers={"Authorization": f"Bearer {token}"},
                timeout=30,
            )
            response.raise_for_status()
            ids.append(response.json()["id"])
    return ids


def wrk(base: str, args: list[str], duration: int, connections: int) -> dict[str, float]:
    return wrk_many([base], args, duration, connections)


def wrk_many(
    bases: list[str], args: list[str], duration: int, connections: int
) -> dict[str, float]:
    """Load every base URL at once (connections split between them); rates add up, and the
    latency percentiles are the worst host's."""
    share = max(1, connections // len(bases))
    runs = [
        subprocess.Popen(
            [
                "wrk",
                "-t2",
                f"-c{share}",
                f"-d{duration}s",
                "--latency",
                "-s",
                str(Path(__file__).with_name("scan_load.lua")),
                base,
                "--",
                *args,
                f"h{n}x",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        for n, base in enumerate(bases)
    ]
    results = []
    for run in runs:
        out, _ = run.communicate()
        if run.returncode:
            raise RuntimeError(f"wrk failed: {out}")
        results.append(json.loads(out.strip().splitlines()[-1]))
    return {
        "rps": sum(r["rps"] for r in results),
        "p50_ms": max(r["p50_ms"] for r in results),
        "p99_ms": max(r["p99_ms"] for r in results),
        "errors": sum(r["errors"] for r in results),
        "non2xx": sum(r["non2xx"] for r in results),
    }


def _line(label: str, figures: dict[str, float]) -> str:
    return (
        f"{label:<26}: {figures['rps']:8.1f} req/s  p50 {figures['p50_ms']:7.2f} ms  "
        f"p99 {figures['p99_ms']:7.2f} ms  errors {figures['errors']:.0f}/{figures['non2xx']:.0f}"
    )


def scans_under_load(
    env: dict[str, str], token: str, hosts: int, duration: int, connections: int, spread: int
) -> dict[str, float]:
    """Single scans from wrk against `hosts` gunicorn instances on the database of `env`."""
    with contextlib.ExitStack() as stack:
        bases = [stack.enter_context(gunicorn("inspect_svc.wsgi:app", env)) for _ in range(hosts)]
        shipments = ",".join(map(str, create_shipments(bases[0], token, spread)))
        wrk_many(bases, [shipments, "scan", token], 3, connections)  # warm-up
        return wrk_many(bases, [shipments, "scan", token], duration, connections)


def single_scan_throughput(duration: int, connections: int, postgres: bool, spread: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env, token = prepare(Path(tmp))
        with gunicorn("echo_app:app", {**env, "PYTHONPATH": str(Path(__file__).parent)}) as base:
            wrk(base, ["1", "echo", ""], 3, connections)  # warm-up
            echo = wrk(base, ["1", "echo", ""], duration, connections)
        sqlite = scans_under_load(env, token, 1, duration, connections, spread)
    print(_line("echo baseline", echo))
    print(_line("single scan, SQLite", sqlite))
    print(
        f"ratio scan/echo: {sqlite['rps'] / echo['rps']:.3f} (target >= 0.25, goal 0.5; "
        "p99 target <= 50 ms, goal 25 ms)"
    )
    if not postgres:
        return
    for hosts in (1, 2):
        with tempfile.TemporaryDirectory() as tmp, postgres_database() as url:
            env, token = prepare(Path(tmp), url)
            figures = scans_under_load(env, token, hosts, duration, connections, spread)
        print(_line(f"single scan, PostgreSQL, {hosts} host{'s' * (hosts > 1)}", figures))
        print(f"  ratio to SQLite: {figures['rps'] / sqlite['rps']:.3f} (target >= 1.0)")


def batch_throughput(batches: int, batch_size: int) -> None:
    corpus = [scan(f"B{n:07d}") for n in range(batches * batch_size)]
    start = time.perf_counter()
    for raw in corpus:
        with contextlib.suppress(Exception):
            biip.parse(raw)
    biip_rate = len(corpus) / (time.perf_counter() - start)
    with tempfile.TemporaryDirectory() as tmp:
        env, token = prepare(Path(tmp))
        with gunicorn("inspect_svc.wsgi:app", env) as base:
            shipments = create_shipments(base, token, batches)
            start = time.perf_counter()
            with requests.Session() as http:
                for n, shipment in enumerate(shipments):
                    chunk = corpus[n * batch_size : (n + 1) * batch_size]
                    response = http.post(
                        f"{base}/api/v1/shipments/{shipment}/scans",
                        json={"scans": [{"raw": raw} for raw in chunk]},
                        headers={
                            "Authorization": f"Bearer {token}",
                            "Idempotency-Key": f"batch-{n}",
                        },
                        timeout=300,
                    )
                    response.raise_for_status()
            units_rate = len(corpus) / (time.perf_counter() - start)
    print(
        f"batch endpoint: {units_rate:8.1f} units/s ({batches} batches of {batch_size}, sequential)"
    )
    print(f"plain biip    : {biip_rate:8.1f} parses/s")
    print(f"ratio batch/biip: {units_rate / biip_rate:.3f} (target >= 1.0)")


def fill_units(database: Path, count: int) -> None:
    """Bulk-insert `count` units (and their first scans) of other shipments, in SQL."""
    connection = sqlite3.connect(database)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute(
            "INSERT INTO shipment (entry_number, port_code, mode, origin_country, parties, "
            "status, risk_score, recommendation, findings, reference_as_of, related_entries, "
            "created_at, updated_at) VALUES ('FILL', '2704', 'air', 'US', '{}', 'open', 0, "
            "'release', '[]', '{}', '[]', '2026-01-01 00:00:00.000000+00:00', "
            "'2026-01-01 00:00:00.000000+00:00')"
        )
        shipment = connection.execute("SELECT max(id) FROM shipment").fetchone()[0]
        last_scan = connection.execute("SELECT coalesce(max(id), 0) FROM scan").fetchone()[0]
        block = 100_000
        for start in range(0, count, block):
            size = min(block, count - start)
            connection.execute(
                "WITH RECURSIVE n(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
                "INSERT INTO scan (shipment_id, idempotency_key, request_digest, raw, "
                "received_at, interpretation, gtin, serial, lot, duplicate, verdict, score, "
                "findings, ruleset_version, reference_as_of) "
                "SELECT ?, 'fill-' || i, '', 'fill', '2026-01-01 00:00:00.000000+00:00', '{}', "
                "?, 'F' || i, 'LOT1', 0, 'green', 0, '[]', 'fill', '{}' FROM n",
                (start, start + size - 1, shipment, GTIN),
            )
            connection.execute(
                "INSERT INTO unit (gtin, serial, first_scan_id, first_shipment_id, first_lot, "
                "first_seen_at) SELECT gtin, serial, id, shipment_id, lot, received_at "
                "FROM scan WHERE id > ?",
                (last_scan,),
            )
            last_scan = connection.execute("SELECT max(id) FROM scan").fetchone()[0]
            connection.commit()
    finally:
        connection.close()


def latency_with_units(units: int, requests_count: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        env, token = prepare(Path(tmp))
        fill_units(Path(tmp) / "bench.sqlite3", units)
        with gunicorn("inspect_svc.wsgi:app", env, workers=1) as base:
            shipments = create_shipments(base, token, 20)
            timings = []
            with requests.Session() as http:
                for n in range(requests_count):
                    start = time.perf_counter()
                    response = http.post(
                        f"{base}/api/v1/shipments/{shipments[n % 20]}/scans",
                        json={"raw": scan(f"L{n:07d}"), "idempotency_key": f"lat-{n}"},
                        headers={"Authorization": f"Bearer {token}"},
                        timeout=30,
                    )
                    timings.append(time.perf_counter() - start)
                    response.raise_for_status()
    return statistics.median(timings[50:]) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--small-units", type=int, default=10_000)
    parser.add_argument("--large-units", type=int, default=10_000_000)
    parser.add_argument("--latency-requests", type=int, default=1000)
    parser.add_argument(
        "--shipments",
        type=int,
        default=SHIPMENTS,
        help="shipments the single scans are spread over (1: every scanner on one shipment)",
    )
    parser.add_argument("--skip", nargs="*", default=[], choices=["single", "batch", "units"])
    parser.add_argument(
        "--no-postgres", action="store_true", help="skip the PostgreSQL runs (1 and 2 hosts)"
    )
    options = parser.parse_args()
    if "single" not in options.skip:
        single_scan_throughput(
            options.duration, options.connections, not options.no_postgres, options.shipments
        )
    if "batch" not in options.skip:
        batch_throughput(batches=20, batch_size=500)
    if "units" not in options.skip:
        small = latency_with_units(options.small_units, options.latency_requests)
        large = latency_with_units(options.large_units, options.latency_requests)
        print(
            f"p50 latency, {options.small_units:,} units: {small:.2f} ms; "
            f"{options.large_units:,} units: {large:.2f} ms; ratio {large / small:.3f} "
            "(target <= 1.2)"
        )


if __name__ == "__main__":
    main()
    print(f"(run from {ROOT})")

"""One scan's cost as its shipment grows, in process, on the embedded database.

Scans one shipment up to each mark (filling with batches), then times single
scans there, as the scan endpoint sees them (Flask test client: auth,
interpretation, rules, storage, commit). The baseline is the same scan at the
first mark, in the same run; the target is a flat cost (<= 1.3x at 5,000
scans). `--profile` prints where the time of the scans at the last mark goes.

Run: .venv/bin/python benchmarks/shipment_growth.py [--marks 10,5000] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

from flask.testing import FlaskClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from service_runner import ROOT, prepare

GS = "\x1d"
GTIN = "00300241535027"  # NDC 0024-1535-02, in the bundled directory sample
TARGET = 1.3
BATCH = 500


def scan(serial: str) -> str:
    return f"]d201{GTIN}1730123110LOT42{GS}21{serial}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--marks", default="10,500,2000,5000")
    parser.add_argument("--timed", type=int, default=50, help="single scans timed per mark")
    parser.add_argument("--profile", action="store_true")
    options = parser.parse_args()
    marks = [int(mark) for mark in options.marks.split(",")]

    env, token = prepare(Path(tempfile.mkdtemp()))
    os.environ.update(env)
    from inspect_svc.app import create_app

    client = create_app().test_client()
    headers = {"Authorization": f"Bearer {token}"}
    warm_up = _new_shipment(client, headers, "WARM-UP")
    for n in range(options.timed):  # compile and cache every statement first
        body = {"raw": scan(f"W{n:07d}"), "idempotency_key": f"warm-{n}"}
        assert client.post(warm_up, json=body, headers=headers).status_code == 201
    url = _new_shipment(client, headers, "GROWTH-1")
    scanned = 0
    medians: dict[int, float] = {}
    profile = cProfile.Profile()
    for mark in marks:
        while scanned < mark - options.timed // 2:
            size = min(BATCH, mark - options.timed // 2 - scanned)
            batch = [{"raw": scan(f"S{scanned + n:07d}")} for n in range(size)]
            response = client.post(
                url,
                json={"scans": batch},
                headers={**headers, "Idempotency-Key": f"fill-{scanned}"},
            )
            assert response.status_code in (200, 201), response.get_json()
            scanned += size
        timings = []
        for _ in range(options.timed):
            body = {"raw": scan(f"S{scanned:07d}"), "idempotency_key": f"one-{scanned}"}
            start = time.perf_counter()
            response = client.post(url, json=body, headers=headers)
            timings.append(time.perf_counter() - start)
            assert response.status_code == 201, response.get_json()
            scanned += 1
        medians[mark] = statistics.median(timings) * 1000
        ratio = medians[mark] / medians[marks[0]]
        print(
            f"{mark:6,d} scans in the shipment: median {medians[mark]:6.2f} ms per scan, "
            f"{ratio:.2f}x the cost at {marks[0]:,} (target <= {TARGET})"
        )
    if options.profile:  # further scans at the last mark, outside the timed ones
        profile.enable()
        for _ in range(options.timed):
            body = {"raw": scan(f"S{scanned:07d}"), "idempotency_key": f"one-{scanned}"}
            assert client.post(url, json=body, headers=headers).status_code == 201
            scanned += 1
        profile.disable()
        print_time_by_package(pstats.Stats(profile), options.timed)


def print_time_by_package(stats: pstats.Stats, scans: int) -> None:
    """Own time of the profiled scans per package (sqlalchemy, flask, the service ...)."""
    by_package: dict[str, float] = {}
    for (filename, _line, function), row in stats.stats.items():  # type: ignore[attr-defined]
        own_time = row[2]
        if "site-packages/" in filename:
            package = filename.split("site-packages/")[1].split("/")[0].removesuffix(".py")
        elif "/work/" in filename or filename.startswith(str(ROOT)):
            package = (
                Path(filename).relative_to(ROOT).parts[0]
                if filename.startswith(str(ROOT))
                else filename
            )
        elif filename == "~":  # C functions: the sqlite3 driver's apart from the rest
            package = "sqlite3 (C)" if "sqlite3" in function else "builtins (C)"
        else:
            package = "stdlib:" + Path(filename).stem
        by_package[package] = by_package.get(package, 0.0) + own_time
    total = sum(by_package.values())
    print(f"profile: {total / scans * 1000:.2f} ms per scan (profiler overhead included)")
    for package, seconds in sorted(by_package.items(), key=lambda kv: -kv[1])[:15]:
        print(f"  {package:<32} {seconds / total:6.1%}")


def _new_shipment(client: FlaskClient, headers: dict[str, str], entry_number: str) -> str:
    """Create a shipment; return its scans URL."""
    created = client.post(
        "/api/v1/shipments",
        json={
            "entry_number": entry_number,
            "port_code": "2704",
            "mode": "air",
            "origin_country": "US",
            "manufacturer": {"name": "sanofi-aventis U.S. LLC", "country": "US"},
            "declared_lines": [{"ndc": "0024-1535-02", "quantity": 100_000}],
        },
        headers=headers,
    )
    assert created.status_code == 201, created.get_json()
    return f"/api/v1/shipments/{created.get_json()['id']}/scans"


if __name__ == "__main__":
    main()

"""Benchmark: pack-scan latency on a shipment with a 50,000-pack EPCIS hierarchy vs one without.

The service runs in process (``create_app`` and Flask's test client, so every
scan goes through the whole request: authentication, interpretation, unit and
shipment rules, R17/R18 with the EPCIS look-ups and R18c's counts, storage and
the response) on one SQLite file with the bundled reference sample. Two
shipments declare the same NDC; the shipper's document (the one
benchmarks/epcis_ingest.py builds) is attached to the first through the API.
Scans alternate between the shipments, so both see the same database and the
same warm-up; the first scan of each is left out. The script prints median and
p95 of each and their ratio (target: at most 1.3x).
Run: .venv/bin/python benchmarks/epcis_scan.py [--packs 50000] [--scans 300]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from flask.testing import FlaskClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from epcis_ingest import PACK_ITEM, PREFIX, write_json

from inspect_core.ndc import gs1_check_digit
from inspect_svc.app import create_app
from inspect_svc.auth import ensure_user, issue_token
from inspect_svc.db import db
from inspect_svc.migrate import upgrade
from inspect_svc.reference.sample import load_bundled_sample
from inspect_svc.settings import load_settings

GS = "\x1d"
TARGET = 1.3


def pack_gtin() -> str:
    body = "0" + PREFIX + PACK_ITEM[1:]
    return body + str(gs1_check_digit(body))


def scan(serial: str, lot: str) -> str:
    return f"]d201{pack_gtin()}1730123110{lot}{GS}21{serial}"


def new_shipment(client: FlaskClient, headers: dict[str, str], number: int) -> int:
    response = client.post(
        "/api/v1/shipments",
        json={
            "entry_number": f"EPCIS-BENCH-{number}",
            "port_code": "2704",
            "mode": "air",
            "origin_country": "US",
            "manufacturer": {"name": "Example Manufacturer", "country": "US"},
            "declared_lines": [{"ndc": "0591-0503-01", "quantity": 50000}],
        },
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    shipment_id: int = response.get_json()["id"]
    return shipment_id


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packs", type=int, default=50_000)
    parser.add_argument("--scans", type=int, default=300, help="scans per shipment")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        upgrade(url)
        settings = load_settings(environ={}).replace(
            database={"url": url},
            server={"instance_path": f"{tmp}/instance", "secret_key": "benchmark"},
        )
        app = create_app(settings)
        with app.app_context():
            list(load_bundled_sample(db.engine))
            with db.session_scope() as session:
                token = issue_token(session, ensure_user(session, "bench", "inspector"), "isv_")
        headers = {"Authorization": f"Bearer {token}"}
        client = app.test_client()
        with_data, without = new_shipment(client, headers, 1), new_shipment(client, headers, 2)

        document = Path(tmp) / "doc.jsonld"
        write_json(document, args.packs)
        started = time.perf_counter()
        attached = client.post(
            f"/api/v1/shipments/{with_data}/epcis",
            data=document.read_bytes(),
            headers={**headers, "Content-Type": "application/ld+json"},
        )
        assert attached.status_code == 201, attached.get_json()
        print(f"attached {attached.get_json()['expected']} in "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip

        timings: dict[int, list[float]] = {with_data: [], without: []}
        stride = max(1, args.packs // (args.scans + 1))
        for n in range(args.scans + 1):
            # an expected pack (its lot: commissioned in lots of 5,000) / a pack of no document
            serial = n * stride
            for shipment_id, raw in (
                (with_data, scan(f"P{serial}", f"L{serial // 5000}")),
                (without, scan(f"Q{n}", "L0")),
            ):
                started = time.perf_counter()
                response = client.post(
                    f"/api/v1/shipments/{shipment_id}/scans", json={"raw": raw}, headers=headers
                )
                elapsed = time.perf_counter() - started
                assert response.status_code == 201, response.get_json()
                if n:
                    timings[shipment_id].append(elapsed * 1e3)

        seen = client.get(f"/api/v1/shipments/{with_data}/contents", headers=headers).get_json()
        assert seen["missing_count"] == args.packs - args.scans - 1, seen["missing_count"]
        medians = {k: statistics.median(v) for k, v in timings.items()}
        p95s = {k: percentile(v, 0.95) for k, v in timings.items()}
        for label, key in ((f"with {args.packs:,}-pack hierarchy", with_data),
                           ("without EPCIS data", without)):  # fmt: skip
            print(f"{label:28} median {medians[key]:6.2f} ms  p95 {p95s[key]:6.2f} ms "
                  f"({len(timings[key])} scans)")  # fmt: skip
        ratio, ratio_p95 = medians[with_data] / medians[without], p95s[with_data] / p95s[without]
        verdict = "met" if ratio <= TARGET else "NOT met"
        print(f"ratio with/without: median {ratio:.2f}x, p95 {ratio_p95:.2f}x "
              f"(target <= {TARGET}x on the median: {verdict})")  # fmt: skip
        db.dispose()


if __name__ == "__main__":
    main()

"""Two gunicorn "hosts" on one PostgreSQL database, many threads scanning the same serials."""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from sqlalchemy import text

from inspect_svc.db import make_engine
from tests.conftest import empty_postgres
from tests.live import LiveService
from tests.triage.conftest import QUINIDINE_GTIN, pack

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

THREADS = 8
SERIALS = [f"RACE{n:03d}" for n in range(25)]
SHIPMENTS = 4


@pytest.fixture
def two_hosts(postgres_migrated: str, tmp_path: Path) -> list[LiveService]:
    first = LiveService(postgres_migrated, tmp_path / "host-a", workers=2)
    first.initialise()
    second = LiveService(postgres_migrated, tmp_path / "host-b", workers=2, tokens=first.tokens)
    hosts = [first, second]
    try:
        for host in hosts:
            host.start()
        yield hosts
    finally:
        for host in hosts:
            host.stop()
        empty_postgres(postgres_migrated)


def test_same_serials_from_two_hosts_yield_one_first_sighting_each(
    two_hosts: list[LiveService], postgres_migrated: str
) -> None:
    shipments = [
        two_hosts[0].create_shipment(entry_number=f"RACE-{n}")["id"] for n in range(SHIPMENTS)
    ]

    def scan_all(worker: int) -> list[int]:
        host = two_hosts[worker % 2]
        shipment = shipments[worker % SHIPMENTS]
        statuses = []
        with requests.Session() as http:
            for serial in SERIALS:
                key = f"w{worker}-{serial}"
                for _attempt in range(2):  # every scan is retried once with the same key
                    response = http.post(
                        f"{host.base_url}/api/v1/shipments/{shipment}/scans",
                        json={"raw": pack(QUINIDINE_GTIN, serial), "idempotency_key": key},
                        headers=host.headers("inspector"),
                        timeout=60,
                    )
                    statuses.append(response.status_code)
        return statuses

    with ThreadPoolExecutor(THREADS) as pool:
        statuses = list(itertools.chain.from_iterable(pool.map(scan_all, range(THREADS))))

    assert len(statuses) == THREADS * len(SERIALS) * 2
    assert set(statuses) <= {200, 201}, sorted(set(statuses))
    engine = make_engine(postgres_migrated)
    try:
        with engine.connect() as connection:
            scans = connection.scalar(text("SELECT count(*) FROM scan"))
            units = connection.scalar(text("SELECT count(*) FROM unit"))
            firsts = connection.execute(
                text("SELECT serial, count(*) FROM scan WHERE NOT duplicate GROUP BY serial")
            ).all()
            unit_first_scans = connection.scalar(
                text(
                    "SELECT count(*) FROM unit JOIN scan ON scan.id = unit.first_scan_id "
                    "AND NOT scan.duplicate"
                )
            )
            clones = connection.scalar(
                text(
                    "SELECT count(DISTINCT scan_id) FROM finding WHERE rule = 'R9' "
                    "AND scan_id IS NOT NULL"
                )
            )
    finally:
        engine.dispose()
    assert scans == THREADS * len(SERIALS)  # retries stored nothing new, nothing was lost
    assert units == len(SERIALS)
    assert sorted(firsts) == [(serial, 1) for serial in SERIALS]
    assert unit_first_scans == len(SERIALS)
    # Every scan in a shipment other than the unit's first one is a clone.
    assert clones is not None and clones >= len(SERIALS) * (SHIPMENTS - 1)

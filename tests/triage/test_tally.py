"""The stored shipment tally equals the tally computed from the shipment's scans.

Scans arrive through the API, one by one and in batches, in an order that
makes serial runs start, grow, join and compete; the rows kept scan by scan
must equal `rules.tally.tally_scans` over what is stored. The migration that
introduced the tally counts existing scans the same way.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, select, text

from inspect_core.interpret import Interpretation
from inspect_svc.db import db
from inspect_svc.migrate import upgrade
from inspect_svc.models.tally import ShipmentLot, ShipmentSerialRun
from inspect_svc.models.triage import Scan
from inspect_svc.triage.tally import load_tally
from rules.context import ScanSummary
from rules.tally import ShipmentTally, serial_runs, tally_scans
from tests.triage.conftest import QUINIDINE_GTIN, pack

OTHER_GTIN = "00305910503018"  # NDC 0591-0503-01


def _scans(seed: int) -> list[str]:
    rng = random.Random(seed)
    scans = [pack(QUINIDINE_GTIN, f"SN{n:04d}") for n in (5, 7, 6, 1, 2, 9, 3)]  # runs join
    scans += [pack(QUINIDINE_GTIN, f"SN{n:04d}", lot="LOT43") for n in range(1, 5)]
    scans += [pack(OTHER_GTIN, f"{rng.randrange(10**11, 10**12)}") for _ in range(6)]
    scans += [pack(QUINIDINE_GTIN, "SN0005"), pack(QUINIDINE_GTIN, "SN0002", lot="LOT43")]
    scans += [pack(OTHER_GTIN, "X9Q2LM"), "0591-0503-01", "not a barcode", pack(OTHER_GTIN, "7")]
    scans += [pack(OTHER_GTIN, f"AB{n:03d}") for n in (10, 12, 11)]  # a second run shape
    rng.shuffle(scans)
    return scans


def _expected() -> ShipmentTally:
    rows = db.session.execute(
        select(Scan.id, Scan.raw, Scan.gtin, Scan.ndc10, Scan.lot, Scan.serial)
    ).all()
    return tally_scans(
        ScanSummary(
            row.id,
            Interpretation(
                raw=row.raw, gtin=row.gtin, ndc10=row.ndc10, lot=row.lot, serial=row.serial
            ),
            None,
        )
        for row in rows
    )


def test_the_tally_kept_scan_by_scan_equals_the_tally_of_the_stored_scans(
    app: Flask,
    client: FlaskClient,
    auth: Callable[[str], dict[str, str]],
    new_shipment: Callable[..., int],
) -> None:
    shipment_id = new_shipment()
    scans = _scans(seed=7)
    url = f"/api/v1/shipments/{shipment_id}/scans"
    position = 0
    for size in (1, 5, 1, 1, 9, 2, 1, 100):
        chunk = scans[position : position + size]
        position += size
        if not chunk:
            break
        body = {"raw": chunk[0]} if size == 1 else {"scans": [{"raw": raw} for raw in chunk]}
        response = client.post(url, json=body, headers=auth("inspector"))
        assert response.status_code in (200, 201), response.get_json()
    with app.app_context():
        stored = load_tally(db.session, shipment_id, lambda _ndc10: None)
        expected = _expected()
    assert stored == expected
    assert stored.scan_count == len(scans)
    longest = {(lot.gtin, lot.lot): lot.longest_run for lot in stored.lots if lot.longest_run}
    # Whether SN0002 counts in LOT42 or LOT43 depends on which scan of it came first.
    assert longest[(QUINIDINE_GTIN, "LOT42")].serials() in (
        ["SN0001", "SN0002", "SN0003"],
        ["SN0005", "SN0006", "SN0007"],
    )


def test_the_migration_counts_existing_scans(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    upgrade(url, "0012_epcis")
    engine = create_engine(url)
    serials = ["A0003", "A0001", "A0002", "A0001", "Z9", "A0007"]
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO shipment (id, entry_number, port_code, mode, origin_country, parties,"
                " status, risk_score, recommendation, findings, reference_as_of, related_entries,"
                " created_at,"
                " updated_at) VALUES (1, 'OLD-1', '2704', 'air', 'US', '{}', 'open', 0,"
                " 'release', '[]', '{}', '[]', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            )
        )
        for n, serial in enumerate(serials, start=1):
            connection.execute(
                text(
                    "INSERT INTO scan (id, shipment_id, idempotency_key, request_digest, raw,"
                    " received_at, interpretation, gtin, ndc10, serial, lot, duplicate, verdict,"
                    " score, findings, ruleset_version, reference_as_of) VALUES (:id, 1, :key,"
                    " '', 'raw', '2026-01-01 00:00:00', '{}', :gtin, '0002140701', :serial,"
                    " 'LOT1', 0, 'green', 0, '[]', 'v', '{}')"
                ),
                {"id": n, "key": f"k{n}", "gtin": QUINIDINE_GTIN, "serial": serial},
            )
    upgrade(url, "head")
    with engine.connect() as connection:
        lot = connection.execute(select(ShipmentLot)).one()
        runs = connection.execute(
            select(ShipmentSerialRun.prefix, ShipmentSerialRun.first, ShipmentSerialRun.last)
        ).all()
    engine.dispose()
    assert (lot.scans, lot.packs, lot.unserialised) == (6, 5, 0)
    assert (lot.run_prefix, lot.run_first, lot.run_last) == ("A", 1, 3)
    assert sorted(runs) == sorted(
        (run.prefix, run.first, run.last) for run in serial_runs(set(serials))
    )

"""Benchmark: case exports (CSV, JSON Lines, EPCIS) from a bulk-filled SQLite database.

Each case has one declared line, two scans, one finding, one decision and
two audit events. Every format is exported end to end through the CLI's
paging (`FullExport`) into a byte counter; the script prints cases/s and the
peak Python heap (tracemalloc) of the export.
Run: .venv/bin/python benchmarks/export.py [--cases N] [--db PATH]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from inspect_svc.cases.exports.stream import FORMATS, FullExport
from inspect_svc.db import make_engine
from inspect_svc.migrate import upgrade

NAMESPACE = "https://inspect-svc.example.org/epcis/"
CHUNK = 5000


def _rows(start: int, stop: int, now: str) -> dict[str, list[dict[str, object]]]:
    interp = {
        "format": "gs1",
        "gtin": "00300021407018",
        "ndc": "0002-1407-01",
        "valid": True,
        "errors": [],
        "warnings": [],
    }
    rows: dict[str, list[dict[str, object]]] = {
        k: [] for k in ("shipment", "declared_line", "scan", "finding", "decision", "audit_event")
    }
    for i in range(start, stop):
        rows["shipment"].append({"id": i, "entry": f"{i:011d}", "now": now, "seq": 2 * i + 1})
        rows["declared_line"].append({"sid": i})
        for n in (0, 1):
            rows["scan"].append(
                {
                    "id": 2 * i + n,
                    "sid": i,
                    "key": f"k{2 * i + n}",
                    "serial": f"SN{i}-{n}",
                    "interp": json.dumps(interp),
                    "now": now,
                }
            )
        rows["finding"].append({"sid": i, "scan": 2 * i, "now": now})
        rows["decision"].append({"id": i, "sid": i, "now": now})
        for n in (0, 1):
            seq = 2 * i + n
            rows["audit_event"].append({"seq": seq, "sid": i, "hash": f"{seq:064x}", "now": now})
    return rows


INSERTS = {
    "shipment": "INSERT INTO shipment (id, entry_number, port_code, mode, origin_country, parties,"
    " status, risk_score, recommendation, ruleset_version, findings, reference_as_of, created_at,"
    " updated_at, change_seq) VALUES (:id, :entry, '2704', 'air', 'IN',"
    " '{\"manufacturer\": {\"name\": \"Acme\"}}', 'exam', 60.0, 'exam', 'bench', '[]', '{}',"
    " :now, :now, :seq)",
    "declared_line": "INSERT INTO declared_line (shipment_id, line_number, ndc, ndc10, quantity,"
    " lots) VALUES (:sid, 1, '0002-1407-01', '0002140701', 10, '[]')",
    "scan": "INSERT INTO scan (id, shipment_id, idempotency_key, request_digest, raw, received_at,"
    " interpretation, gtin, serial, lot, duplicate, verdict, score, findings, ruleset_version,"
    " reference_as_of) VALUES (:id, :sid, :key, '', 'raw', :now, :interp, '00300021407018',"
    " :serial, 'LOT1', 0, 'amber', 25.0, '[]', 'bench', '{}')",
    "finding": "INSERT INTO finding (shipment_id, scan_id, rule, severity, weight, message,"
    " evidence, created_at) VALUES (:sid, :scan, 'R9', 'high', 50.0, 'cloned', '{}', :now)",
    "decision": "INSERT INTO decision (id, shipment_id, action, reason_codes, actor_name, role,"
    " decided_at, recommendation_at_decision, risk_score_at_decision, findings_at_decision,"
    " ruleset_version, override) VALUES (:id, :sid, 'exam', '[\"other\"]', 'bench', 'officer',"
    " :now, 'exam', 60.0, '[]', 'bench', 0)",
    "audit_event": "INSERT INTO audit_event (seq, occurred_at, actor, action, subject, shipment_id,"
    " payload, payload_digest, prev_hash, hash) VALUES (:seq, :now, 'bench', 'bench', 'bench',"
    " :sid, '{}', '', '', :hash)",
}


def fill(engine: Engine, cases: int) -> None:
    now = datetime.now(UTC).isoformat(sep=" ")
    with engine.begin() as connection:
        for start in range(1, cases + 1, CHUNK):
            rows = _rows(start, min(start + CHUNK, cases + 1), now)
            for table, sql in INSERTS.items():
                connection.execute(text(sql), rows[table])


def run(engine: Engine, fmt: str, trace: bool) -> tuple[int, int, float, int]:
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    size = 0
    with Session(engine) as session:
        export = FullExport(session, fmt, 0, NAMESPACE, 1000)
        for chunk in export.chunks():
            size += len(chunk.encode())
    elapsed = time.perf_counter() - started
    peak = 0
    if trace:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return export.cases, size, elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "bench.sqlite3"
        url = f"sqlite:///{path}"
        upgrade(url)
        engine = make_engine(url)
        started = time.perf_counter()
        fill(engine, args.cases)
        print(f"filled {args.cases} cases in {time.perf_counter() - started:.1f}s")
        for fmt in FORMATS:
            cases, size, elapsed, _ = run(engine, fmt, trace=False)
            _, _, _, peak = run(engine, fmt, trace=True)
            print(
                f"{fmt:6} {cases} cases  {cases / elapsed:8.0f} cases/s  "
                f"{size / 1e6:7.1f} MB out  peak heap {peak / 1e6:6.1f} MB"
            )
        engine.dispose()


if __name__ == "__main__":
    main()

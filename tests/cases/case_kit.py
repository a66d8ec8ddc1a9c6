"""Build cases directly with the ORM, and tamper with append-only tables on purpose."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session

from inspect_svc.audit import EventInput, append_events
from inspect_svc.models.triage import Assessment, DeclaredLine, Finding, Scan, Shipment
from inspect_svc.triage.assessments import assessed_event
from inspect_svc.triage.scans import scan_stored_event

APPEND_ONLY_TABLES = ("audit_event", "decision", "assessment")
SQLITE_TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS {table}_no_{op} BEFORE {OP} ON {table} "
    "BEGIN SELECT RAISE(ABORT, '{table} is append-only: {OP} refused'); END"
)
_keys = itertools.count(1)

# (gtin, serial, hyphenated ndc or None, lot)
Unit = tuple[str, str, str | None, str]
DEFAULT_UNITS: tuple[Unit, ...] = (
    ("00300021407018", "SN0001", "0002-1407-01", "LOT42"),
    ("00350458579307", "A/B&C", "50458-579-30", "LOT7"),
    ("08712345678906", "X1", None, "L1"),
)


def make_case(
    session: Session,
    *,
    entry_number: str = "00123456789",
    port_code: str = "2704",
    origin: str = "IN",
    recommendation: str = "exam",
    risk_score: float = 60.0,
    rules: Sequence[str] = ("R9_SERIAL_CLONED",),
    units: Sequence[Unit] = DEFAULT_UNITS,
    declared_ndcs: Sequence[str] = ("0002-1407-01",),
    manufacturer: str = "Acme Pharma",
    created_at: datetime | None = None,
    ruleset_version: str = "test-1",
) -> Shipment:
    """A shipment with scans, findings and an assessment as triage would leave it, audited."""
    now = created_at or datetime.now(UTC)
    shipment = Shipment(
        entry_number=entry_number,
        port_code=port_code,
        mode="air",
        origin_country=origin,
        parties={"manufacturer": {"name": manufacturer, "fei": None, "country": origin}},
        status="open",
        risk_score=risk_score,
        recommendation=recommendation,
        ruleset_version=ruleset_version,
        findings=[],
        reference_as_of={},
        created_at=now,
        updated_at=now,
    )
    for number, ndc in enumerate(declared_ndcs, start=1):
        shipment.declared_lines.append(
            DeclaredLine(line_number=number, ndc=ndc, ndc10=ndc.replace("-", ""), quantity=10)
        )
    session.add(shipment)
    session.flush()
    for gtin, serial, ndc, lot in units:
        shipment.scans.append(_scan(gtin, serial, ndc, lot, ruleset_version))
    session.flush()
    for rule in rules:
        session.add(
            Finding(
                shipment_id=shipment.id,
                scan_id=shipment.scans[0].id if shipment.scans else None,
                rule=rule,
                severity="high",
                weight=50.0,
                message=f"{rule} fired",
                evidence={},
            )
        )
    assessment = Assessment(
        shipment_id=shipment.id,
        cause="scan",
        risk_score=risk_score,
        recommendation=recommendation,
        findings=[],
        unit_findings=[{"rule": rule, "severity": "high", "weight": 50.0} for rule in rules],
        scan_count=len(units),
        ruleset_version=ruleset_version,
        reference_as_of={},
        created_at=now,
    )
    session.add(assessment)
    session.flush()
    shipment.assessment_id = assessment.id
    created = EventInput(
        actor="test",
        action="shipment.created",
        subject=f"shipment:{shipment.id}",
        shipment_id=shipment.id,
        payload={"entry_number": entry_number},
    )
    scanned = [scan_stored_event("test", scan) for scan in shipment.scans]
    append_events(session, [created, *scanned, assessed_event("test", assessment)])
    session.flush()
    return shipment


def _scan(gtin: str, serial: str, ndc: str | None, lot: str, ruleset: str) -> Scan:
    raw = f"]d201{gtin}21{serial}\x1d10{lot}"
    interpretation: dict[str, Any] = {
        "raw": raw,
        "symbology": "]d2",
        "format": "gs1",
        "gtin": gtin,
        "ndc10": ndc.replace("-", "") if ndc else None,
        "ndc": ndc,
        "serial": serial,
        "lot": lot,
        "expiry": "2027-03-31",
        "valid": True,
        "errors": [],
        "warnings": [],
    }
    return Scan(
        idempotency_key=f"test-{next(_keys)}",
        request_digest="0" * 64,
        raw=raw,
        interpretation=interpretation,
        gtin=gtin,
        serial=serial,
        lot=lot,
        ndc10=interpretation["ndc10"],
        verdict="amber",
        score=25.0,
        findings=[],
        ruleset_version=ruleset,
        received_at=datetime.now(UTC),
    )


def sqlite_triggers(connection: Connection, *, install: bool) -> None:
    for table in APPEND_ONLY_TABLES:
        for op in ("update", "delete"):
            if install:
                connection.exec_driver_sql(SQLITE_TRIGGER.format(table=table, op=op, OP=op.upper()))
            else:
                connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_no_{op}")


@contextmanager
def tampering(engine: Engine) -> Iterator[Connection]:
    """A transaction in which the append-only triggers do not fire (an attacker with DB access).

    PostgreSQL: `session_replication_role = replica` (superuser) skips
    ordinary triggers for this transaction only. SQLite: the triggers are
    dropped and put back after the transaction.
    """
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
        else:
            sqlite_triggers(connection, install=False)
        yield connection
        if engine.dialect.name != "postgresql":
            sqlite_triggers(connection, install=True)


def execute(engine: Engine, sql: str, **params: Any) -> None:
    with engine.begin() as connection:
        connection.execute(text(sql), params)

"""Record scans of a shipment: store, interpret, arbitrate first sightings, run the rules.

Each scan is stored under its idempotency key with an insert the database
arbitrates, so a retried or raced request returns the stored result and
stores nothing new. Units (GTIN + serial) are created the same way, which
gives exactly one first sighting per unit across workers and hosts.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_svc.audit import append_event
from inspect_svc.auth import Actor
from inspect_svc.interpret import Interpretation, interpret
from inspect_svc.models.triage import Scan, Shipment, Unit
from inspect_svc.problems import Problem
from inspect_svc.triage.facts import shipment_facts
from inspect_svc.triage.findings import store_findings
from inspect_svc.triage.runtime import TriageRuntime
from inspect_svc.triage.shipment_eval import evaluate_and_store_shipment
from inspect_svc.upsert import insert_if_absent
from rules.context import PriorSighting, ScanContext
from rules.engine import evaluate_unit

MAX_PRIOR_SIGHTINGS = 10
MAX_SERIAL_OR_LOT = 20


@dataclass(frozen=True)
class ScanInput:
    raw: str
    device_id: str | None = None
    idempotency_key: str | None = None
    scanned_at: datetime | None = None
    device_seq: int | None = None

    def digest(self, shipment_id: int) -> str:
        """What a replay must match: same shipment, same bytes, same device."""
        material = f"{shipment_id}\x00{self.device_id or ''}\x00{self.raw}"
        return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class RecordedScan:
    scan: Scan
    replayed: bool


def record_scans(
    session: Session,
    shipment: Shipment,
    inputs: Sequence[ScanInput],
    actor: Actor,
    runtime: TriageRuntime,
) -> list[RecordedScan]:
    """Store and triage `inputs` in order, then re-score the shipment; one transaction."""
    recorded = [_record_one(session, shipment, item, actor, runtime) for item in inputs]
    new_scans = [r.scan for r in recorded if not r.replayed]
    if new_scans:
        evaluate_and_store_shipment(session, shipment, runtime)
        for scan in new_scans:
            append_event(
                session,
                actor=actor.name,
                action="scan.stored",
                subject=f"scan:{scan.id}",
                shipment_id=shipment.id,
                payload={
                    "shipment_id": shipment.id,
                    "idempotency_key": scan.idempotency_key,
                    "raw": scan.raw,
                    "device_id": scan.device_id,
                    "verdict": scan.verdict,
                    "ruleset_version": scan.ruleset_version,
                },
            )
    return recorded


def _record_one(
    session: Session, shipment: Shipment, item: ScanInput, actor: Actor, runtime: TriageRuntime
) -> RecordedScan:
    key = item.idempotency_key or f"srv-{uuid.uuid4()}"
    digest = item.digest(shipment.id)
    interpretation = interpret(item.raw, runtime.interpret_options)
    values = {
        "shipment_id": shipment.id,
        "idempotency_key": key,
        "request_digest": digest,
        "raw": item.raw,
        "device_id": item.device_id,
        "device_seq": item.device_seq,
        "scanned_at": item.scanned_at,
        "received_at": datetime.now().astimezone(),
        "actor_id": actor.user_id,
        "interpretation": interpretation.to_dict(),
        "gtin": interpretation.gtin,
        "serial": _column_value(interpretation.serial),
        "lot": _column_value(interpretation.lot),
        "expiry": interpretation.expiry,
        "ndc10": interpretation.ndc10,
        "ndc": interpretation.ndc,
        "ruleset_version": runtime.policy.version,
        "reference_as_of": _as_of(runtime),
    }
    scan = insert_if_absent(session, Scan, values, ["idempotency_key"])
    if scan is None:  # a retry, or a concurrent request with the same key that won
        stored = _stored(session, key)
        if stored is None:  # pragma: no cover - the winner's row must be visible now
            raise RuntimeError(f"idempotency key {key} conflicted but no row is visible")
        return _replay(stored, shipment, digest)

    unit, first_seen = _arbitrate_unit(session, scan, shipment, interpretation)
    context = scan_context(session, scan, shipment, interpretation, runtime)
    result = evaluate_unit(context, runtime.policy)
    scan.unit_id = unit.id if unit else None
    scan.duplicate = unit is not None and not first_seen
    scan.score = result.score
    scan.verdict = result.verdict
    scan.findings = [f.to_dict() for f in result.findings]
    store_findings(session, shipment.id, scan.id, result.findings)
    session.flush()
    return RecordedScan(scan, replayed=False)


def _column_value(value: str | None) -> str | None:
    """Serial and lot columns hold valid GS1 values (at most 20 characters).

    A longer value is a reading error; it stays in full in the stored
    interpretation but takes no part in serial or lot matching.
    """
    return value if value is not None and len(value) <= MAX_SERIAL_OR_LOT else None


def _stored(session: Session, key: str) -> Scan | None:
    return session.scalar(select(Scan).where(Scan.idempotency_key == key))


def _replay(existing: Scan, shipment: Shipment, digest: str) -> RecordedScan:
    if existing.shipment_id != shipment.id or existing.request_digest != digest:
        raise Problem(
            409,
            f"Idempotency key {existing.idempotency_key!r} was already used for a different scan.",
            problem="idempotency-key-reused",
            errors={"idempotency_key": ["already used with a different body or shipment"]},
        )
    return RecordedScan(existing, replayed=True)


def _as_of(runtime: TriageRuntime) -> dict[str, Any]:
    return {
        name: status.as_of.isoformat() if status.as_of else None
        for name, status in runtime.reference.datasets().items()
    }


def _arbitrate_unit(
    session: Session, scan: Scan, shipment: Shipment, interpretation: Interpretation
) -> tuple[Unit | None, bool]:
    """The unit this scan identifies and whether this scan is its first sighting."""
    gtin, serial = interpretation.gtin, interpretation.serial
    if not gtin or not serial or "gtin_check_digit" in interpretation.errors:
        return None, False
    if "separator_missing" in interpretation.errors or len(serial) > MAX_SERIAL_OR_LOT:
        return None, False
    unit = insert_if_absent(
        session,
        Unit,
        {
            "gtin": gtin,
            "serial": serial,
            "first_scan_id": scan.id,
            "first_shipment_id": shipment.id,
            "first_lot": _column_value(interpretation.lot),
            "first_expiry": interpretation.expiry,
            "first_seen_at": scan.received_at,
        },
        ["gtin", "serial"],
    )
    if unit is not None:
        return unit, True
    unit = session.scalar(select(Unit).where(Unit.gtin == gtin, Unit.serial == serial))
    return unit, False


def scan_context(
    session: Session,
    scan: Scan,
    shipment: Shipment,
    interpretation: Interpretation,
    runtime: TriageRuntime,
    *,
    earlier_only: bool = False,
) -> ScanContext:
    """The facts the unit rules see for `scan`.

    Live triage compares with every other stored scan (a concurrent scan of
    the same serial that committed first counts); a replay compares only
    with scans stored before this one, as the inspector would have seen it.
    """
    reference = runtime.reference
    products = reference.products_for(interpretation.ndc10) if interpretation.ndc10 else ()
    recalls = (
        reference.recalls_for(interpretation.ndc10, interpretation.lot)
        if interpretation.ndc10
        else ()
    )
    prior: tuple[PriorSighting, ...] = ()
    in_shipment: tuple[PriorSighting, ...] = ()
    if interpretation.gtin and _column_value(interpretation.serial):
        rows = session.execute(
            select(Scan.id, Scan.shipment_id, Shipment.entry_number, Scan.lot, Scan.expiry)
            .join(Shipment, Shipment.id == Scan.shipment_id)
            .where(
                Scan.gtin == interpretation.gtin,
                Scan.serial == interpretation.serial,
                Scan.id < scan.id if earlier_only else Scan.id != scan.id,
            )
            .order_by(Scan.id)
            .limit(MAX_PRIOR_SIGHTINGS * 5)
        ).all()
        sightings = [
            PriorSighting(row.id, row.shipment_id, row.entry_number, row.lot, row.expiry)
            for row in rows
        ]
        prior = tuple(s for s in sightings if s.shipment_id != shipment.id)[:MAX_PRIOR_SIGHTINGS]
        in_shipment = tuple(s for s in sightings if s.shipment_id == shipment.id)[
            :MAX_PRIOR_SIGHTINGS
        ]
    lot_expiries: tuple[date, ...] = ()
    if interpretation.gtin and _column_value(interpretation.lot) and interpretation.expiry:
        lot_expiries = tuple(
            expiry
            for expiry in session.scalars(
                select(Scan.expiry)
                .where(
                    Scan.gtin == interpretation.gtin,
                    Scan.lot == interpretation.lot,
                    Scan.expiry.is_not(None),
                    Scan.expiry != interpretation.expiry,
                    Scan.id < scan.id if earlier_only else Scan.id != scan.id,
                )
                .distinct()
                .limit(5)
            ).all()
            if expiry is not None
        )
    return ScanContext(
        interpretation=interpretation,
        shipment=shipment_facts(shipment),
        inspection_date=runtime.today,
        policy=runtime.policy,
        datasets=reference.datasets(),
        product=products[0] if products else None,
        other_products=products[1:],
        recalls=recalls,
        prior_sightings=prior,
        shipment_sightings=in_shipment,
        lot_expiries=lot_expiries,
    )

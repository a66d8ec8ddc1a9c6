"""Record scans of a shipment: store, interpret, arbitrate first sightings, run the rules.

Scans are stored under their idempotency keys with one insert the database
arbitrates, so a retried or raced request returns the stored result and
stores nothing new. Units (GTIN + serial) are created the same way, which
gives exactly one first sighting per unit across workers and hosts. A batch
costs a fixed number of statements whatever its size; one scan is a batch
of one.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, tuple_, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from inspect_core.interpret import Interpretation
from inspect_core.interpret.codes import SEPARATOR_MISSING
from inspect_svc.actors import Actor
from inspect_svc.audit import EventInput, append_events
from inspect_svc.cases.reopen import reopen_if_stricter
from inspect_svc.cases.selectivity import update_lane
from inspect_svc.domain_errors import IdempotencyKeyReused
from inspect_svc.epcis.scan_facts import scan_facts
from inspect_svc.epcis.store import has_epcis
from inspect_svc.models.triage import Scan, Shipment, Unit
from inspect_svc.triage.assessments import assess, assessed_event
from inspect_svc.triage.entry_links import linked_shipment_ids
from inspect_svc.triage.facts import shipment_facts
from inspect_svc.triage.findings import raise_rule_weights, store_findings
from inspect_svc.triage.history import (
    MAX_SIGHTINGS,
    History,
    Pair,
    load_history,
    record_lot_expiries,
)
from inspect_svc.triage.lawful import declared_lawful_bases
from inspect_svc.triage.runtime import TriageRuntime
from inspect_svc.triage.shipment_eval import CountedRows
from inspect_svc.triage.tally import add_to_tally
from inspect_svc.upsert import insert_rows_if_absent
from rules.context import EpcisScanFacts, ScanContext, ShipmentFacts
from rules.engine import ScoredFinding, evaluate_unit

MAX_SERIAL_OR_LOT = 20


@dataclass(frozen=True)
class ScanInput:
    raw: str
    device_id: str | None = None
    idempotency_key: str | None = None
    scanned_at: datetime | None = None
    device_seq: int | None = None
    device_flags: tuple[str, ...] | list[str] = ()

    def digest(self, shipment_id: int) -> str:
        """What a replay must match: same shipment, same bytes, same device."""
        material = f"{shipment_id}\x00{self.device_id or ''}\x00{self.raw}"
        return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class ReadScan:
    """A scan and its interpretation, read before the transaction that records it."""

    input: ScanInput
    interpretation: Interpretation


def read_scans(runtime: TriageRuntime, inputs: Sequence[ScanInput]) -> list[ReadScan]:
    """Interpret each scan against the reference data (reads only)."""
    return [ReadScan(item, runtime.interpret(item.raw)) for item in inputs]


@dataclass(frozen=True)
class RecordedScan:
    scan: Scan
    replayed: bool


def record_scans(
    session: Session,
    shipment: Shipment,
    scans: Sequence[ReadScan],
    actor: Actor,
    runtime: TriageRuntime,
) -> list[RecordedScan]:
    """Store and triage `scans` in order, then re-assess the shipment; one transaction.

    A decided shipment whose new assessment is stricter than its decision is reopened.
    """
    inputs = [read.input for read in scans]
    interpretations = [read.interpretation for read in scans]
    keys = [item.idempotency_key or f"srv-{uuid.uuid4()}" for item in inputs]
    digests = [item.digest(shipment.id) for item in inputs]
    first_of_key: dict[str, int] = {}
    for index, key in enumerate(keys):
        first_of_key.setdefault(key, index)
    received_at = datetime.now(UTC)
    as_of = runtime.reference_as_of()
    rows = [
        _scan_row(
            shipment,
            inputs[i],
            keys[i],
            digests[i],
            interpretations[i],
            actor,
            runtime,
            received_at,
            as_of,
        )
        for i in sorted(first_of_key.values(), key=lambda i: keys[i])
    ]
    # The new scans come back as rows and are described by objects the session
    # does not track: they are written by Core statements only.
    inserted = {
        row.idempotency_key: Scan(**row._mapping)
        for row in insert_rows_if_absent(
            session, Scan, rows, ["idempotency_key"], returning=_SCAN_COLUMNS
        )
    }
    stored = _stored(session, [k for k in first_of_key if k not in inserted])

    recorded: list[RecordedScan] = []
    new: list[tuple[Scan, Interpretation]] = []
    for index, key in enumerate(keys):
        scan = inserted.get(key)
        if scan is not None and first_of_key[key] == index:
            recorded.append(RecordedScan(scan, replayed=False))
            new.append((scan, interpretations[index]))
        else:
            recorded.append(_replay(scan or stored[key], shipment, digests[index]))
    if new:
        counted = _triage(session, shipment, new, runtime)
        assessment = assess(session, shipment, runtime, "scan", counted)
        events = [scan_stored_event(actor.name, scan) for scan, _ in new]
        events.append(assessed_event(actor.name, assessment))
        reopened = reopen_if_stricter(session, shipment, assessment, actor.name)
        if reopened is not None:
            events.append(reopened)
        append_events(session, events)
        update_lane(
            session, shipment, assessment, runtime.policy, runtime.selectivity_secret, actor.name
        )
    return recorded


def _scan_row(
    shipment: Shipment,
    item: ScanInput,
    key: str,
    digest: str,
    interpretation: Interpretation,
    actor: Actor,
    runtime: TriageRuntime,
    received_at: datetime,
    as_of: dict[str, Any],
) -> dict[str, Any]:
    return {
        "shipment_id": shipment.id,
        "idempotency_key": key,
        "request_digest": digest,
        "raw": item.raw,
        "device_id": item.device_id,
        "device_seq": item.device_seq,
        "device_flags": sorted(set(item.device_flags)),
        "scanned_at": item.scanned_at,
        "received_at": received_at,
        "actor_id": actor.user_id,
        "interpretation": interpretation.to_dict(),
        "gtin": interpretation.gtin,
        # A read the device flagged as possibly incomplete names no unit and no lot.
        "serial": None if item.device_flags else column_value(interpretation.serial),
        "lot": None if item.device_flags else column_value(interpretation.lot),
        "expiry": interpretation.expiry,
        "ndc10": interpretation.ndc10,
        "ndc": interpretation.ndc,
        "sscc": interpretation.sscc,
        "ruleset_version": runtime.policy.version,
        "reference_as_of": as_of,
    }


def column_value(value: str | None) -> str | None:
    """Serial and lot columns hold valid GS1 values (at most 20 characters).

    A longer value is a reading error; it stays in full in the stored
    interpretation but takes no part in serial or lot matching.
    """
    return value if value is not None and len(value) <= MAX_SERIAL_OR_LOT else None


def _stored(session: Session, keys: list[str]) -> dict[str, Scan]:
    if not keys:
        return {}
    found = session.scalars(select(Scan).where(Scan.idempotency_key.in_(keys))).all()
    missing = set(keys) - {scan.idempotency_key for scan in found}
    if missing:  # pragma: no cover - a conflicting key's row must be visible
        raise RuntimeError(f"idempotency keys conflicted but no row is visible: {missing}")
    return {scan.idempotency_key: scan for scan in found}


def _replay(existing: Scan, shipment: Shipment, digest: str) -> RecordedScan:
    if existing.shipment_id != shipment.id or existing.request_digest != digest:
        raise IdempotencyKeyReused(
            f"Idempotency key {existing.idempotency_key!r} was already used for a different scan.",
            "idempotency_key",
        )
    return RecordedScan(existing, replayed=True)


def _triage(
    session: Session,
    shipment: Shipment,
    new: list[tuple[Scan, Interpretation]],
    runtime: TriageRuntime,
) -> CountedRows:
    """Arbitrate units, read history, run the unit rules, store their results and count the
    scans into the shipment's tally."""
    units, first_sightings = _arbitrate_units(session, shipment, new)
    record_lot_expiries(session, [scan for scan, _ in new])
    history = load_history(
        session,
        (pair for scan, _ in new if (pair := _pack(scan))),
        ((scan.gtin, scan.lot) for scan, _ in new if scan.gtin and scan.lot),
        ((shipment.id, scan.raw) for scan, i in new if SEPARATOR_MISSING in i.errors),
        linked=linked_shipment_ids(session, shipment),
    )
    facts = shipment_facts(shipment)
    attached = has_epcis(session, shipment.id)
    epcis = scan_facts(session, shipment.id, [scan for scan, _ in new], attached=attached)
    new_packs: set[int] = set()
    findings_of: dict[int | None, Sequence[ScoredFinding]] = {}
    outcomes: list[dict[str, Any]] = []
    for scan, interpretation in new:
        context = unit_context(
            scan.id,
            interpretation,
            shipment.id,
            facts,
            runtime,
            history,
            earlier_only=False,
            epcis=epcis.get(scan.id),
        )
        result = evaluate_unit(context, runtime.policy)
        pack = _pack(scan) if _eligible(interpretation) else None
        unit_id = units.get(pack) if pack else None
        outcome = {
            "unit_id": unit_id,
            "duplicate": unit_id is not None and scan.id not in first_sightings,
            "score": result.score,
            "verdict": result.verdict,
            "findings": [f.to_dict() for f in result.findings],
        }
        for column, value in outcome.items():
            set_committed_value(scan, column, value)
        outcomes.append({"scan_id": scan.id, **outcome})
        findings_of[scan.id] = result.findings
        if _first_in_shipment(scan, history):
            new_packs.add(scan.id)
    session.execute(_STORE_OUTCOME, outcomes)
    store_findings(session, shipment.id, findings_of)
    weights = raise_rule_weights(
        session, shipment.id, [f for found in findings_of.values() for f in found]
    )
    lots = add_to_tally(session, shipment.id, [scan for scan, _ in new], new_packs)
    return CountedRows(lots, weights, attached, facts)


# A scan's outcome, written with one statement for the batch (the scan objects are
# told the values directly, so the ORM does not write them again).
_SCAN = cast(Table, Scan.__table__)
_SCAN_COLUMNS = tuple(_SCAN.c.keys())
_STORE_OUTCOME = update(_SCAN).where(_SCAN.c.id == bindparam("scan_id"))


def _first_in_shipment(scan: Scan, history: History) -> bool:
    """No earlier scan of the shipment names this pack (GTIN + serial)."""
    earlier = history.sightings_of(scan.id, scan.gtin, scan.serial, earlier_only=True)
    return not any(sighting.shipment_id == scan.shipment_id for sighting in earlier)


def _pack(scan: Scan) -> Pair | None:
    return (scan.gtin, scan.serial) if scan.gtin and scan.serial else None


def _eligible(interpretation: Interpretation) -> bool:
    """A unit is only what a readable identifier names (valid GTIN, serial split with certainty)."""
    return not {"gtin_check_digit", "separator_missing"} & set(interpretation.errors)


def _arbitrate_units(
    session: Session, shipment: Shipment, new: list[tuple[Scan, Interpretation]]
) -> tuple[dict[Pair, int], set[int]]:
    """The unit id of each eligible scan's pack, and which scans are their unit's first
    sighting.

    Units are inserted in (GTIN, serial) order so that concurrent batches
    lock them in the same order and cannot deadlock.
    """
    candidates: dict[Pair, Scan] = {}
    for scan, interpretation in new:
        pack = _pack(scan)
        if pack and _eligible(interpretation):
            candidates.setdefault(pack, scan)
    rows = [
        {
            "gtin": gtin,
            "serial": serial,
            "first_scan_id": scan.id,
            "first_shipment_id": shipment.id,
            "first_lot": scan.lot,
            "first_expiry": scan.expiry,
            "first_seen_at": scan.received_at,
        }
        for (gtin, serial), scan in sorted(candidates.items())
    ]
    created = insert_rows_if_absent(
        session, Unit, rows, ["gtin", "serial"], returning=("id", "gtin", "serial", "first_scan_id")
    )
    units = {(u.gtin, u.serial): u.id for u in created}
    existing = [pack for pack in candidates if pack not in units]
    if existing:
        for unit in session.execute(_UNITS_OF, {"packs": existing}):
            units[(unit.gtin, unit.serial)] = unit.id
    return units, {u.first_scan_id for u in created}


_UNITS = cast(Table, Unit.__table__)
_UNITS_OF = select(_UNITS.c.id, _UNITS.c.gtin, _UNITS.c.serial).where(
    tuple_(_UNITS.c.gtin, _UNITS.c.serial).in_(bindparam("packs", expanding=True))
)


def unit_context(
    scan_id: int,
    interpretation: Interpretation,
    shipment_id: int,
    facts: ShipmentFacts,
    runtime: TriageRuntime,
    history: History,
    *,
    earlier_only: bool,
    epcis: EpcisScanFacts | None = None,
) -> ScanContext:
    """The facts the unit rules see for one scan.

    Live triage compares with every other stored scan (a concurrent scan of
    the same serial that committed first counts); a replay compares only
    with scans stored before this one, as the inspector would have seen it.
    """
    reference = runtime.reference
    ndc10 = interpretation.ndc10
    products = reference.products_for(ndc10) if ndc10 else ()
    serial, lot = column_value(interpretation.serial), column_value(interpretation.lot)
    sightings = history.sightings_of(
        scan_id, interpretation.gtin, serial, earlier_only=earlier_only
    )
    return ScanContext(
        interpretation=interpretation,
        shipment=facts,
        inspection_date=runtime.today,
        policy=runtime.policy,
        datasets=reference.datasets(),
        product=products[0] if products else None,
        other_products=products[1:],
        recalls=reference.recalls_for(ndc10, interpretation.lot) if ndc10 else (),
        prior_sightings=tuple(s for s in sightings if s.shipment_id != shipment_id)[:MAX_SIGHTINGS],
        shipment_sightings=tuple(s for s in sightings if s.shipment_id == shipment_id)[
            :MAX_SIGHTINGS
        ],
        lot_expiries=history.other_expiries(
            scan_id, interpretation.gtin, lot, interpretation.expiry, earlier_only=earlier_only
        ),
        lawful_bases=declared_lawful_bases(interpretation, facts, reference),
        same_raw_rescans=history.same_raw_rescans(
            scan_id, shipment_id, interpretation.raw, earlier_only=earlier_only
        ),
        epcis=epcis,
    )


def scan_stored_event(actor: str, scan: Scan) -> EventInput:
    """The audit event of a stored scan; `audit verify` compares the row with its payload."""
    return EventInput(
        actor=actor,
        action="scan.stored",
        subject=f"scan:{scan.id}",
        shipment_id=scan.shipment_id,
        payload={
            "shipment_id": scan.shipment_id,
            "idempotency_key": scan.idempotency_key,
            "raw": scan.raw,
            "device_id": scan.device_id,
            "verdict": scan.verdict,
            "ruleset_version": scan.ruleset_version,
        },
    )

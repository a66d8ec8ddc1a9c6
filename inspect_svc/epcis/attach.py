"""Attach a shipper's EPCIS document to a shipment: read, fold, store, audit, re-assess."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO

from sqlalchemy.orm import Session

from inspect_svc.audit import EventInput, append_events
from inspect_svc.auth import Actor
from inspect_svc.cases.reopen import reopen_if_stricter
from inspect_svc.cases.selectivity import update_lane
from inspect_svc.epcis.events import DocumentError, EventRecord, json_events, xml_events
from inspect_svc.epcis.hierarchy import fold
from inspect_svc.epcis.schema import check_document
from inspect_svc.epcis.store import ExpectedCounts, expected_counts, store_hierarchy
from inspect_svc.models.triage import Shipment
from inspect_svc.triage.assessments import assess, assessed_event
from inspect_svc.triage.runtime import TriageRuntime


def read_events(body: IO[bytes], xml: bool) -> Iterator[EventRecord]:
    """The document's events; JSON is parsed whole and schema-checked first (docs/epcis.md)."""
    if xml:
        return xml_events(body)
    try:
        document = json.loads(body.read())
    except (ValueError, UnicodeDecodeError) as exc:
        raise DocumentError(f"not valid JSON: {exc}", field_name="body") from exc
    check_document(document)
    return json_events(document)


def attach_epcis(
    session: Session,
    shipment: Shipment,
    body: IO[bytes],
    xml: bool,
    actor: Actor,
    runtime: TriageRuntime,
) -> tuple[ExpectedCounts, int]:
    """Store what the document says the shipment holds; (expected counts, events read)."""
    tree = fold(read_events(body, xml))
    store_hierarchy(session, shipment.id, tree)
    counts = expected_counts(session, shipment.id)
    attached = EventInput(
        actor=actor.name,
        action="shipment.epcis_attached",
        subject=f"shipment:{shipment.id}",
        shipment_id=shipment.id,
        payload={
            "format": "xml" if xml else "json",
            "events": tree.events,
            "items": len(tree.items),
            "expected": counts.to_dict(),
        },
    )
    assessment = assess(session, shipment, runtime, "epcis")
    events = [attached, assessed_event(actor.name, assessment)]
    reopened = reopen_if_stricter(session, shipment, assessment, actor.name)
    if reopened is not None:
        events.append(reopened)
    append_events(session, events)
    update_lane(
        session, shipment, assessment, runtime.policy, runtime.selectivity_secret, actor.name
    )
    return counts, tree.events

"""Attach a shipper's EPCIS document to a shipment: read and fold, then store, audit, re-assess.

The document is read (streamed) and folded before the shipment row is locked,
so a truckload's parse does not hold the lock, and a refused document never
touches the database.
"""

from __future__ import annotations

from typing import IO

from sqlalchemy.orm import Session

from inspect_svc.audit import EventInput, append_events
from inspect_svc.auth import Actor
from inspect_svc.cases.reopen import reopen_if_stricter
from inspect_svc.cases.selectivity import update_lane
from inspect_svc.epcis.events import DocumentError, xml_events
from inspect_svc.epcis.hierarchy import Hierarchy, fold
from inspect_svc.epcis.json_stream import JsonDocument
from inspect_svc.epcis.store import ExpectedCounts, expected_counts, has_epcis, store_hierarchy
from inspect_svc.epcis.tally import recount
from inspect_svc.models.triage import Shipment
from inspect_svc.triage.assessments import assess, assessed_event
from inspect_svc.triage.runtime import TriageRuntime


def read_document(body: IO[bytes], xml: bool, max_depth: int) -> Hierarchy:
    """The items the document describes, streamed from ``body`` (docs/epcis.md).

    ``max_depth`` bounds the nesting of a JSON document. Raises ``DocumentError``.
    """
    if xml:
        return fold(xml_events(body))
    document = JsonDocument(body, max_depth)
    try:
        return fold(document.events())
    except DocumentError:
        document.check_rest()  # a syntax or schema error further on is reported first
        raise


def attach_epcis(
    session: Session,
    shipment: Shipment,
    tree: Hierarchy,
    xml: bool,
    actor: Actor,
    runtime: TriageRuntime,
) -> ExpectedCounts:
    """Store what a read document says the shipment holds; its expected counts."""
    store_hierarchy(session, shipment.id, tree)
    if has_epcis(session, shipment.id):
        recount(session, shipment.id)
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
    return counts

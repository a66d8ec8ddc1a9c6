"""EPCIS 2.0 JSON-LD export: one EPCISDocument whose events describe inspected packs.

Per case with identified packs (scans carrying GTIN and serial), the event
list holds one ObjectEvent (action OBSERVE) for the inspection, then one per
decision, oldest first, mapped to CBV terms as in docs/identifiers.md §3.1:

| state | bizStep | disposition | persistentDisposition |
|---|---|---|---|
| inspected, no rule fired | inspecting | in_progress | |
| inspected, rules fired | inspecting | non_conformant | |
| decision exam | inspecting | in_progress | |
| decision detain | holding | non_sellable_other | set non_sellable_other |
| decision release | inspecting | conformant | unset non_sellable_other |

After the inspection event come the shipper's aggregation events the decision
was made on: one AggregationEvent (action OBSERVE, bizStep inspecting) per
case or pallet the inspection touched (its label scanned, or an item in it),
with its children as the shipper's EPCIS data lists them, as Digital Link URIs
(docs/epcis.md).

Cases without an identified pack have no EPCIS event. Extension fields use
the prefix `isv`, bound in `@context` to the `export.epcis_namespace`
setting; `isv:epcMethods` lists, aligned with `epcList`, how each EPC was
built (see `epc.py`). Event ids are name-based UUIDs of the case state, so
exporting the same state twice yields the same `eventID`.

The document is streamed: its head, then one event at a time, then its tail.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from inspect_svc.cases.exports.epc import EpcUri, pack_epc
from inspect_svc.cases.exports.records import CaseRecord
from inspect_svc.models.case import Decision

CONTENT_TYPE = "application/ld+json"
EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
PREFIX = "isv"
NON_SELLABLE = "non_sellable_other"
DECISION_EVENTS: dict[str, dict[str, Any]] = {
    "exam": {"bizStep": "inspecting", "disposition": "in_progress"},
    "detain": {
        "bizStep": "holding",
        "disposition": NON_SELLABLE,
        "persistentDisposition": {"set": [NON_SELLABLE]},
    },
    "release": {
        "bizStep": "inspecting",
        "disposition": "conformant",
        "persistentDisposition": {"unset": [NON_SELLABLE]},
    },
}
REGULATORY_ACTION = {"exam": "EXAM", "detain": "DETAINED", "release": "RELEASED"}


def epcis_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _term(name: str) -> str:
    return f"{PREFIX}:{name}"


def case_epcs(case: CaseRecord) -> list[EpcUri]:
    """One EPC per distinct pack (GTIN + serial) scanned in the case, in scan order."""
    seen: dict[tuple[str, str], EpcUri] = {}
    for scan in case.scans:
        if scan.gtin and scan.serial and (scan.gtin, scan.serial) not in seen:
            seen[(scan.gtin, scan.serial)] = pack_epc(scan.gtin, scan.serial, scan.interpretation)
    return list(seen.values())


class EpcisWriter:
    """Builds the events of cases for one namespace."""

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace

    def _event_id(self, name: str) -> str:
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, self.namespace + name)}"

    def _common(self, case: CaseRecord, epcs: list[EpcUri], when: datetime) -> dict[str, Any]:
        shipment = case.shipment
        return {
            "type": "ObjectEvent",
            "eventTime": epcis_time(when),
            "eventTimeZoneOffset": "+00:00",
            "action": "OBSERVE",
            "epcList": [e.uri for e in epcs],
            "readPoint": {"id": f"{self.namespace}loc/port/{quote(shipment.port_code, safe='')}"},
            "bizTransactionList": self._transactions(case),
            _term("caseId"): str(shipment.id),
            _term("epcMethods"): [e.method for e in epcs],
        }

    def _transactions(self, case: CaseRecord) -> list[dict[str, str]]:
        """The entry, its related entries and the transport document (CBV `bol` type)."""
        shipment = case.shipment
        entries = [(_term("cbpEntry"), shipment.entry_number)]
        entries += [(_term("relatedCbpEntry"), n) for n in shipment.related_entries or ()]
        transactions = [
            {"type": kind, "bizTransaction": f"{self.namespace}entry/{quote(n, safe='')}"}
            for kind, n in entries
        ]
        if shipment.transport_document:
            document = quote(shipment.transport_document, safe="")
            transactions.append(
                {"type": "bol", "bizTransaction": f"{self.namespace}transport/{document}"}
            )
        return transactions

    def inspection_event(self, case: CaseRecord, epcs: list[EpcUri]) -> dict[str, Any]:
        last_scan = case.scans[-1]
        rules = case.rules_fired
        event = self._common(case, epcs, last_scan.scanned_at or last_scan.received_at)
        event["eventID"] = self._event_id(f"case/{case.shipment.id}/inspection/{last_scan.id}")
        event["bizStep"] = "inspecting"
        event["disposition"] = "non_conformant" if rules else "in_progress"
        event[_term("ruleHits")] = rules
        event[_term("riskScore")] = case.shipment.risk_score
        event[_term("recommendation")] = case.shipment.recommendation
        return event

    def aggregation_events(self, case: CaseRecord) -> Iterator[dict[str, Any]]:
        last_scan = case.scans[-1]
        when = epcis_time(last_scan.scanned_at or last_scan.received_at)
        for container in case.aggregation:
            name = f"case/{case.shipment.id}/aggregation/{container.uri}/{last_scan.id}"
            yield {
                "type": "AggregationEvent",
                "eventID": self._event_id(name),
                "eventTime": when,
                "eventTimeZoneOffset": "+00:00",
                "action": "OBSERVE",
                "parentID": container.uri,
                "childEPCs": container.children,
                "bizStep": "inspecting",
                _term("caseId"): str(case.shipment.id),
                _term("level"): container.level,
                _term("source"): "shipper-epcis",
            }

    def decision_event(
        self, case: CaseRecord, epcs: list[EpcUri], decision: Decision
    ) -> dict[str, Any]:
        event = self._common(case, epcs, decision.decided_at)
        event["eventID"] = self._event_id(f"decision/{decision.id}")
        event.update(copy.deepcopy(DECISION_EVENTS[decision.action]))
        event[_term("regulatoryAction")] = REGULATORY_ACTION[decision.action]
        event[_term("decisionId")] = str(decision.id)
        event[_term("reasonCodes")] = list(decision.reason_codes)
        event[_term("override")] = decision.override
        return event

    def case_events(self, case: CaseRecord) -> Iterator[dict[str, Any]]:
        epcs = case_epcs(case)
        if not epcs:
            return
        yield self.inspection_event(case, epcs)
        yield from self.aggregation_events(case)
        for decision in case.decisions:
            yield self.decision_event(case, epcs, decision)

    def document_head(self, created: datetime) -> dict[str, Any]:
        return {
            "@context": [EPCIS_CONTEXT, {PREFIX: self.namespace}],
            "type": "EPCISDocument",
            "schemaVersion": "2.0",
            "creationDate": epcis_time(created),
        }


def render_epcis(
    cases: Iterable[CaseRecord], namespace: str, created: datetime | None = None
) -> Iterator[str]:
    """The document as text chunks: head, events separated by commas, tail."""
    writer = EpcisWriter(namespace)
    head = json.dumps(writer.document_head(created or datetime.now(UTC)), ensure_ascii=False)
    yield head[:-1] + ', "epcisBody": {"eventList": ['
    separator = ""
    for case in cases:
        for event in writer.case_events(case):
            yield separator + json.dumps(event, ensure_ascii=False)
            separator = ","
    yield "]}}"

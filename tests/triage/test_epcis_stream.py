"""JSON-LD EPCIS documents are streamed: same errors as a whole-document check, bounded memory."""

from __future__ import annotations

import io
import json
import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest
from jsonschema.exceptions import best_match

from inspect_svc.epcis.attach import read_document
from inspect_svc.epcis.events import DocumentError, NestingTooDeep
from inspect_svc.epcis.json_stream import JsonDocument
from tests.cases.epcis_schema import epcis_validator
from tests.triage.epcis_kit import Case, Pack, Pallet, document, events_for, sscc
from tests.triage.test_epcis_attach import CASE_A, GTIN_A, attach, one_pallet

__all__ = ["attach"]  # the fixture, shared
DEPTH = 32


def refusal(doc: Any) -> DocumentError:
    with pytest.raises(DocumentError) as raised:
        read_document(io.BytesIO(json.dumps(doc).encode()), xml=False, max_depth=DEPTH)
    return raised.value


def whole_document_location(doc: dict[str, Any]) -> str:
    """Where ``best_match`` over the whole document points (GS1's schema, read whole)."""
    error = best_match(epcis_validator().iter_errors(doc))
    assert error is not None
    return ".".join(str(p) for p in error.absolute_path)


def events() -> list[dict[str, Any]]:
    return events_for(one_pallet(cases=3, packs=2))


@pytest.mark.parametrize(
    "breaks",
    [
        {2: {"action": "ADDED"}},
        {1: {"action": "ADDED"}, 4: {"eventTime": 5}},  # the shallower error wins
        {4: {"eventTime": 5}, 1: {"bizStep": 7}},
        {3: {"childEPCs": "not a list"}, 5: {"type": "ObjectEvent", "epcList": 3}},
        {0: {"readPoint": {"id": 4}}, 2: {"readPoint": {"id": 5}}},  # equal depth: last one
    ],
)
def test_schema_errors_are_those_of_the_whole_document(breaks: dict[int, dict[str, Any]]) -> None:
    listed = events()
    for index, change in breaks.items():
        listed[index] = {**listed[index], **change}
    doc = document(listed)
    assert refusal(doc).location == whole_document_location(doc)


def test_a_header_error_after_the_events_outranks_them() -> None:
    listed = events()
    listed[1] = {**listed[1], "action": "ADDED"}
    doc = {**document(listed), "schemaVersion": 2}
    body = doc.pop("epcisBody")
    doc = {"epcisBody": body, **doc}  # the header comes after the event list
    assert refusal(doc).location == whole_document_location(doc) == "schemaVersion"


def test_a_later_schema_error_outranks_an_earlier_event_the_fold_refuses() -> None:
    listed = events()
    listed[1] = {**listed[1], "parentID": "urn:epc:id:sgtin:0305910.503.S1"}  # no such key
    assert refusal(document(listed)).location == "epcisBody.eventList.1.parentID"
    listed[5] = {**listed[5], "action": "ADDED"}
    where = refusal(document(listed)).location
    assert where == whole_document_location(document(listed))
    assert where.startswith("epcisBody.eventList.5")


def test_broken_json_at_the_end_outranks_a_schema_error() -> None:
    listed = events()
    listed[0] = {**listed[0], "action": "ADDED"}
    body = json.dumps(document(listed)).encode()[:-1]
    with pytest.raises(DocumentError) as raised:
        read_document(io.BytesIO(body), xml=False, max_depth=DEPTH)
    assert raised.value.location == "body"
    assert raised.value.reason.startswith("not valid JSON")


def test_not_an_epcis_document_is_said_so_even_when_type_comes_last() -> None:
    doc = document(events())
    doc = {**{k: v for k, v in doc.items() if k != "type"}, "type": "EPCISQueryDocument"}
    assert "expected an EPCIS document" in refusal(doc).reason
    assert "expected an EPCIS document" in refusal([doc]).reason


def test_nesting_is_bounded_inside_an_event() -> None:
    listed = events()
    deep: Any = "x"
    for _ in range(40):
        deep = [deep]
    listed[3] = {**listed[3], "example:deep": deep}
    assert isinstance(refusal(document(listed)), NestingTooDeep)


def test_a_deep_document_is_refused_as_any_deep_body(
    new_shipment: Callable[..., int], attach: Callable[..., Any]
) -> None:
    shipment_id = new_shipment()
    listed = events()
    listed[0] = {**listed[0], "example:deep": json.loads("[" * 40 + "]" * 40)}
    response = attach(shipment_id, document(listed))
    assert response.status_code == 400
    body = response.get_json()
    assert body["type"].endswith("/json-too-deep")
    assert body["errors"] == {"body": [f"nested deeper than {DEPTH} levels"]}


def test_events_stream_in_bounded_memory() -> None:
    def doc_of(cases: int) -> bytes:
        """Pallets of 20 cases of 10 packs, a lot per case: many events, none of them large."""
        pallets = [
            Pallet(sscc(n + 1), [
                Case(CASE_A, f"C{c}", [Pack(GTIN_A, f"S{c}-{p}", lot=f"L{c}") for p in range(10)])
                for c in range(n * 20, n * 20 + 20)
            ])
            for n in range(cases // 20)
        ]  # fmt: skip
        return json.dumps(document(events_for(pallets))).encode()

    def peak_of_reading(body: bytes) -> int:
        stream = io.BytesIO(body)
        tracemalloc.start()
        read = sum(1 for _ in JsonDocument(stream, DEPTH).events())
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert read > 0
        return peak

    peak_of_reading(doc_of(2))  # schema and validators compiled once, outside the measure
    small, large = doc_of(60), doc_of(1200)
    assert len(large) > 15 * len(small)
    # twenty times the events, not twenty times the memory: one event at a time
    assert peak_of_reading(large) < 2 * peak_of_reading(small)

"""EPCIS 2.0 export: valid against the official schema, CBV mapping per decision, EPC methods."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

from tests.cases.epcis_schema import SCHEMA_PATH, schema_errors
from tests.cases.export_kit import fetch

Auth = Callable[[str], dict[str, str]]
NS = "isv:"


def decide(client: FlaskClient, headers: dict[str, str], shipment_id: int, **body: Any) -> None:
    body.setdefault("reason_codes", ["documents_ok"])
    response = client.post(f"/api/v1/shipments/{shipment_id}/decisions", json=body, headers=headers)
    assert response.status_code == 201, response.json


def test_the_schema_copy_accepts_the_standard_example_and_rejects_a_broken_one() -> None:
    example = json.loads((SCHEMA_PATH.parent / "Example_9.6.1-ObjectEvent.jsonld").read_text())
    assert schema_errors(example) == []
    broken = copy.deepcopy(example)
    broken["epcisBody"]["eventList"][0]["action"] = "LOOK"
    assert schema_errors(broken)
    broken = copy.deepcopy(example)
    broken["epcisBody"]["eventList"][0]["readPoint"]["id"] = "not a uri"
    assert schema_errors(broken)


def test_document_is_valid_and_maps_decisions_to_cbv(
    client: FlaskClient, auth: Auth, make_case: Callable[..., int]
) -> None:
    inspected = make_case(entry_number="E 1/2", recommendation="exam")
    clean = make_case(recommendation="release", risk_score=0.0, rules=())
    detained = make_case(recommendation="exam")
    released = make_case(recommendation="exam")
    no_units = make_case(units=())
    decide(client, auth("inspector"), detained, action="exam")
    decide(client, auth("inspector"), detained, action="detain")
    decide(client, auth("officer"), released, action="release", justification="lab clear")

    page = fetch(client, auth("officer"), "epcis")
    assert page.content_type == "application/ld+json"
    document = json.loads(page.body)
    assert schema_errors(document) == []
    assert document["@context"][1] == {"isv": "https://inspect-svc.example.org/epcis/"}

    events: dict[str, list[dict[str, Any]]] = {}
    for event in document["epcisBody"]["eventList"]:
        events.setdefault(event[NS + "caseId"], []).append(event)
    assert str(no_units) not in events

    first = events[str(inspected)]
    assert [(e["bizStep"], e["disposition"]) for e in first] == [("inspecting", "non_conformant")]
    assert first[0][NS + "ruleHits"] == ["R9_SERIAL_CLONED"]
    assert first[0]["epcList"] == [
        "urn:epc:id:sgtin:030002.0140701.SN0001",
        "urn:epc:id:sgtin:0350458.057930.A%2FB%26C",
        "https://id.gs1.org/01/08712345678906/21/X1",
    ]
    assert first[0][NS + "epcMethods"] == ["sgtin_ndc_labeler", "sgtin_ndc_labeler", "digital_link"]
    assert first[0]["bizTransactionList"][0]["bizTransaction"].endswith("/entry/E%201%2F2")

    assert [(e["bizStep"], e["disposition"]) for e in events[str(clean)]] == [
        ("inspecting", "in_progress")
    ]
    held = events[str(detained)]
    assert [(e["bizStep"], e["disposition"]) for e in held] == [
        ("inspecting", "non_conformant"),
        ("inspecting", "in_progress"),
        ("holding", "non_sellable_other"),
    ]
    assert held[2]["persistentDisposition"] == {"set": ["non_sellable_other"]}
    assert held[2][NS + "regulatoryAction"] == "DETAINED"
    out = events[str(released)][-1]
    assert (out["bizStep"], out["disposition"]) == ("inspecting", "conformant")
    assert out["persistentDisposition"] == {"unset": ["non_sellable_other"]}
    assert out[NS + "override"] is True

    again = json.loads(fetch(client, auth("officer"), "epcis").body)
    ids = [e["eventID"] for e in document["epcisBody"]["eventList"]]
    assert ids == [e["eventID"] for e in again["epcisBody"]["eventList"]]
    assert len(set(ids)) == len(ids)


def test_an_empty_page_is_a_valid_document(client: FlaskClient, auth: Auth) -> None:
    document = json.loads(fetch(client, auth("officer"), "epcis").body)
    assert document["epcisBody"]["eventList"] == []
    assert schema_errors(document) == []

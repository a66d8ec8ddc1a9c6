"""Attaching the shipper's EPCIS document: validation, storage of the expected tree, corrections.

NDCs 0591-0503-01 and 0093-0199-01 are in the bundled FDA directory sample.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from inspect_svc.db import db
from inspect_svc.models import AuditEvent
from inspect_svc.models.epcis import EpcisItem
from tests.cases.epcis_schema import schema_errors
from tests.triage.conftest import gtin_of
from tests.triage.epcis_kit import (
    Case,
    Pack,
    Pallet,
    document,
    events_for,
    sgtin,
    sscc,
    xml_document,
)

NDC_A = "0591-0503-01"
NDC_B = "0093-0199-01"
GTIN_A, CASE_A = gtin_of(NDC_A), gtin_of(NDC_A, "5")
GTIN_B, CASE_B = gtin_of(NDC_B), gtin_of(NDC_B, "5")
LD_JSON = "application/ld+json"


def one_pallet(cases: int = 2, packs: int = 3) -> list[Pallet]:
    return [
        Pallet(
            sscc(1),
            [
                Case(CASE_A, f"C{c}", [Pack(GTIN_A, f"S{c}-{p}") for p in range(packs)])
                for c in range(cases)
            ],
        )
    ]


@pytest.fixture
def attach(client: FlaskClient, auth: Callable[[str], dict[str, str]]) -> Callable[..., Any]:
    def post(shipment_id: int, body: bytes | dict[str, Any], content_type: str = LD_JSON) -> Any:
        data = json.dumps(body).encode() if isinstance(body, dict) else body
        return client.post(
            f"/api/v1/shipments/{shipment_id}/epcis",
            data=data,
            headers={**auth("inspector"), "Content-Type": content_type},
        )

    return post


def test_test_documents_are_valid_epcis() -> None:
    assert schema_errors(document(events_for(one_pallet()))) == []


def test_attach_json_counts_units_cases_pallets(
    app: Flask, new_shipment: Callable[..., int], attach: Callable[..., Any]
) -> None:
    shipment_id = new_shipment()
    response = attach(shipment_id, document(events_for(one_pallet(cases=2, packs=3))))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["expected"] == {"units": 6, "cases": 2, "pallets": 1}
    assert body["events"] == 5
    with app.app_context():
        pack = db.session.scalars(
            select(EpcisItem).where(EpcisItem.gtin == GTIN_A, EpcisItem.serial == "S1-2")
        ).one()
        assert (pack.lot, pack.expiry.isoformat(), pack.level) == ("LOT42", "2030-12-31", "pack")
        assert pack.parent_key == f"(01){CASE_A}(21)C1"
        assert pack.ndc10 == "0591050301"
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.shipment_id == shipment_id)
        ).all()
        assert "shipment.epcis_attached" in actions
        assert actions[-1] == "shipment.assessed"


def test_attach_xml_gives_the_same_tree(
    app: Flask, new_shipment: Callable[..., int], attach: Callable[..., Any]
) -> None:
    shipment_id = new_shipment()
    events = events_for(one_pallet(cases=3, packs=2))
    response = attach(shipment_id, xml_document(events), "application/xml")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["expected"] == {"units": 6, "cases": 3, "pallets": 1}
    with app.app_context():
        case = db.session.scalars(select(EpcisItem).where(EpcisItem.serial == "C2")).one()
        assert case.parent_key == f"(00){sscc(1)}"
        assert case.level == "case"


def test_document_sent_twice_changes_nothing(
    app: Flask, new_shipment: Callable[..., int], attach: Callable[..., Any]
) -> None:
    shipment_id = new_shipment()
    doc = document(events_for(one_pallet()))
    assert attach(shipment_id, doc).status_code == 201
    again = attach(shipment_id, doc)
    assert again.status_code == 201
    assert again.get_json()["expected"] == {"units": 6, "cases": 2, "pallets": 1}
    with app.app_context():
        rows = db.session.scalar(
            select(func.count()).select_from(EpcisItem).where(EpcisItem.shipment_id == shipment_id)
        )
        assert rows == 9
        attached = db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "shipment.epcis_attached")
        )
        assert attached == 2


def test_second_document_moves_a_pack_and_adds_a_case(
    app: Flask, new_shipment: Callable[..., int], attach: Callable[..., Any]
) -> None:
    shipment_id = new_shipment()
    assert attach(shipment_id, document(events_for(one_pallet()))).status_code == 201
    moved = sgtin(GTIN_A, "S0-0")
    correction = events_for(
        [Pallet(sscc(1), [Case(CASE_B, "CB", [Pack(GTIN_B, "B1", lot="LOTB")])])]
    )
    correction.append(
        {**correction[1], "eventID": "urn:uuid:0d4f0b8e-0000-4000-8000-000000000001",
         "action": "DELETE", "parentID": sgtin(CASE_A, "C0"), "childEPCs": [moved]}
    )  # fmt: skip
    response = attach(shipment_id, document(correction))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["expected"] == {"units": 7, "cases": 3, "pallets": 1}
    with app.app_context():
        pack = db.session.scalars(select(EpcisItem).where(EpcisItem.serial == "S0-0")).one()
        assert pack.parent_key is None
        assert pack.lot == "LOT42"  # kept from the first document


@pytest.mark.parametrize(
    ("change", "location"),
    [
        ({"action": "ADDED"}, "epcisBody.eventList.2.action"),
        ({"childEPCs": ["urn:epc:id:sgtin:0305910.503.S1"]}, "epcisBody.eventList.2.childEPCs"),
        ({"parentID": "https://example.org/not-a-key"}, "epcisBody.eventList.2.parentID"),
    ],
)
def test_malformed_event_is_named(
    new_shipment: Callable[..., int],
    attach: Callable[..., Any],
    change: dict[str, Any],
    location: str,
) -> None:
    shipment_id = new_shipment()
    events = events_for(one_pallet())
    events[2] = {**events[2], **change}
    response = attach(shipment_id, document(events))
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert location in body["errors"], body
    assert body["event_index"] == 2
    assert body["event_id"] == events[2]["eventID"]
    assert events[2]["eventID"] in body["detail"]


def test_malformed_xml_and_wrong_type_are_refused(
    new_shipment: Callable[..., int], attach: Callable[..., Any]
) -> None:
    shipment_id = new_shipment()
    broken = attach(shipment_id, b"<epcis:EPCISDocument><oops>", "application/xml")
    assert broken.status_code == 422
    assert "body" in broken.get_json()["errors"]
    xml = xml_document(events_for(one_pallet())).replace(b"<action>ADD", b"<action>MOVE", 1)
    bad_action = attach(shipment_id, xml, "application/xml")
    assert bad_action.status_code == 422
    assert "epcisBody.eventList.0.action" in bad_action.get_json()["errors"]
    not_a_document = attach(shipment_id, {"type": "ObjectEvent"})
    assert not_a_document.status_code == 422
    assert attach(shipment_id, b"x", "text/plain").status_code == 415


def test_attach_needs_inspector(client: FlaskClient, new_shipment: Callable[..., int]) -> None:
    shipment_id = new_shipment()
    response = client.post(
        f"/api/v1/shipments/{shipment_id}/epcis",
        data=json.dumps(document([])),
        headers={"Content-Type": LD_JSON},
    )
    assert response.status_code == 401

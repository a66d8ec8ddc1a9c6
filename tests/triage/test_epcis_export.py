"""The EPCIS export carries the shipper's aggregation of the containers the inspection touched."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

from tests.cases.epcis_schema import schema_errors
from tests.cases.export_kit import fetch
from tests.triage.conftest import pack
from tests.triage.test_epcis_attach import CASE_A, GTIN_A, attach
from tests.triage.test_epcis_triage import PALLET, shipment_doc

__all__ = ["attach"]  # the fixture, shared
DL = "https://id.gs1.org"


def test_export_has_the_aggregation_the_decision_was_made_on(
    client: FlaskClient,
    auth: Callable[[str], dict[str, str]],
    new_shipment: Callable[..., int],
    attach: Callable[..., Any],
    post_scan: Callable[..., Any],
) -> None:
    shipment_id = new_shipment()
    assert attach(shipment_id, shipment_doc()).status_code == 201
    post_scan(shipment_id, pack(CASE_A, "C1"))
    post_scan(shipment_id, pack(GTIN_A, "S0-1"))

    document = json.loads(fetch(client, auth("officer"), "epcis").body)
    assert schema_errors(document) == []
    events = [e for e in document["epcisBody"]["eventList"] if e["isv:caseId"] == str(shipment_id)]
    assert [e["type"] for e in events] == ["ObjectEvent"] + ["AggregationEvent"] * 3
    by_parent = {e["parentID"]: e for e in events[1:]}
    # the case opened (a pack scanned), the case whose label was scanned, and their pallet
    assert set(by_parent) == {
        f"{DL}/01/{CASE_A}/21/C0",
        f"{DL}/01/{CASE_A}/21/C1",
        f"{DL}/00/{PALLET}",
    }
    assert len(by_parent[f"{DL}/00/{PALLET}"]["childEPCs"]) == 3
    opened = by_parent[f"{DL}/01/{CASE_A}/21/C0"]
    assert opened["childEPCs"] == [f"{DL}/01/{GTIN_A}/21/S0-{n}" for n in range(3)]
    assert (opened["action"], opened["bizStep"], opened["isv:level"]) == (
        "OBSERVE",
        "inspecting",
        "case",
    )
    assert len(by_parent[f"{DL}/01/{CASE_A}/21/C1"]["childEPCs"]) == 3

"""R18c's counts are kept per shipment scan by scan and agree with a full recount."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask

from inspect_svc.db import db
from inspect_svc.epcis.contents import shipment_facts_of
from inspect_svc.epcis.tally import recount
from inspect_svc.models.epcis import EpcisTally
from rules.context import EpcisShipmentFacts
from tests.triage.conftest import pack
from tests.triage.epcis_kit import Case, Pack, Pallet, document, events_for, sscc
from tests.triage.test_epcis_attach import CASE_A, GTIN_A, GTIN_B, attach
from tests.triage.test_epcis_contents import two_pallets

__all__ = ["attach"]  # the fixture, shared


def kept_and_recounted(app: Flask, shipment_id: int) -> tuple[Any, Any]:
    with app.app_context():
        kept = shipment_facts_of(db.session, shipment_id)
        db.session.commit()
        recount(db.session, shipment_id)
        fresh = shipment_facts_of(db.session, shipment_id)
        db.session.rollback()
    return kept, fresh


def test_scans_keep_the_counts_a_recount_gives(
    app: Flask,
    new_shipment: Callable[..., int],
    attach: Callable[..., Any],
    post_scan: Callable[..., Any],
) -> None:
    shipment_id = new_shipment()
    assert post_scan(shipment_id, pack(GTIN_A, "S0-0")).status_code == 201  # before the data
    assert attach(shipment_id, document(events_for(two_pallets()))).status_code == 201
    steps = [
        (pack(GTIN_A, "S0-1"), EpcisShipmentFacts(9, 7, 0)),
        (f"]C100{sscc(1)}", EpcisShipmentFacts(9, 3, 0)),  # the pallet: its 6 packs
        (pack(GTIN_A, "S0-1"), EpcisShipmentFacts(9, 3, 0)),  # already accounted for
        (pack(GTIN_B, "X1"), EpcisShipmentFacts(9, 3, 1)),
        (pack(GTIN_B, "X1"), EpcisShipmentFacts(9, 3, 1)),  # the same unexpected pack
        (pack(CASE_A, "C2"), EpcisShipmentFacts(9, 0, 1)),  # a case label: its 3 packs
    ]
    for raw, expected in steps:
        assert post_scan(shipment_id, raw).status_code == 201
        kept, fresh = kept_and_recounted(app, shipment_id)
        assert kept == fresh == expected, raw


def test_a_second_document_recounts(
    app: Flask,
    new_shipment: Callable[..., int],
    attach: Callable[..., Any],
    post_scan: Callable[..., Any],
) -> None:
    shipment_id = new_shipment()
    assert attach(shipment_id, document(events_for(two_pallets()))).status_code == 201
    assert post_scan(shipment_id, pack(GTIN_B, "X1")).status_code == 201
    more = [Pallet(sscc(3), [Case(CASE_A, "C9", [Pack(GTIN_B, "X1"), Pack(GTIN_A, "S9")])])]
    assert attach(shipment_id, document(events_for(more))).status_code == 201
    kept, fresh = kept_and_recounted(app, shipment_id)
    assert kept == fresh == EpcisShipmentFacts(11, 10, 0)  # X1 is now expected, and seen


def test_data_attached_before_the_tally_is_counted_when_first_read(
    app: Flask,
    new_shipment: Callable[..., int],
    attach: Callable[..., Any],
    post_scan: Callable[..., Any],
) -> None:
    shipment_id, without = new_shipment(), new_shipment()
    assert attach(shipment_id, document(events_for(two_pallets()))).status_code == 201
    assert post_scan(shipment_id, f"]C100{sscc(2)}").status_code == 201
    with app.app_context():
        db.session.delete(db.session.get(EpcisTally, shipment_id))
        db.session.commit()
        assert shipment_facts_of(db.session, shipment_id) == EpcisShipmentFacts(9, 6, 0)
        assert shipment_facts_of(db.session, without) is None

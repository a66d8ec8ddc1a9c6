"""The inspect page's contents table (the shipper's EPCIS data), updated after each scan."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
import requests
from playwright.sync_api import expect

from tests.live import LiveService
from tests.triage.epcis_kit import Case, Pack, Pallet, document, events_for, sscc
from tests.triage.test_epcis_attach import CASE_A, GTIN_A

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_contents_table_counts_a_sealed_case_after_its_scan(
    live_service: LiveService, logged_in: Callable[..., Any]
) -> None:
    shipment = live_service.create_shipment(entry_number="AWB-EPCIS")
    pallets = [
        Pallet(sscc(1), [Case(CASE_A, f"C{c}", [Pack(GTIN_A, f"S{c}-{p}") for p in range(3)])
                         for c in range(2)])
    ]  # fmt: skip
    attached = requests.post(
        f"{live_service.base_url}/api/v1/shipments/{shipment['id']}/epcis",
        data=json.dumps(document(events_for(pallets))),
        headers={**live_service.headers(), "Content-Type": "application/ld+json"},
        timeout=30,
    )
    assert attached.status_code == 201, attached.text

    page = logged_in("inspector")
    page.goto(f"{live_service.base_url}/inspect?shipment={shipment['id']}")
    table = page.locator("#contents")
    expect(table).to_be_visible()
    row = page.locator("#contents-rows > tr").first
    expect(row).to_contain_text("LOT42")
    expect(row.locator("td").nth(5)).to_have_text("6")  # missing, before any scan

    page.keyboard.type(f"]d201{CASE_A}1730123110LOT42")
    page.keyboard.press("Control+BracketRight")
    page.keyboard.type("21C0")
    page.keyboard.press("Enter")
    triaged = re.compile("^(green|amber|red)$")
    expect(page.locator("#scans > li").first).to_have_attribute("data-verdict", triaged)
    expect(row.locator("td").nth(4)).to_have_text("3")  # in the sealed case just scanned
    expect(row.locator("td").nth(5)).to_have_text("3")
    expect(page.locator("#contents-summary")).to_contain_text("Missing 3")

"""Officer pages in a real Chromium: the queue, a case override, the dashboard."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.conftest import GS, save_screenshot
from tests.live import LiveService

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EXPIRED_PACK = f"]d2 01 00300021407018 17 200131 10 LOT7{GS}21 EXP0001".replace(" ", "")


def _post(live: LiveService, path: str, body: dict[str, Any], role: str = "officer") -> Any:
    response = requests.post(
        live.base_url + path, json=body, headers=live.headers(role), timeout=10
    )
    assert response.status_code == 201, response.text
    return response.json()


def _detained_case(live: LiveService, entry: str, origin: str, action: str) -> None:
    shipment = live.create_shipment(entry_number=entry, origin_country=origin)
    raw = EXPIRED_PACK.replace("EXP0001", entry)
    _post(live, f"/api/v1/shipments/{shipment['id']}/scans", {"raw": raw}, "inspector")
    _post(
        live,
        f"/api/v1/shipments/{shipment['id']}/decisions",
        {"action": action, "reason_codes": ["expired"], "justification": "seeded case"},
    )


def test_queue_case_override_needs_justification_and_dashboard(
    live_service: LiveService, logged_in: Callable[..., Any]
) -> None:
    shipment = live_service.create_shipment(entry_number="AWB-EXPIRED", origin_country="CN")
    quiet = live_service.create_shipment(entry_number="AWB-QUIET", origin_country="DE")
    _post(
        live_service,
        f"/api/v1/shipments/{shipment['id']}/scans",
        {"raw": EXPIRED_PACK},
        "inspector",
    )
    for entry, origin, action in (
        ("D-1", "CN", "detain"),
        ("D-2", "CN", "detain"),
        ("D-3", "IN", "detain"),
        ("X-1", "IN", "exam"),
    ):
        _detained_case(live_service, entry, origin, action)
    page = logged_in("officer")

    page.get_by_role("link", name="Queue").click()
    rows = page.locator("table.queue tbody tr")
    expect(rows.first).to_contain_text("AWB-EXPIRED")
    expect(rows.nth(1)).to_contain_text("AWB-QUIET")
    page.get_by_label("Origin (ISO 2)").fill("de")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("AWB-QUIET")
    assert quiet["id"] != shipment["id"]
    page.get_by_label("Origin (ISO 2)").fill("")
    page.get_by_label("Rule fired").select_option("R5")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("AWB-EXPIRED")
    expect(page.get_by_role("link", name="CSV")).to_have_attribute(
        "href", "/api/v1/exports/cases?format=csv"
    )

    page.get_by_role("link", name="AWB-EXPIRED").click()
    expect(page.locator("#recommendation")).to_contain_text("DETAIN")
    expect(page.locator(".scans")).to_contain_text("expired")
    expect(page.locator("table.audit")).to_contain_text("shipment.created")
    page.get_by_label("documents_ok").check()
    page.get_by_role("button", name="Release").click()
    expect(page.locator("#justification-box")).to_be_visible()
    expect(page.get_by_label("Justification")).to_be_focused()
    expect(page.locator("#decision-status")).to_have_text(
        "A justification is required for release."
    )
    expect(page.locator("#decisions > li")).to_have_count(0)
    page.get_by_label("Justification").fill("Expiry label misprint; manufacturer confirmed <ok>.")
    page.get_by_role("button", name="Release").click()
    expect(page.locator("#decision-status")).to_have_text("Decision recorded: release.")
    decision = page.locator("#decisions > li").first
    expect(decision).to_contain_text("override of detain")
    expect(decision).to_contain_text("manufacturer confirmed <ok>.")
    page.reload()
    expect(page.locator("#decisions > li").first).to_contain_text("override of detain")

    page.get_by_role("link", name="Dashboard").click()
    expect(page.locator("svg.chart")).to_have_count(3)
    expect(page.locator("svg.chart rect.seg.act-detain")).to_have_count(1)
    origins = page.get_by_role("img", name="Detentions by origin country")
    expect(origins).to_contain_text("CN")
    save_screenshot(page, "dashboard.png")

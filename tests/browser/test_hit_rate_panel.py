"""The hit-rate panel of the dashboard, and a case's lane and exam results, in a real Chromium."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.conftest import GS, save_screenshot
from tests.live import LiveService

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EXPIRED_PACK = f"]d2 01 00300021407018 17 200131 10 OLD9{GS}21 HR0001".replace(" ", "")


def _post(live: LiveService, path: str, body: dict[str, Any], role: str) -> Any:
    response = requests.post(
        live.base_url + path, json=body, headers=live.headers(role), timeout=10
    )
    assert response.status_code in (200, 201), response.text
    return response.json()


def test_dashboard_hit_rate_panel_and_case_exam_results(
    live_service: LiveService, logged_in: Callable[..., Any]
) -> None:
    detained = live_service.create_shipment(entry_number="HR-DETAIN", origin_country="CN")
    _post(
        live_service,
        f"/api/v1/shipments/{detained['id']}/scans",
        {"raw": EXPIRED_PACK},
        "inspector",
    )
    _post(
        live_service,
        f"/api/v1/shipments/{detained['id']}/exam-results",
        {"result": "violation", "charges": ["COUNTERFEIT"], "notes": "relabelled expiry"},
        "inspector",
    )
    quiet = live_service.create_shipment(entry_number="HR-QUIET", origin_country="DE")
    _post(
        live_service,
        f"/api/v1/shipments/{quiet['id']}/lane",
        {"lane": "red", "reason": "intelligence on the importer"},
        "officer",
    )
    _post(
        live_service,
        f"/api/v1/shipments/{quiet['id']}/exam-results",
        {"result": "no_violation"},
        "inspector",
    )
    page = logged_in("officer")

    page.goto(f"{live_service.base_url}/cases/{detained['id']}")
    selectivity = page.locator("#selectivity")
    expect(selectivity.locator("[data-field=lane]")).to_have_text("red")
    expect(selectivity).to_contain_text("selected by rules")
    expect(selectivity.locator("table.exam-results tbody tr")).to_have_count(1)
    expect(selectivity.locator("table.exam-results")).to_contain_text("COUNTERFEIT")
    expect(page.locator("table.audit")).to_contain_text("exam.recorded")

    page.get_by_role("link", name="Dashboard").click()
    panel = page.locator("#hit-rates")
    expect(panel).to_be_visible()
    table = panel.get_by_role("table")
    expect(table).to_contain_text("Random sample (baseline)")
    red = table.get_by_role("row", name="red", exact=False).first
    expect(red).to_contain_text("2")  # two shipments in the red lane
    expect(table.get_by_role("row", name="score 100+")).to_contain_text("100.0 %")
    rule = table.get_by_role("row", name="R5 · Expired")
    expect(rule.locator("td").nth(0)).to_have_text("1")
    expect(rule.locator("td").nth(3)).to_have_text("100.0 %")
    with page.expect_download() as download_info:
        panel.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    assert download.suggested_filename == "hit-rates.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.startswith("slice,key,shipments,exams,violations,hit_rate,ci95_low,ci95_high")
    assert "lane,red,2,2,1,0.5," in text
    panel.scroll_into_view_if_needed()
    save_screenshot(page, "dashboard-hit-rates.png")

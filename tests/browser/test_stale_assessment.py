"""The case page decides on the assessment it shows; a re-assessment meanwhile is shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.conftest import GS
from tests.live import LiveService

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EXPIRED_PACK = f"]d20100300021407018172001311010LOT7{GS}21STALE01"


def test_a_decision_on_a_stale_page_is_refused_and_the_current_assessment_shown(
    live_service: LiveService, logged_in: Callable[..., Any]
) -> None:
    shipment = live_service.create_shipment(entry_number="AWB-STALE", origin_country="DE")
    page = logged_in("officer")
    page.goto(f"{live_service.base_url}/cases/{shipment['id']}")
    form = page.locator("#decision-form")
    expect(form).to_have_attribute("data-assessment-id", str(shipment["assessment_id"]))

    # Another inspector scans an expired pack while the officer reads the page.
    scanned = requests.post(
        f"{live_service.base_url}/api/v1/shipments/{shipment['id']}/scans",
        json={"raw": EXPIRED_PACK},
        headers=live_service.headers("inspector"),
        timeout=10,
    )
    assert scanned.status_code == 201, scanned.text
    now = scanned.json()["shipment"]
    assert now["assessment_id"] != shipment["assessment_id"]

    page.get_by_label("documents_ok").check()
    page.get_by_role("button", name="Exam").click()
    status = page.locator("#decision-status")
    expect(status).to_contain_text("re-assessed since this page showed it")
    expect(status).to_contain_text(f"Now recommended: {now['recommendation']}")
    expect(page.locator("#decision-errors")).to_contain_text("R5")
    expect(page.locator("#decisions > li")).to_have_count(0)
    expect(form).to_have_attribute("data-assessment-id", str(now["assessment_id"]))

    page.get_by_role("button", name="Detain").click()
    expect(status).to_have_text("Decision recorded: detain.")
    decisions = requests.get(
        f"{live_service.base_url}/api/v1/shipments/{shipment['id']}/decisions",
        headers=live_service.headers("officer"),
        timeout=10,
    ).json()["items"]
    assert [(d["action"], d["assessment_id"]) for d in decisions] == [
        ("detain", now["assessment_id"])
    ]

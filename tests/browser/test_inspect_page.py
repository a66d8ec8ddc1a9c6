"""The inspect page in a real Chromium: wedge-scanner input, verdicts, sound cues, decisions."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.conftest import gtin_of, save_screenshot
from tests.live import LiveService

pytestmark = [pytest.mark.browser, pytest.mark.slow]

GTIN = "00300021407018"  # NDC 0002-1407-01
PHISOHEX = gtin_of("0024153502")  # NDC 0024-1535-02, listed in the bundled sample directory


def _wedge_scan(page: Any, before_gs: str, after_gs: str) -> None:
    """Type a scan the way a US-layout keyboard wedge does: keys, Ctrl+] for GS, Enter."""
    page.keyboard.type(before_gs)
    page.keyboard.press("Control+BracketRight")
    page.keyboard.type(after_gs)
    page.keyboard.press("Enter")


def _open_shipment(page: Any, live: LiveService, shipment_id: object) -> None:
    page.goto(f"{live.base_url}/inspect?shipment={shipment_id}")
    expect(page.locator("#scan-input")).to_be_focused()


def _stored_scans(live: LiveService, shipment_id: object) -> list[dict[str, Any]]:
    response = requests.get(
        f"{live.base_url}/api/v1/shipments/{shipment_id}", headers=live.headers(), timeout=10
    )
    response.raise_for_status()
    scans: list[dict[str, Any]] = response.json()["scans"]
    return scans


def test_wedge_scan_verdict_red_cue_and_detain(
    live_service: LiveService, logged_in: Callable[..., Any]
) -> None:
    first = live_service.create_shipment(entry_number="AWB-FIRST")
    second = live_service.create_shipment(entry_number="AWB-SECOND", origin_country="CN")
    page = logged_in("inspector")

    _open_shipment(page, live_service, first["id"])
    _wedge_scan(page, f"]d201{PHISOHEX}1727030010LOT42", "21SN0001")
    row = page.locator("#scans > li").first
    expect(row).to_have_attribute("data-verdict", "green")
    assert row.get_attribute("data-scan-id") == str(
        _stored_scans(live_service, first["id"])[0]["scan_id"]
    )
    expect(row.locator('[data-field="product"]')).to_have_text("Phisohex")
    expect(row.locator('[data-field="lot"]')).to_have_text("LOT42")
    expect(row.locator('[data-field="serial"]')).to_have_text("SN0001")
    expect(row.locator('[data-field="expiry"]')).to_have_text("2027-03-31")
    stored = _stored_scans(live_service, first["id"])
    assert stored[0]["raw"] == f"]d201{PHISOHEX}1727030010LOT42\x1d21SN0001"
    assert stored[0]["interpretation"]["errors"] == []

    page.keyboard.press("Enter")  # a second Enter on the empty field sends nothing
    page.wait_for_timeout(300)
    assert page.locator("#scans > li").count() == 1
    assert len(_stored_scans(live_service, first["id"])) == 1

    _open_shipment(page, live_service, second["id"])
    _wedge_scan(page, f"]d201{PHISOHEX}1727030010LOT99", "21SN0001")
    row = page.locator("#scans > li").first
    expect(row).to_have_attribute("data-verdict", "red")
    expect(row.locator(".verdict")).to_contain_text("Stop")
    expect(row.locator('[data-field="findings"]')).to_contain_text("cloned")
    assert page.evaluate("window.inspectAudio.played") == "red"
    assert page.evaluate("window.inspectAudio.history") == ["red"]
    expect(page.locator("#recommendation")).to_contain_text("DETAIN")

    page.get_by_label("cloned_serial").check()
    page.get_by_role("button", name="Detain").click()
    expect(page.locator("#decision-status")).to_have_text("Decision recorded: detain.")
    expect(page.locator("#decisions > li").first).to_contain_text("Detain by live-inspector")
    save_screenshot(page, "inspect.png")


def test_unlisted_product_cue_substitute_gs_and_problem_shown(
    live_service: LiveService, logged_in: Callable[..., Any]
) -> None:
    shipment = live_service.create_shipment(entry_number="AWB-AMBER")
    page = logged_in("inspector")
    _open_shipment(page, live_service, shipment["id"])
    page.keyboard.type(f"]d201{GTIN}1727030010LOT42<GS>21SN0002")
    page.keyboard.press("Enter")
    row = page.locator("#scans > li").first
    expect(row).to_have_attribute("data-verdict", re.compile("^(amber|red)$"))
    verdict = row.get_attribute("data-verdict")
    assert page.evaluate("window.inspectAudio.played") == verdict
    expect(row.locator('[data-field="serial"]')).to_have_text("SN0002")

    page.keyboard.press("Enter")
    page.get_by_label("Notes (optional)").fill("no reason given")
    page.get_by_role("button", name="Detain").click()
    expect(page.locator("#decision-status")).to_contain_text("Not recorded")
    expect(page.locator("#decision-errors")).to_contain_text("reason_codes")


def test_html_characters_in_lot_and_serial_render_as_text(
    live_service: LiveService, logged_in: Callable[..., Any]
) -> None:
    lot, serial = "<b>x</b>&'\"", "<i>S</i>&\"'1"
    shipment = live_service.create_shipment(entry_number="<img src=x>")
    page = logged_in("officer", viewport={"width": 360, "height": 740})
    _open_shipment(page, live_service, shipment["id"])
    _wedge_scan(page, f"]d201{GTIN}1727030010{lot}", f"21{serial}")
    row = page.locator("#scans > li").first
    expect(row).to_have_attribute("data-verdict", re.compile("^(green|amber|red)$"))
    assert row.get_attribute("data-scan-id") == str(
        _stored_scans(live_service, shipment["id"])[0]["scan_id"]
    )
    expect(row.locator('[data-field="lot"]')).to_have_text(lot)
    expect(row.locator('[data-field="serial"]')).to_have_text(serial)
    assert page.locator("main b, main i, main img").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    for path in (f"/inspect?shipment={shipment['id']}", f"/cases/{shipment['id']}"):
        page.goto(live_service.base_url + path)
        expect(page.locator('#main [data-field="lot"]').first).to_have_text(lot)
        expect(page.locator('#main [data-field="serial"]').first).to_have_text(serial)
        assert page.locator("main b, main i, main img").count() == 0
    save_screenshot(page, "case-handheld.png")

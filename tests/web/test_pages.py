"""The pages render what the API knows, escape every value, and take form input."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

from tests.web.conftest import scan_text

NASTY_LOT = "<b>x</b>&'\""
ESCAPED_LOT = "&lt;b&gt;x&lt;/b&gt;&amp;&#39;&#34;"


def _scan(client: FlaskClient, auth: Any, shipment_id: int, raw: str) -> dict[str, Any]:
    response = client.post(
        f"/api/v1/shipments/{shipment_id}/scans", json={"raw": raw}, headers=auth("inspector")
    )
    assert response.status_code == 201, response.get_json()
    result: dict[str, Any] = response.get_json()
    return result


def test_create_shipment_form_opens_the_scanner(
    client: FlaskClient, login: Callable[[str], str]
) -> None:
    token = login("inspector")
    response = client.post(
        "/inspect/shipments",
        data={
            "csrf_token": token,
            "entry_number": "AWB 123-456",
            "port_code": "2704",
            "mode": "air",
            "origin_country": "in",
            "manufacturer_name": "Acme Pharma",
            "manufacturer_country": "",
        },
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'id="scan-input"' in page
    assert "AWB 123-456" in page
    assert 'data-scans-url="/api/v1/shipments/' in page


def test_create_shipment_form_shows_field_errors(
    client: FlaskClient, login: Callable[[str], str]
) -> None:
    token = login("inspector")
    response = client.post(
        "/inspect/shipments",
        data={
            "csrf_token": token,
            "entry_number": "",
            "port_code": "2704",
            "mode": "air",
            "origin_country": "ZZ",
            "manufacturer_name": "Acme",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="e-entry_number"' in page
    assert 'id="e-origin_country"' in page


def test_lot_with_html_characters_is_shown_as_text(
    client: FlaskClient, auth: Any, login: Callable[[str], str], new_shipment: Callable[..., int]
) -> None:
    shipment_id = new_shipment(entry_number="<i>E</i>")
    _scan(client, auth, shipment_id, scan_text(lot=NASTY_LOT, serial="S<>&'\"1"))
    login("officer")
    for path in (f"/inspect?shipment={shipment_id}", f"/cases/{shipment_id}"):
        page = client.get(path).get_data(as_text=True)
        assert NASTY_LOT not in page
        assert "<b>x</b>" not in page and "<i>E</i>" not in page
        assert ESCAPED_LOT in page
        assert "S&lt;&gt;&amp;&#39;&#34;1" in page


def test_raw_scan_shows_the_group_separator(
    client: FlaskClient, auth: Any, login: Callable[[str], str], new_shipment: Callable[..., int]
) -> None:
    shipment_id = new_shipment()
    _scan(client, auth, shipment_id, scan_text())
    login("officer")
    page = client.get(f"/cases/{shipment_id}").get_data(as_text=True)
    assert re.search(r'10LOT42<abbr class="gs"[^>]*>GS</abbr>21SN0001', page)
    assert "\x1d" not in page


def test_case_page_shows_evidence_decisions_and_audit(
    client: FlaskClient, auth: Any, login: Callable[[str], str], new_shipment: Callable[..., int]
) -> None:
    shipment_id = new_shipment(entry_number="CASE-1")
    _scan(client, auth, shipment_id, scan_text(expiry="200131"))
    decided = client.post(
        f"/api/v1/shipments/{shipment_id}/decisions",
        json={"action": "detain", "reason_codes": ["expired"], "notes": "pack <expired>"},
        headers=auth("officer"),
    )
    assert decided.status_code == 201, decided.get_json()
    login("officer")
    page = client.get(f"/cases/{shipment_id}").get_data(as_text=True)
    assert "CASE-1" in page
    assert "Expired" in page  # the rule's readable name next to its finding
    assert "Detain</strong> by test-officer" in page
    assert "pack &lt;expired&gt;" in page
    assert "decision.recorded" in page and "shipment.created" in page
    assert 'id="justification-box" hidden' in page


def test_queue_lists_open_shipments_with_filters_and_exports(
    client: FlaskClient, auth: Any, login: Callable[[str], str], new_shipment: Callable[..., int]
) -> None:
    indian = new_shipment(entry_number="Q-IN", origin_country="IN")
    chinese = new_shipment(entry_number="Q-CN", origin_country="CN")
    _scan(client, auth, chinese, scan_text(expiry="200131"))
    login("officer")
    page = client.get("/queue").get_data(as_text=True)
    assert page.index("Q-CN") < page.index("Q-IN")  # riskiest first
    only_cn = client.get("/queue?origin=cn").get_data(as_text=True)
    assert "Q-CN" in only_cn and "Q-IN" not in only_cn
    by_rule = client.get("/queue?rule=R5").get_data(as_text=True)
    assert "Q-CN" in by_rule and "Q-IN" not in by_rule
    older = client.get("/queue?min_age=5").get_data(as_text=True)
    assert "No open shipment matches" in older
    for fmt in ("csv", "jsonl", "epcis"):
        assert f'href="/api/v1/exports/cases?format={fmt}"' in page
    assert f"/cases/{indian}" in page


def test_dashboard_draws_svg_charts_with_tables(
    client: FlaskClient, auth: Any, login: Callable[[str], str], new_shipment: Callable[..., int]
) -> None:
    shipment_id = new_shipment(origin_country="CN")
    _scan(client, auth, shipment_id, scan_text(expiry="200131"))
    decided = client.post(
        f"/api/v1/shipments/{shipment_id}/decisions",
        json={"action": "detain", "reason_codes": ["expired"]},
        headers=auth("officer"),
    )
    assert decided.status_code == 201
    login("officer")
    page = client.get("/dashboard").get_data(as_text=True)
    assert page.count('<svg class="chart"') == 3
    assert page.count('role="img"') == 3
    assert '<th scope="row">CN</th><td class="num">1</td>' in page
    assert re.search(r'<rect class="seg act-detain"[^>]*><title>[^<]*: 1 detain</title>', page)
    assert "R5 · Expired" in page


def test_no_page_loads_anything_from_another_site(
    client: FlaskClient, login: Callable[[str], str], new_shipment: Callable[..., int]
) -> None:
    shipment_id = new_shipment()
    login("officer")
    for path in (
        "/inspect",
        f"/inspect?shipment={shipment_id}",
        "/queue",
        f"/cases/{shipment_id}",
        "/dashboard",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        assert not re.search(r'(src|href)="(https?:)?//', page), path

"""The pages decide on the assessment they show and list reopened cases with their reason."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

from tests.web.conftest import scan_text


def _post(client: FlaskClient, auth: Any, path: str, body: dict[str, Any], role: str) -> Any:
    response = client.post(path, json=body, headers=auth(role))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_the_decision_form_names_the_assessment_shown(
    client: FlaskClient, auth: Any, login: Callable[[str], str], new_shipment: Callable[..., int]
) -> None:
    shipment_id = new_shipment()
    scanned = _post(
        client, auth, f"/api/v1/shipments/{shipment_id}/scans", {"raw": scan_text()}, "inspector"
    )
    current = scanned["shipment"]["assessment_id"]
    login("officer")
    for path in (f"/cases/{shipment_id}", f"/inspect?shipment={shipment_id}"):
        page = client.get(path).get_data(as_text=True)
        assert f'data-assessment-id="{current}"' in page, path


def test_a_reopened_case_is_in_the_queue_with_its_reason(
    client: FlaskClient, auth: Any, login: Callable[[str], str], new_shipment: Callable[..., int]
) -> None:
    first, second = new_shipment(entry_number="WEB-A"), new_shipment(entry_number="WEB-B")
    _post(client, auth, f"/api/v1/shipments/{first}/scans", {"raw": scan_text()}, "inspector")
    _post(
        client,
        auth,
        f"/api/v1/shipments/{second}/decisions",
        {"action": "release", "reason_codes": ["documents_ok"], "justification": "papers fine"},
        "officer",
    )
    login("officer")
    assert "WEB-B" not in client.get("/queue").get_data(as_text=True)

    body = _post(
        client, auth, f"/api/v1/shipments/{second}/scans", {"raw": scan_text()}, "inspector"
    )
    reason = body["shipment"]["reopened_reason"]
    assert reason
    queue = client.get("/queue").get_data(as_text=True)
    assert "WEB-B" in queue and "Reopened" in queue
    assert html.escape(reason, quote=True) in queue
    case = client.get(f"/cases/{second}").get_data(as_text=True)
    assert html.escape(reason, quote=True) in case

"""Officer pages: the lane and random selection on the case and queue, the dashboard panel."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

Headers = Callable[[str], dict[str, str]]


@pytest.mark.parametrize("policy_options", [{"random_rate": 1.0}])
def test_random_selection_and_exam_results_show_to_officers(
    sample_reference: None,
    client: FlaskClient,
    auth: Headers,
    login: Callable[[str], str],
    new_shipment: Any,
) -> None:
    shipment_id = new_shipment(entry_number="RND-1")
    recorded = client.post(
        f"/api/v1/shipments/{shipment_id}/exam-results",
        json={"result": "violation", "charges": ["NOT LISTED"], "notes": "no listing found"},
        headers=auth("inspector"),
    )
    assert recorded.status_code == 201
    login("officer")
    case = client.get(f"/cases/{shipment_id}").get_data(as_text=True)
    assert '<span class="pill lane-yellow" data-field="lane">yellow</span>' in case
    assert '<span class="badge">selected at random</span>' in case
    assert "<td>violation</td><td>NOT LISTED</td>" in case
    queue = client.get("/queue").get_data(as_text=True)
    assert queue.count("selected at random") == 1

    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert 'id="hit-rates"' in dashboard
    assert (
        '<th scope="row">selected at random</th><td class="num">1</td><td class="num">1</td>'
        '<td class="num">1</td>' in dashboard
    )
    assert "drawn at 100 % of would-be-green shipments" in dashboard
    assert '<th scope="row">score 0-24</th><td class="num">1</td>' in dashboard
    download = client.get("/api/v1/reports/hit-rates?format=csv")
    assert download.status_code == 200
    rows = list(csv.DictReader(io.StringIO(download.get_data(as_text=True))))
    assert rows[0] == {
        "slice": "random",
        "key": "random",
        "shipments": "1",
        "exams": "1",
        "violations": "1",
        "hit_rate": "1.0",
        "ci95_low": str(rows[0]["ci95_low"]),
        "ci95_high": "1.0",
        "state": "",
        "would_change": "",
        "share": "",
        "expected_rate": "",
    }


def test_the_dashboard_panel_without_any_exam(
    sample_reference: None, client: FlaskClient, login: Callable[[str], str]
) -> None:
    login("officer")
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "No rule has fired yet." in dashboard
    assert '<td class="num">—</td>' in dashboard

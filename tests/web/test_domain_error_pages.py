"""A domain error on a page is an HTML error page, not the API's problem+json."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient


def test_a_missing_case_is_an_html_404_naming_it(
    client: FlaskClient, login: Callable[[str], str]
) -> None:
    login("officer")
    response = client.get("/cases/424242")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "404 · Not Found" in page
    assert "No shipment with id 424242." in page


def test_the_api_answers_the_same_miss_with_a_problem(
    client: FlaskClient, auth: Callable[[str], dict[str, str]]
) -> None:
    response = client.get("/api/v1/shipments/424242", headers=auth("inspector"))
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["type"].endswith("/problems/shipment-not-found")
    assert (body["title"], body["detail"]) == ("Not Found", "No shipment with id 424242.")

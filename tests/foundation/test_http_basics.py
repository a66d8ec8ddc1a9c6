import json

import pytest
from flask.testing import FlaskClient

PROBLEM = "application/problem+json"


def assert_problem(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status
    assert response.mimetype == PROBLEM
    body = response.get_json(force=True)
    assert body["status"] == status
    assert {"type", "title", "detail", "instance", "request_id"} <= body.keys()
    assert "Traceback" not in response.get_data(as_text=True)
    return body


def test_healthz(client: FlaskClient) -> None:
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_readyz_checks_the_database(client: FlaskClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["database"] == "ok"


def test_unknown_route_is_problem_json(client: FlaskClient) -> None:
    body = assert_problem(client.get("/api/v1/nothing-here"), 404)
    assert body["instance"] == "/api/v1/nothing-here"


def test_wrong_method_is_problem_json_with_allow(client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    response = client.delete("/api/v1/me", headers=auth("inspector"))
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]


def test_wrong_content_type_is_415(client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/api/v1/me",
        data="raw=1",
        content_type="application/x-www-form-urlencoded",
        headers=auth("inspector"),
    )
    body = assert_problem(response, 415)
    assert "application/json" in body["detail"]


def test_oversize_body_is_413(client: FlaskClient, app, auth) -> None:  # type: ignore[no-untyped-def]
    limit = app.config["MAX_CONTENT_LENGTH"]
    payload = json.dumps({"raw": "x" * (limit + 10)})
    response = client.post(
        "/api/v1/me", data=payload, content_type="application/json", headers=auth("inspector")
    )
    body = assert_problem(response, 413)
    assert str(limit) in body["detail"]


def test_request_id_is_echoed_in_header_and_problem(client: FlaskClient) -> None:
    response = client.get("/api/v1/me", headers={"X-Request-ID": "abc-123"})
    assert response.headers["X-Request-ID"] == "abc-123"
    assert assert_problem(response, 401)["request_id"] == "abc-123"


def test_unsafe_request_id_is_replaced(client: FlaskClient) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "<script>"})
    assert response.headers["X-Request-ID"] != "<script>"
    assert len(response.headers["X-Request-ID"]) == 32


def test_metrics_count_requests_per_endpoint(client: FlaskClient) -> None:
    client.get("/healthz")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'inspect_http_requests_total{endpoint="/healthz",method="GET",status="200"}' in text
    assert "inspect_http_request_duration_seconds_bucket" in text


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer isv_not-a-real-token"}, 401),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, 401),
        ({"Authorization": "Bearer "}, 401),
    ],
)
def test_missing_or_bad_credentials_are_401(
    client: FlaskClient, headers: dict[str, str], status: int
) -> None:
    body = assert_problem(client.get("/api/v1/me", headers=headers), status)
    assert body["type"].endswith("/unauthenticated")


@pytest.mark.parametrize("role", ["inspector", "officer", "admin"])
def test_each_role_authenticates(client: FlaskClient, auth, role: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/me", headers=auth(role))
    assert response.status_code == 200
    assert response.get_json() == {"name": f"test-{role}", "role": role, "via": "token"}


def test_readyz_is_503_for_a_database_without_the_schema(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from inspect_svc.app import create_app
    from inspect_svc.db import db
    from inspect_svc.settings import load_settings

    settings = load_settings(environ={}).replace(
        database={"url": f"sqlite:///{tmp_path / 'empty.sqlite3'}"},
        server={"instance_path": str(tmp_path / "instance"), "secret_key": "t"},
    )
    response = create_app(settings).test_client().get("/readyz")
    db.dispose()
    assert response.status_code == 503
    assert "inspect-svc init" in response.get_json()["detail"]

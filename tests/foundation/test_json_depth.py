"""Deeply nested JSON bodies are a 400 on every endpoint that takes a body, never a 500."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from inspect_svc.json_depth import nesting_depth

PROBLEM = "application/problem+json"


def _body_paths(app: Flask) -> list[tuple[str, str]]:
    """(method, path) of every route that accepts a request body, path parameters filled in."""
    paths = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) & {"POST", "PUT", "PATCH"}):
            paths.append((method, re.sub(r"<[^>]+>", "1", rule.rule)))
    return paths


def _nested(levels: int) -> str:
    return '{"raw": ' + "[" * levels + "]" * levels + "}"


def test_a_thousand_levels_are_refused_on_every_body_endpoint(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    paths = _body_paths(app)
    assert ("POST", "/api/v1/shipments/1/scans") in paths
    for method, path in paths:
        response = client.open(
            path,
            method=method,
            data=_nested(1000),
            content_type="application/json",
            headers=auth("admin"),
        )
        assert response.status_code == 400, (method, path, response.status_code)
        if not path.startswith("/api/"):  # pages answer errors with an HTML page
            assert "at most 32 are accepted" in response.get_data(as_text=True)
            continue
        assert response.mimetype == PROBLEM
        body = response.get_json(force=True)
        assert body["type"].endswith("/json-too-deep")
        assert body["errors"] == {"body": ["nested deeper than 32 levels"]}


@pytest.mark.parametrize("levels", [33, 100, 5000])
def test_depth_beyond_the_limit_is_refused(client: FlaskClient, auth: Any, levels: int) -> None:
    response = client.post(
        "/api/v1/interpret",
        data=_nested(levels),
        content_type="application/json",
        headers=auth("inspector"),
    )
    assert response.status_code == 400
    assert f"nested {levels + 1} levels deep" in response.get_json(force=True)["detail"]


def test_sane_bodies_and_brackets_inside_strings_pass(client: FlaskClient, auth: Any) -> None:
    raw = "[" * 200 + "{" * 200
    response = client.post("/api/v1/interpret", json={"raw": raw}, headers=auth("inspector"))
    assert response.status_code == 200
    assert response.get_json()["raw"] == raw


def test_at_the_limit_is_validated_as_usual(client: FlaskClient, auth: Any) -> None:
    response = client.post(
        "/api/v1/interpret",
        data=_nested(31),
        content_type="application/json",
        headers=auth("inspector"),
    )
    assert response.status_code == 422
    assert "raw" in response.get_json(force=True)["errors"]


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("1", 0),
        ("[]", 1),
        ('{"a": [{"b": []}]}', 4),
        ('["]]]", "[[[[", "\\"[["]', 1),
        ("[[1], [2, [3]]]", 3),
    ],
)
def test_nesting_depth(text: str, depth: int) -> None:
    assert json.loads(text) is not None or text == "null"
    assert nesting_depth(text.encode()) == depth

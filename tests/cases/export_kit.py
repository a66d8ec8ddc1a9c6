"""Fetch export pages through the API and follow their cursors."""

from __future__ import annotations

from dataclasses import dataclass

from flask.testing import FlaskClient


@dataclass(frozen=True)
class Page:
    body: str
    cursor: str
    more: bool
    content_type: str


def fetch(
    client: FlaskClient,
    headers: dict[str, str],
    fmt: str,
    since: str | None = None,
    limit: int | None = None,
) -> Page:
    query: dict[str, str | int] = {"format": fmt}
    if since is not None:
        query["since"] = since
    if limit is not None:
        query["limit"] = limit
    response = client.get("/api/v1/exports/cases", query_string=query, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return Page(
        response.get_data(as_text=True),
        response.headers["X-Next-Cursor"],
        response.headers["X-More"] == "true",
        response.headers["Content-Type"],
    )

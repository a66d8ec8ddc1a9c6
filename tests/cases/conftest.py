"""Fixtures for decisions, audit and exports: ORM-built cases and officer/inspector sessions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from inspect_svc.db import db
from inspect_svc.models.triage import Shipment
from tests.cases.case_kit import make_case as build_case


@pytest.fixture
def make_case(app: Flask) -> Callable[..., int]:
    """make_case(**fields) -> shipment id, committed (see case_kit.make_case)."""

    def create(**fields: Any) -> int:
        with app.app_context(), db.session_scope() as session:
            shipment: Shipment = build_case(session, **fields)
            return shipment.id

    return create


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session of its own (outside the app context, which requests must not share).

    On SQLite every transaction takes the write lock, so read after the requests
    of a test, or `close()` the session before the next request.
    """
    with Session(engine, expire_on_commit=False) as session:
        yield session

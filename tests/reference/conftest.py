"""Fixtures for reference-data tests: paths of the real extracts under tests/data."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def ref_client(client: FlaskClient) -> FlaskClient:
    return client

"""`inspect-svc replay`: what another policy would recommend, with nothing stored changed."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from inspect_svc.settings import CONFIG_DIR
from tests.triage.conftest import gtin_of, pack

pytestmark = pytest.mark.usefixtures("sample_reference")
PHISOHEX = "0024-1535-02"


def policy_without_clone_rules(tmp_path: Path) -> Path:
    for name in ("country_tiers.toml", "dscsa_exclusions.toml"):
        shutil.copy(CONFIG_DIR / name, tmp_path / name)
    text = (CONFIG_DIR / "rules.toml").read_text()
    text = text.replace("[rules.R9]\nenabled = true", "[rules.R9]\nenabled = false")
    text = text.replace("[rules.R9b]\nenabled = true", "[rules.R9b]\nenabled = false")
    path = tmp_path / "lenient.toml"
    path.write_text(text)
    return path


def test_replay_reports_changed_recommendations_and_stores_nothing(
    tmp_path: Path,
    runner: Any,
    client: FlaskClient,
    auth: Any,
    new_shipment: Callable[..., int],
    post_scan: Any,
) -> None:
    maker = {"name": "Sanofi-Aventis U.S. LLC", "country": "US"}
    first = new_shipment(entry_number="R-1", manufacturer=maker)
    second = new_shipment(entry_number="R-2", manufacturer=maker)
    post_scan(first, pack(gtin_of(PHISOHEX), "REPLAY1"))
    post_scan(second, pack(gtin_of(PHISOHEX), "REPLAY1"))
    before = client.get(f"/api/v1/shipments/{second}", headers=auth("officer")).get_json()
    assert before["recommendation"] == "detain"

    result = runner(["replay", "--policy", str(policy_without_clone_rules(tmp_path)), "--json"])

    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["shipment_id"] for line in lines] == [second]
    change = lines[0]
    assert (change["stored_recommendation"], change["replayed_recommendation"]) == (
        "detain",
        "release",
    )
    assert change["rules_removed"] == ["R9"]
    assert "1 of 2 shipments would change" in result.stderr
    after = client.get(f"/api/v1/shipments/{second}", headers=auth("officer")).get_json()
    assert after == before


def test_replay_rejects_an_invalid_policy(tmp_path: Path, runner: Any) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[scoring]\ninfo = -1\n")
    result = runner(["replay", "--policy", str(bad)])
    assert result.exit_code == 1
    assert "scoring.info" in result.output

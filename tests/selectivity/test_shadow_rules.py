"""Shadow rules: recorded and reported, never counted; replay shows what they would change."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from rules.policy import PolicyError, load_policy
from tests.selectivity.conftest import write_policy
from tests.triage.conftest import QUINIDINE_GTIN, pack

Headers = Callable[[str], dict[str, str]]
EXPIRED_PACK = pack(QUINIDINE_GTIN, "SH1", expiry="200131", lot="OLD1")


def disabled(tmp_path: Path, rule: str) -> Path:
    path = write_policy(tmp_path, name="active")
    text = path.read_text().replace(
        f"[rules.{rule}]\nenabled = true", f"[rules.{rule}]\nenabled = false"
    )
    path.write_text(text)
    return path


def test_a_rule_state_is_part_of_the_policy_version(tmp_path: Path) -> None:
    active = load_policy(write_policy(tmp_path, name="active"))
    shadow = load_policy(write_policy(tmp_path, shadow=("R5",), name="shadow"))
    assert shadow.is_shadow("R5") and not active.is_shadow("R5")
    assert shadow.shadow_rules == frozenset({"R5"})
    assert shadow.version != active.version


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("[rules.R5]\nenabled = true\n", '[rules.R5]\nstate = "draft"\n'), "rules.R5.state"),
        (("\nrandom_rate = 0.0\n", "\nrandom_rate = 1.5\n"), "selectivity.random_rate"),
        (("\nrandom_rate = 0.0\n", "\nrandom_rate = 0.0\nquota = 3\n"), "quota"),
        (('random_lane = "yellow"', 'random_lane = "blue"'), "selectivity.random_lane"),
        (("max_hits_green = 1", "max_hits_green = -1"), "selectivity.max_hits_green"),
        (("score_bands = [0, 25, 50, 100]", "score_bands = [0, 50, 25]"), "score_bands"),
    ],
)
def test_bad_lifecycle_or_selectivity_keys_are_named(
    tmp_path: Path, edit: tuple[str, str], message: str
) -> None:
    path = write_policy(tmp_path)
    text = path.read_text()
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1]))
    with pytest.raises(PolicyError, match=message.replace(".", r"\.")):
        load_policy(path)


@pytest.mark.parametrize("policy_options", [{"shadow": ("R5",)}])
def test_a_shadow_rule_changes_no_recommendation_and_is_reported(
    tmp_path: Path,
    runner: Any,
    client: FlaskClient,
    auth: Headers,
    new_shipment: Callable[..., int],
    post_scan: Any,
) -> None:
    shipment_id = new_shipment()
    result = post_scan(shipment_id, EXPIRED_PACK).get_json()
    (scan,) = result["scans"]
    r5 = [f for f in scan["findings"] if f["rule"] == "R5"]
    assert [(f["severity"], f.get("shadow")) for f in r5] == [("high", True)]
    assert all("shadow" not in f for f in scan["findings"] if f["rule"] != "R5")
    # Counted, R5 would make the pack red (25 + 50) and the shipment a detention (100).
    assert (scan["score"], scan["verdict"]) == (25.0, "amber")
    shipment = result["shipment"]
    assert (shipment["recommendation"], shipment["lane"]) == ("exam", "yellow")

    report = client.get("/api/v1/reports/hit-rates", headers=auth("officer")).get_json()
    rules = {row["rule"]: row for row in report["by_rule"]}
    assert (rules["R5"]["state"], rules["R5"]["would_change"], rules["R5"]["shipments"]) == (
        "shadow",
        1,
        1,
    )
    assert (rules["R0"]["state"], rules["R0"]["would_change"]) == ("active", None)
    assert report["shadow"] == {"rules": ["R5"], "would_change": 1}

    # The same recommendation as with R5 switched off ...
    off = runner(["replay", "--policy", str(disabled(tmp_path, "R5")), "--json"])
    assert off.exit_code == 0, off.output
    assert off.stdout == ""
    assert "0 of 1 shipments would change recommendation" in off.stderr
    # ... while active it would detain.
    active = runner(["replay", "--policy", str(write_policy(tmp_path, name="on")), "--json"])
    (change,) = [json.loads(line) for line in active.stdout.splitlines()]
    assert (change["stored_recommendation"], change["replayed_recommendation"]) == (
        "exam",
        "detain",
    )
    # Replaying the shadow policy itself says what its shadow rules would change.
    shadow_path = write_policy(tmp_path, shadow=("R5",), name="again")
    same = runner(["replay", "--policy", str(shadow_path)])
    assert same.exit_code == 0, same.output
    assert "shadow rules would make it detain" in same.stdout
    assert (
        "1 of 1 shipments would change recommendation if the shadow rules (R5) were active"
        in same.stderr
    )

"""A policy file per test (random rate, shadow rules), and the triage builders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from inspect_svc.settings import CONFIG_DIR, Settings
from tests.triage.conftest import new_shipment, post_scan, sample_reference  # noqa: F401
from tests.web.conftest import login, people  # noqa: F401

SECRET = "selectivity-test-key"


def write_policy(
    directory: Path, random_rate: float = 0.0, shadow: tuple[str, ...] = (), name: str = "p"
) -> Path:
    """config/rules.toml with another random rate and some rules in shadow."""
    text = (CONFIG_DIR / "rules.toml").read_text()
    text = text.replace(
        'tiers_file = "country_tiers.toml"',
        f'tiers_file = "{CONFIG_DIR / "country_tiers.toml"}"',
    )
    text = text.replace(
        'dscsa_exclusions_file = "dscsa_exclusions.toml"',
        f'dscsa_exclusions_file = "{CONFIG_DIR / "dscsa_exclusions.toml"}"',
    )
    assert "\nrandom_rate = 0.02\n" in text
    text = text.replace("\nrandom_rate = 0.02\n", f"\nrandom_rate = {random_rate}\n")
    for rule in shadow:
        header = f"[rules.{rule}]\nenabled = true\n"
        assert header in text
        text = text.replace(header, header + 'state = "shadow"\n')
    path = directory / f"rules-{name}.toml"
    path.write_text(text)
    return path


@pytest.fixture
def policy_options() -> dict[str, Any]:
    """Override with `@pytest.mark.parametrize("policy_options", [{...}])`."""
    return {}


@pytest.fixture
def app_settings(
    app_settings: Settings, tmp_path: Path, policy_options: dict[str, Any]
) -> Settings:
    path = write_policy(tmp_path, **policy_options)
    return app_settings.replace(rules={"policy_file": str(path)}, selectivity={"secret": SECRET})

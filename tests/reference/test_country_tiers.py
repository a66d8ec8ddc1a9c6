"""Country tier table: the shipped file is valid; bad entries are refused with the key named."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from inspect_core.country_tiers import (
    CountryTierError,
    load_country_tiers,
    parse_country_tiers,
)
from inspect_svc.settings import CONFIG_DIR


def _doc(**entry: Any) -> dict[str, Any]:
    return {
        "version": 1,
        "effective_from": date(2026, 1, 1),
        "default_tier": 0,
        "tiers": {"FR": {"tier": 1, "rationale": "r", "source": "s", **entry}},
    }


def test_shipped_table_is_valid() -> None:
    tiers = load_country_tiers(CONFIG_DIR / "country_tiers.toml")
    assert tiers.tier_of("us") == 0
    assert all(0 <= t.tier <= 3 and t.rationale and t.source for t in tiers.tiers.values())
    assert tiers.tier_of("ZZ") == tiers.default_tier


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({**_doc(), "tiers": {"XX": {"tier": 1, "rationale": "r", "source": "s"}}}, "tiers.XX"),
        ({**_doc(), "tiers": {"fr": {"tier": 1, "rationale": "r", "source": "s"}}}, "tiers.fr"),
        (_doc(tier=4), "0 to 3"),
        (_doc(tier=True), "0 to 3"),
        (_doc(source=""), "non-empty"),
        (_doc(note="x"), "exactly the keys"),
        ({**_doc(), "extra": 1}, "unknown key"),
        ({**_doc(), "effective_from": "2026-01-01"}, "effective_from"),
    ],
)
def test_invalid_tables(document: dict[str, Any], message: str) -> None:
    with pytest.raises(CountryTierError, match=message):
        parse_country_tiers(document)

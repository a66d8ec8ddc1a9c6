"""Country risk tiers (rule R19) from `config/country_tiers.toml`, validated with pycountry.

The table is policy data set by compliance officers; nothing about any
country is written in code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pycountry

ENTRY_KEYS = {"tier", "rationale", "source"}


class CountryTierError(ValueError):
    """The tier table is not valid; the message names the entry."""


@dataclass(frozen=True)
class CountryTier:
    country: str
    tier: int
    rationale: str
    source: str


@dataclass(frozen=True)
class CountryTiers:
    version: int
    effective_from: date
    default_tier: int
    tiers: dict[str, CountryTier]

    def tier_of(self, country: str) -> int:
        """The tier of an ISO alpha-2 code (any case); unlisted countries get the default."""
        entry = self.tiers.get(country.strip().upper())
        return entry.tier if entry else self.default_tier


def load_country_tiers(path: Path) -> CountryTiers:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CountryTierError(f"{path}: {exc}") from exc
    return parse_country_tiers(document, str(path))


def parse_country_tiers(document: dict[str, Any], origin: str = "country tiers") -> CountryTiers:
    unknown = set(document) - {"version", "effective_from", "default_tier", "tiers"}
    if unknown:
        raise CountryTierError(f"{origin}: unknown key(s) {', '.join(sorted(unknown))}")
    version = document.get("version")
    effective = document.get("effective_from")
    if not isinstance(version, int) or isinstance(version, bool):
        raise CountryTierError(f"{origin}: 'version' must be an integer")
    if not isinstance(effective, date):
        raise CountryTierError(f"{origin}: 'effective_from' must be a date (YYYY-MM-DD)")
    default_tier = _tier(document.get("default_tier"), f"{origin}: default_tier")
    tables = document.get("tiers")
    if not isinstance(tables, dict):
        raise CountryTierError(f"{origin}: missing [tiers] table")
    tiers = {code: _entry(code, value, origin) for code, value in tables.items()}
    return CountryTiers(version, effective, default_tier, tiers)


def _entry(code: str, value: Any, origin: str) -> CountryTier:
    where = f"{origin}: tiers.{code}"
    if len(code) != 2 or code != code.upper() or pycountry.countries.get(alpha_2=code) is None:
        raise CountryTierError(f"{where}: not an ISO 3166-1 alpha-2 country code")
    if not isinstance(value, dict) or set(value) != ENTRY_KEYS:
        raise CountryTierError(f"{where}: needs exactly the keys tier, rationale, source")
    texts = [value["rationale"], value["source"]]
    if not all(isinstance(text, str) and text.strip() for text in texts):
        raise CountryTierError(f"{where}: rationale and source must be non-empty text")
    return CountryTier(code, _tier(value["tier"], where), value["rationale"], value["source"])


def _tier(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 3:
        raise CountryTierError(f"{where}: tier must be an integer from 0 to 3")
    return value

"""Policy for the registration (R40), firm-history (R41) and private-label (R16) checks.

Read from the `[registration]` and `[firm_history]` tables of the rule
policy; both are optional, and a missing key takes the default below.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

DEFAULT_CHARGE_WEIGHTS: Mapping[str, float] = {
    "COUNTERFEIT": 4.0,
    "DRUG GMPS": 3.0,
    "DRG REF EI": 3.0,
    "UNAPPROVED": 2.0,
    "FRNMFGREG": 2.0,
    "NOT LISTED": 1.5,
    "AGR RX": 1.5,
}


@dataclass(frozen=True)
class RegistrationPolicy:
    # Operations (as in the registration file) that make, pack or label a drug:
    # an establishment registered for none of them is not a manufacturer.
    manufacturing_operations: tuple[str, ...] = (
        "MANUFACTURE",
        "API MANUFACTURE",
        "PACK",
        "REPACK",
        "LABEL",
        "RELABEL",
        "STERILIZE",
        "PARTICLE SIZE REDUCTION",
    )
    domestic_countries: tuple[str, ...] = ("US",)


@dataclass(frozen=True)
class FirmHistoryPolicy:
    window_years: int = 10
    half_life_days: float = 730.0
    default_charge_weight: float = 1.0
    charge_weights: Mapping[str, float] = field(default_factory=lambda: DEFAULT_CHARGE_WEIGHTS)
    low_at: float = 1.0
    medium_at: float = 3.0
    high_at: float = 6.0
    max_listed: int = 10


def history_since(today: date, policy: FirmHistoryPolicy) -> date:
    """The first day of the refusal-history window ending `today`.

    >>> history_since(date(2025, 6, 1), FirmHistoryPolicy(window_years=10))
    datetime.date(2015, 6, 1)
    """
    try:
        return today.replace(year=today.year - policy.window_years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - policy.window_years, day=28)


class RegistryPolicyError(ValueError):
    """A key of `[registration]` or `[firm_history]` is unknown or has a bad value."""


def parse_registration(raw: Any, source: str) -> RegistrationPolicy:
    table = _table(raw, "registration", source, RegistrationPolicy.__dataclass_fields__)
    values: dict[str, Any] = {}
    for key in ("manufacturing_operations", "domestic_countries"):
        if key in table:
            items = table[key]
            if not isinstance(items, list) or not all(isinstance(v, str) and v for v in items):
                raise RegistryPolicyError(f"{source}: registration.{key} must be a list of strings")
            values[key] = tuple(v.upper() for v in items)
    return RegistrationPolicy(**values)


def parse_firm_history(raw: Any, source: str) -> FirmHistoryPolicy:
    table = _table(raw, "firm_history", source, FirmHistoryPolicy.__dataclass_fields__)
    values: dict[str, Any] = {}
    for key in ("half_life_days", "default_charge_weight", "low_at", "medium_at", "high_at"):
        if key in table:
            values[key] = _number(table[key], f"firm_history.{key}", source)
    for key in ("window_years", "max_listed"):
        if key in table:
            number = _number(table[key], f"firm_history.{key}", source)
            if number < 1 or number != int(number):
                raise RegistryPolicyError(f"{source}: firm_history.{key} must be an integer >= 1")
            values[key] = int(number)
    if "charge_weights" in table:
        weights = table["charge_weights"]
        if not isinstance(weights, Mapping):
            raise RegistryPolicyError(f"{source}: firm_history.charge_weights must be a table")
        values["charge_weights"] = {
            str(code).upper(): _number(weight, f"firm_history.charge_weights.{code}", source)
            for code, weight in weights.items()
        }
    policy = FirmHistoryPolicy(**values)
    if policy.half_life_days <= 0:
        raise RegistryPolicyError(f"{source}: firm_history.half_life_days must be above 0")
    if not policy.low_at <= policy.medium_at <= policy.high_at:
        raise RegistryPolicyError(f"{source}: firm_history needs low_at <= medium_at <= high_at")
    return policy


def _table(raw: Any, name: str, source: str, known: Mapping[str, Any]) -> Mapping[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise RegistryPolicyError(f"{source}: {name} must be a table")
    unknown = set(raw) - set(known)
    if unknown:
        raise RegistryPolicyError(f"{source}: {name}: unknown key(s) {', '.join(sorted(unknown))}")
    return raw


def _number(value: Any, key: str, source: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise RegistryPolicyError(f"{source}: {key} must be a number >= 0, got {value!r}")
    return float(value)

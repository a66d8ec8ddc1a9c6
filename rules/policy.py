"""The rule policy (`config/rules.toml`) as a validated, frozen object.

The ruleset version is a hash of the policy's content and of the source of
every rule module, so a stored triage names exactly what produced it.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import itertools
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from inspect_core.country_tiers import CountryTierError, load_country_tiers
from rules.base import Severity
from rules.catalog import RULE_MODULES, SPECS
from rules.entry_policy import EntryPolicy, EntryPolicyError, parse_entry_policy
from rules.exclusions import Exclusion, ExclusionFileError, load_exclusions
from rules.registry_policy import (
    FirmHistoryPolicy,
    RegistrationPolicy,
    RegistryPolicyError,
    parse_firm_history,
    parse_registration,
)


class PolicyError(ValueError):
    """The policy file is invalid; the message names the key."""


RULE_STATES = ("active", "shadow")
LANES = ("green", "yellow", "red")


@dataclass(frozen=True)
class RuleSetting:
    """`state = "shadow"`: findings are recorded and reported but do not count."""

    enabled: bool = True
    severity: Severity | None = None
    weight: float | None = None
    state: str = "active"


DEFAULT_SETTING = RuleSetting()
"""A rule the policy does not mention: enabled, active, its own severity."""


@dataclass(frozen=True)
class SelectivityPolicy:
    """Lanes and random selection (`[selectivity]`; see docs/selectivity.md)."""

    random_rate: float = 0.02
    max_hits_green: int = 1
    exam_lane: str = "yellow"
    random_lane: str = "yellow"
    expected_rates: Mapping[str, float] = field(
        default_factory=lambda: {"green": 0.85, "yellow": 0.12, "red": 0.03}
    )
    score_bands: tuple[float, ...] = (0.0, 25.0, 50.0, 100.0)


@dataclass(frozen=True)
class RulePolicy:
    severity_weights: Mapping[Severity, float]
    amber_at: float
    red_at: float
    exam_at: float
    detain_at: float
    hard_detain: frozenset[str]
    short_dated_days: int
    max_shelf_life_years: int
    grandfather_before: date
    quantity_tolerance_pct: float
    country_tiers: Mapping[str, int]
    default_country_tier: int
    watch_substances: tuple[str, ...]
    watch_pharm_classes: tuple[str, ...]
    rules: Mapping[str, RuleSetting] = field(default_factory=dict)
    selectivity: SelectivityPolicy = field(default_factory=SelectivityPolicy)
    version: str = ""
    registration: RegistrationPolicy = field(default_factory=RegistrationPolicy)
    firm_history: FirmHistoryPolicy = field(default_factory=FirmHistoryPolicy)
    # Directory product types that are prescription drugs (Rx-gated rules apply).
    rx_product_types: frozenset[str] = frozenset({"HUMAN PRESCRIPTION DRUG"})
    # Unapproved marketing categories that are lawful in themselves (R23 says so as info).
    lawful_unapproved_categories: tuple[str, ...] = ()
    # Products that need no DSCSA product identifier (R3/R4 silent, R4e says why).
    dscsa_exclusions: tuple[Exclusion, ...] = ()
    entry: EntryPolicy = field(default_factory=EntryPolicy)

    def setting(self, rule_id: str) -> RuleSetting:
        return self.rules.get(rule_id, DEFAULT_SETTING)

    def enabled(self, rule_id: str) -> bool:
        return self.setting(rule_id).enabled

    def is_shadow(self, rule_id: str) -> bool:
        return self.setting(rule_id).state == "shadow"

    @property
    def shadow_rules(self) -> frozenset[str]:
        return frozenset(rule for rule, setting in self.rules.items() if setting.state == "shadow")

    def severity_of(self, rule_id: str, found: Severity) -> Severity:
        return self.setting(rule_id).severity or found

    def weight_of(self, rule_id: str, severity: Severity) -> float:
        override = self.setting(rule_id).weight
        return override if override is not None else self.severity_weights[severity]


def load_policy(path: Path) -> RulePolicy:
    try:
        data = tomllib.loads(path.read_text())
    except FileNotFoundError as exc:
        raise PolicyError(f"policy file not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{path}: not valid TOML: {exc}") from exc
    return parse_policy(data, base_dir=path.parent, source=str(path))


def parse_policy(data: Mapping[str, Any], *, base_dir: Path, source: str) -> RulePolicy:
    reader = _Reader(data, source)
    weights = {sev: reader.number(f"scoring.{sev.value}", minimum=0) for sev in Severity}
    rules: dict[str, RuleSetting] = {}
    for rule_id, raw in reader.table("rules").items():
        if rule_id not in SPECS:
            known = ", ".join(sorted(SPECS))
            raise PolicyError(f"{source}: rules.{rule_id}: no such rule (known: {known})")
        rules[rule_id] = reader.rule_setting(f"rules.{rule_id}", raw)
    hard = reader.string_list("recommendation.hard_detain")
    for rule_id in hard:
        if rule_id not in SPECS:
            raise PolicyError(f"{source}: recommendation.hard_detain: no such rule {rule_id!r}")
    tiers = _load_tiers(base_dir / reader.string("origin.tiers_file"))
    try:
        registration = parse_registration(data.get("registration"), source)
        firm_history = parse_firm_history(data.get("firm_history"), source)
    except RegistryPolicyError as exc:
        raise PolicyError(str(exc)) from exc
    policy = RulePolicy(
        severity_weights=weights,
        amber_at=reader.number("verdict.amber_at", minimum=0),
        red_at=reader.number("verdict.red_at", minimum=0),
        exam_at=reader.number("recommendation.exam_at", minimum=0),
        detain_at=reader.number("recommendation.detain_at", minimum=0),
        hard_detain=frozenset(hard),
        short_dated_days=int(reader.number("dates.short_dated_days", minimum=0)),
        max_shelf_life_years=int(reader.number("dates.max_shelf_life_years", minimum=1)),
        grandfather_before=reader.date("dates.grandfather_before"),
        quantity_tolerance_pct=reader.number("manifest.quantity_tolerance_pct", minimum=0),
        country_tiers=tiers.tiers_by_code,
        default_country_tier=tiers.default_tier,
        watch_substances=tuple(s.upper() for s in reader.string_list("watchlist.substances")),
        watch_pharm_classes=tuple(reader.string_list("watchlist.pharm_classes")),
        rules=rules,
        registration=registration,
        firm_history=firm_history,
        selectivity=_selectivity(reader, data),
        rx_product_types=frozenset(
            t.strip().upper() for t in reader.string_list("products.rx_product_types")
        ),
        lawful_unapproved_categories=tuple(
            c.strip().upper() for c in reader.string_list("products.lawful_unapproved_categories")
        ),
        dscsa_exclusions=_load_exclusions(
            base_dir / reader.string("products.dscsa_exclusions_file")
        ),
        entry=_entry_policy(data, source),
    )
    if policy.amber_at > policy.red_at:
        raise PolicyError(f"{source}: verdict.amber_at must not exceed verdict.red_at")
    if policy.exam_at > policy.detain_at:
        raise PolicyError(f"{source}: recommendation.exam_at must not exceed detain_at")
    return _with_version(policy, data)


def _selectivity(reader: _Reader, data: Mapping[str, Any]) -> SelectivityPolicy:
    """`[selectivity]`; absent keys keep their defaults, unknown keys are errors."""
    if "selectivity" not in data:
        return SelectivityPolicy()
    raw = reader.table("selectivity")
    known = {
        "random_rate",
        "max_hits_green",
        "exam_lane",
        "random_lane",
        "expected_rates",
        "score_bands",
    }
    unknown = set(raw) - known
    if unknown:
        raise PolicyError(
            f"{reader.source}: selectivity: unknown key(s) {', '.join(sorted(unknown))}"
        )
    default = SelectivityPolicy()
    rate = (
        reader.number("selectivity.random_rate", minimum=0)
        if "random_rate" in raw
        else default.random_rate
    )
    if rate > 1:
        raise PolicyError(f"{reader.source}: selectivity.random_rate must be between 0 and 1")
    hits = raw.get("max_hits_green", default.max_hits_green)
    if isinstance(hits, bool) or not isinstance(hits, int) or hits < 0:
        raise PolicyError(f"{reader.source}: selectivity.max_hits_green must be an integer >= 0")
    lanes = {}
    for key in ("exam_lane", "random_lane"):
        lane = raw.get(key, getattr(default, key))
        if lane not in ("yellow", "red"):
            raise PolicyError(f"{reader.source}: selectivity.{key} must be yellow or red")
        lanes[key] = lane
    expected = raw.get("expected_rates", default.expected_rates)
    if (
        not isinstance(expected, Mapping)
        or set(expected) - set(LANES)
        or not all(
            isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 1
            for v in expected.values()
        )
    ):
        raise PolicyError(
            f"{reader.source}: selectivity.expected_rates must map green, yellow, red "
            "to shares between 0 and 1"
        )
    bands = raw.get("score_bands", list(default.score_bands))
    if (
        not isinstance(bands, list)
        or not bands
        or bands[0] != 0
        or not all(isinstance(b, int | float) and not isinstance(b, bool) for b in bands)
        or any(b >= c for b, c in itertools.pairwise(bands))
    ):
        raise PolicyError(
            f"{reader.source}: selectivity.score_bands must be increasing numbers starting at 0"
        )
    return SelectivityPolicy(
        random_rate=float(rate),
        max_hits_green=hits,
        exam_lane=lanes["exam_lane"],
        random_lane=lanes["random_lane"],
        expected_rates={lane: float(v) for lane, v in expected.items()},
        score_bands=tuple(float(b) for b in bands),
    )


def _load_exclusions(path: Path) -> tuple[Exclusion, ...]:
    try:
        return load_exclusions(path)
    except ExclusionFileError as exc:
        raise PolicyError(str(exc)) from exc


def _entry_policy(data: Mapping[str, Any], source: str) -> EntryPolicy:
    try:
        return parse_entry_policy(data.get("entry"), source)
    except EntryPolicyError as exc:
        raise PolicyError(str(exc)) from exc


@dataclass(frozen=True)
class _Tiers:
    tiers_by_code: dict[str, int]
    default_tier: int


def _load_tiers(path: Path) -> _Tiers:
    try:
        table = load_country_tiers(path)
    except CountryTierError as exc:
        raise PolicyError(str(exc)) from exc
    return _Tiers({code: entry.tier for code, entry in table.tiers.items()}, table.default_tier)


def _with_version(policy: RulePolicy, data: Mapping[str, Any]) -> RulePolicy:
    digest = hashlib.sha256()
    digest.update(json.dumps(data, sort_keys=True, default=str).encode())
    digest.update(json.dumps(dict(policy.country_tiers), sort_keys=True).encode())
    digest.update(str(policy.default_country_tier).encode())
    digest.update(repr(policy.dscsa_exclusions).encode())
    modules = ["rules.base", "rules.catalog", "rules.context", "rules.engine", "rules.exclusions"]
    for name in [*sorted(RULE_MODULES), *modules]:
        digest.update(inspect.getsource(importlib.import_module(name)).encode())
    return RulePolicy(**{**policy.__dict__, "version": digest.hexdigest()[:16]})


class _Reader:
    """Typed access to the policy table with errors that name the key."""

    def __init__(self, data: Mapping[str, Any], source: str) -> None:
        self.data = data
        self.source = source

    def _get(self, dotted: str) -> Any:
        node: Any = self.data
        for part in dotted.split("."):
            if not isinstance(node, Mapping) or part not in node:
                raise PolicyError(f"{self.source}: missing key {dotted}")
            node = node[part]
        return node

    def table(self, dotted: str) -> Mapping[str, Any]:
        value = self._get(dotted)
        if not isinstance(value, Mapping):
            raise PolicyError(f"{self.source}: {dotted} must be a table")
        return value

    def number(self, dotted: str, *, minimum: float) -> float:
        value = self._get(dotted)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
            raise PolicyError(
                f"{self.source}: {dotted} must be a number >= {minimum}, got {value!r}"
            )
        return float(value)

    def string(self, dotted: str) -> str:
        value = self._get(dotted)
        if not isinstance(value, str) or not value:
            raise PolicyError(f"{self.source}: {dotted} must be a non-empty string")
        return value

    def string_list(self, dotted: str) -> list[str]:
        value = self._get(dotted)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise PolicyError(f"{self.source}: {dotted} must be a list of strings")
        return value

    def date(self, dotted: str) -> date:
        value = self._get(dotted)
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError as exc:
            raise PolicyError(f"{self.source}: {dotted} must be a date YYYY-MM-DD") from exc

    def rule_setting(self, dotted: str, raw: Any) -> RuleSetting:
        if not isinstance(raw, Mapping):
            raise PolicyError(f"{self.source}: {dotted} must be a table")
        unknown = set(raw) - {"enabled", "severity", "weight", "state"}
        if unknown:
            raise PolicyError(
                f"{self.source}: {dotted}: unknown key(s) {', '.join(sorted(unknown))}"
            )
        enabled = raw.get("enabled", True)
        if not isinstance(enabled, bool):
            raise PolicyError(f"{self.source}: {dotted}.enabled must be true or false")
        severity = raw.get("severity")
        if severity is not None and severity not in Severity.__members__.values():
            allowed = ", ".join(s.value for s in Severity)
            raise PolicyError(f"{self.source}: {dotted}.severity must be one of {allowed}")
        weight = raw.get("weight")
        if weight is not None and (isinstance(weight, bool) or not isinstance(weight, int | float)):
            raise PolicyError(f"{self.source}: {dotted}.weight must be a number")
        state = raw.get("state", "active")
        if state not in RULE_STATES:
            raise PolicyError(f"{self.source}: {dotted}.state must be active or shadow")
        return RuleSetting(
            enabled=enabled,
            severity=Severity(severity) if severity else None,
            weight=float(weight) if weight is not None else None,
            state=state,
        )

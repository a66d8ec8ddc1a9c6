"""The `[entry]` table of the rule policy: what the entry-data rules treat as which.

Defaults equal the shipped `config/rules.toml`, so a policy built in code
(tests, replays) behaves like the shipped one. Sources in docs/entry-data.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class EntryPolicyError(ValueError):
    """The `[entry]` table is invalid; the message names the key."""


@dataclass(frozen=True)
class AffirmationRequirement:
    """Affirmations a line with this processing code (and intended use, when given) must carry."""

    processing: str
    intended_use: str | None
    all_of: tuple[str, ...]
    one_of: tuple[str, ...] = ()

    def applies(self, processing: str, intended_use: str | None) -> bool:
        return self.processing == processing and (
            self.intended_use is None or self.intended_use == (intended_use or "").strip()
        )


DEFAULT_REQUIREMENTS = (
    AffirmationRequirement("PRE", "080.012", ("DA", "REG"), ("DLS", "PLR")),
    AffirmationRequirement("PRE", "150.007", ("DA", "REG", "DLS")),
    AffirmationRequirement("OTC", None, ("REG", "DLS")),
    AffirmationRequirement("INV", "180.009", ("IND",)),
    AffirmationRequirement("804", None, ("DA", "DLS", "FSR", "PRN")),
)


@dataclass(frozen=True)
class EntryPolicy:
    # CBP entry types that enter goods for consumption (commerce), where a
    # foreign-market pack needs a lawful basis (R37).
    consumption_entry_types: frozenset[str] = frozenset(
        {"01", "02", "03", "06", "07", "31", "32", "34", "38"}
    )
    # FDA industry codes under which a drug may be declared (R32, R36, R15).
    drug_industries: frozenset[str] = frozenset(
        {"56", "57", "58", "60", "61", "62", "63", "64", "65", "66"}
    )
    # HTS chapters of pharmaceutical goods (R36).
    hts_drug_chapters: frozenset[str] = frozenset({"28", "29", "30"})
    affirmations_required: tuple[AffirmationRequirement, ...] = field(default=DEFAULT_REQUIREMENTS)


_KEYS = {
    "consumption_entry_types",
    "drug_industries",
    "hts_drug_chapters",
    "affirmations_required",
}


def parse_entry_policy(raw: Any, source: str) -> EntryPolicy:
    """The `[entry]` table, or the defaults when the policy has none."""
    if raw is None:
        return EntryPolicy()
    if not isinstance(raw, Mapping):
        raise EntryPolicyError(f"{source}: entry must be a table")
    unknown = set(raw) - _KEYS
    if unknown:
        raise EntryPolicyError(f"{source}: entry: unknown key(s) {', '.join(sorted(unknown))}")
    default = EntryPolicy()
    return EntryPolicy(
        consumption_entry_types=_codes(raw, "consumption_entry_types", source)
        or default.consumption_entry_types,
        drug_industries=_codes(raw, "drug_industries", source) or default.drug_industries,
        hts_drug_chapters=_codes(raw, "hts_drug_chapters", source) or default.hts_drug_chapters,
        affirmations_required=_requirements(raw.get("affirmations_required"), source)
        or default.affirmations_required,
    )


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise EntryPolicyError(f"{where} must be a list of non-empty strings")
    return tuple(v.strip().upper() for v in value)


def _codes(raw: Mapping[str, Any], key: str, source: str) -> frozenset[str]:
    if key not in raw:
        return frozenset()
    return frozenset(_strings(raw[key], f"{source}: entry.{key}"))


def _requirements(value: Any, source: str) -> tuple[AffirmationRequirement, ...]:
    if value is None:
        return ()
    where = f"{source}: entry.affirmations_required"
    if not isinstance(value, list):
        raise EntryPolicyError(f"{where} must be an array of tables")
    requirements = []
    for index, item in enumerate(value):
        at = f"{where}[{index}]"
        if not isinstance(item, Mapping) or not isinstance(item.get("processing"), str):
            raise EntryPolicyError(f"{at} must be a table with a `processing` code")
        unknown = set(item) - {"processing", "intended_use", "all_of", "one_of"}
        if unknown:
            raise EntryPolicyError(f"{at}: unknown key(s) {', '.join(sorted(unknown))}")
        intended = item.get("intended_use")
        if intended is not None and not isinstance(intended, str):
            raise EntryPolicyError(f"{at}.intended_use must be a string")
        requirements.append(
            AffirmationRequirement(
                processing=item["processing"].strip().upper(),
                intended_use=intended.strip() if intended else None,
                all_of=_strings(item.get("all_of", []), f"{at}.all_of"),
                one_of=_strings(item.get("one_of", []), f"{at}.one_of"),
            )
        )
    return tuple(requirements)

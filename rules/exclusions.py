"""DSCSA exclusions: products that need no DSCSA product identifier, recognised from the directory.

The mapping is policy data (`config/dscsa_exclusions.toml`): each exclusion
names its statute and one or more `when` tables. A `when` table matches when
every criterion it gives holds; an exclusion applies when any of its `when`
tables matches. Criteria compare NDC Directory product fields:

- `product_type`: PRODUCTTYPENAME equals one of the values;
- `marketing_category`: MARKETINGCATEGORYNAME contains one of the values;
- `dosage_form`: DOSAGEFORMNAME equals one of the values;
- `route`: one of the product's routes (ROUTENAME, "; "-separated) is listed;
- `pharm_class`: PHARM_CLASSES contains one of the values;
- `name`: one of the values occurs as words in the proprietary, nonproprietary
  or substance names;
- `substances_only`: the product has substances and every one is listed.

All comparisons ignore case.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rules.context import ProductFacts

CRITERIA = (
    "product_type",
    "marketing_category",
    "dosage_form",
    "route",
    "pharm_class",
    "name",
    "substances_only",
)


class ExclusionFileError(ValueError):
    """The exclusions file is invalid; the message names the entry and key."""


@dataclass(frozen=True)
class Condition:
    """One `when` table: every criterion given must hold (pairs of criterion and values)."""

    criteria: tuple[tuple[str, tuple[str, ...]], ...]

    def explain(self, product: ProductFacts) -> str | None:
        """Why `product` meets this condition, in directory terms; None when it does not."""
        reasons = []
        for key, values in self.criteria:
            reason = _CHECKS[key](product, values)
            if reason is None:
                return None
            reasons.append(reason)
        return "; ".join(reasons)


@dataclass(frozen=True)
class Exclusion:
    id: str
    name: str
    statute: str
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class ExclusionMatch:
    """An exclusion that applies to a product, with the directory facts that made it apply."""

    exclusion: Exclusion
    because: str


@lru_cache(maxsize=4096)
def match_exclusion(
    product: ProductFacts | None, exclusions: tuple[Exclusion, ...]
) -> ExclusionMatch | None:
    """The first exclusion that applies to `product`, if any.

    Remembered per product: a pallet holds thousands of packs of a few products,
    and matching reads every exclusion's texts.
    """
    if product is None:
        return None
    for exclusion in exclusions:
        for condition in exclusion.conditions:
            because = condition.explain(product)
            if because is not None:
                return ExclusionMatch(exclusion, because)
    return None


def load_exclusions(path: Path) -> tuple[Exclusion, ...]:
    try:
        data = tomllib.loads(path.read_text())
    except FileNotFoundError as exc:
        raise ExclusionFileError(f"DSCSA exclusions file not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ExclusionFileError(f"{path}: not valid TOML: {exc}") from exc
    entries = data.get("exclusion")
    if not isinstance(entries, list) or not entries:
        raise ExclusionFileError(f"{path}: needs at least one [[exclusion]] table")
    exclusions = [_exclusion(path, index, entry) for index, entry in enumerate(entries)]
    ids = [exclusion.id for exclusion in exclusions]
    if len(set(ids)) != len(ids):
        raise ExclusionFileError(f"{path}: exclusion ids must be unique, got {ids}")
    return tuple(exclusions)


def _exclusion(path: Path, index: int, entry: Any) -> Exclusion:
    where = f"{path}: exclusion[{index}]"
    if not isinstance(entry, Mapping):
        raise ExclusionFileError(f"{where} must be a table")
    for key in ("id", "name", "statute"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise ExclusionFileError(f"{where}.{key} must be a non-empty string")
    unknown = set(entry) - {"id", "name", "statute", "when"}
    if unknown:
        raise ExclusionFileError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    whens = entry.get("when")
    if not isinstance(whens, list) or not whens:
        raise ExclusionFileError(f"{where}.when must be a list of tables ([[exclusion.when]])")
    conditions = []
    for number, when in enumerate(whens):
        label = f"{where}.when[{number}]"
        if not isinstance(when, Mapping) or not when:
            raise ExclusionFileError(f"{label} must be a non-empty table")
        criteria: dict[str, tuple[str, ...]] = {}
        for key, values in when.items():
            if key not in CRITERIA:
                raise ExclusionFileError(
                    f"{label}: unknown criterion {key!r} (known: {', '.join(CRITERIA)})"
                )
            if (
                not isinstance(values, list)
                or not values
                or not all(isinstance(v, str) and v.strip() for v in values)
            ):
                raise ExclusionFileError(f"{label}.{key} must be a non-empty list of strings")
            criteria[key] = tuple(v.strip().upper() for v in values)
        conditions.append(Condition(tuple(criteria.items())))
    return Exclusion(entry["id"], entry["name"], entry["statute"], tuple(conditions))


def _upper(value: str | None) -> str:
    return (value or "").strip().upper()


def _product_type(product: ProductFacts, values: tuple[str, ...]) -> str | None:
    found = _upper(product.product_type)
    return f"product type {product.product_type}" if found in values else None


def _marketing_category(product: ProductFacts, values: tuple[str, ...]) -> str | None:
    found = _upper(product.marketing_category)
    if found and any(value in found for value in values):
        return f"marketing category {product.marketing_category}"
    return None


def _dosage_form(product: ProductFacts, values: tuple[str, ...]) -> str | None:
    found = _upper(product.dosage_form)
    return f"dosage form {product.dosage_form}" if found in values else None


def _route(product: ProductFacts, values: tuple[str, ...]) -> str | None:
    routes = [_upper(route) for route in (product.route or "").split(";")]
    hit = next((route for route in routes if route in values), None)
    return f"route {hit}" if hit else None


def _pharm_class(product: ProductFacts, values: tuple[str, ...]) -> str | None:
    classes = [c.strip() for c in (product.pharm_classes or "").split(",") if c.strip()]
    hit = next((c for c in classes if any(value in c.upper() for value in values)), None)
    return f"pharmacologic class {hit}" if hit else None


def _name(product: ProductFacts, values: tuple[str, ...]) -> str | None:
    names = " | ".join(
        _upper(name)
        for name in (product.proprietary_name, product.nonproprietary_name, product.substances)
    )
    for value in values:
        if re.search(rf"(?<![A-Z0-9]){re.escape(value)}(?![A-Z0-9])", names):
            return f"name contains {value}"
    return None


def _substances_only(product: ProductFacts, values: tuple[str, ...]) -> str | None:
    substances = [_upper(s) for s in (product.substances or "").split(";") if s.strip()]
    if substances and all(substance in values for substance in substances):
        return f"active substances {', '.join(substances)}"
    return None


_CHECKS = {
    "product_type": _product_type,
    "marketing_category": _marketing_category,
    "dosage_form": _dosage_form,
    "route": _route,
    "pharm_class": _pharm_class,
    "name": _name,
    "substances_only": _substances_only,
}

"""Registration rules: the foreign establishment that made the drug must be registered with FDA.

A foreign establishment whose drugs are imported into the US must register
(FD&C Act §510(i)); an unregistered one is the third most frequent drug
refusal charge, FRNMFGREG (docs/registry.md). FDA's registration file
(DECRS) lists every currently registered establishment by FEI and DUNS.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from inspect_core.datasets import REGISTRATIONS
from rules.base import Finding, Severity, shipment_rule
from rules.context import DeclaredLineFacts, EstablishmentFacts, ShipmentContext
from rules.freshness import is_loaded

FEI = re.compile(r"^\d{7,10}$")
DUNS = re.compile(r"^\d{9}$")
CHARGE = "FRNMFGREG"


def party_identifiers(party: Mapping[str, Any]) -> tuple[str, ...]:
    """The registry keys ("fei:...", "duns:...") of a party's well-formed identifiers.

    >>> party_identifiers({"fei": "3002807426", "duns": "12345"})
    ('fei:3002807426',)
    """
    keys = []
    fei, duns = party.get("fei"), party.get("duns")
    if isinstance(fei, str) and FEI.match(fei.strip()):
        keys.append(f"fei:{fei.strip()}")
    if isinstance(duns, str) and DUNS.match(duns.strip()):
        keys.append(f"duns:{duns.strip()}")
    return tuple(keys)


def reg_affirmations(lines: Iterable[DeclaredLineFacts]) -> tuple[tuple[int, str], ...]:
    """(line number, DUNS) of each REG affirmation with a 9-digit qualifier.

    A malformed qualifier is left to the affirmation format check (R33).
    """
    return tuple(
        (line.line_number, qualifier)
        for line in lines
        for affirmation in line.affirmed("REG")
        if DUNS.match(qualifier := (affirmation.qualifier or "").strip())
    )


@dataclass(frozen=True)
class Registration:
    """What the registration file says about a set of identifiers."""

    keys: tuple[str, ...]
    found: tuple[EstablishmentFacts, ...]
    current: tuple[EstablishmentFacts, ...]

    @property
    def status(self) -> str:
        """ "no identifier", "unregistered", "lapsed" (expired or excluded) or "registered"."""
        if not self.keys:
            return "no identifier"
        if self.current:
            return "registered"
        return "lapsed" if self.found else "unregistered"

    def manufactures(self, operations: Iterable[str]) -> bool:
        """True when a current registration lists an operation that makes, packs or labels."""
        wanted = {op.upper() for op in operations}
        return any(op in wanted for est in self.current for op in est.operations)


def registration_of(ctx: ShipmentContext, keys: tuple[str, ...]) -> Registration:
    found: dict[tuple[str | None, str | None, str], EstablishmentFacts] = {}
    for key in keys:
        for est in ctx.registry.establishments.get(key, ()):
            found[(est.fei, est.duns, est.firm_name)] = est
    listed = tuple(found.values())
    current = tuple(est for est in listed if est.current_on(ctx.inspection_date))
    return Registration(keys, listed, current)


def manufacturer_country(ctx: ShipmentContext) -> str:
    party = ctx.shipment.parties.get("manufacturer") or {}
    country = party.get("country") if isinstance(party.get("country"), str) else None
    return (country or ctx.shipment.origin_country or "").upper()


def is_foreign(ctx: ShipmentContext) -> bool:
    return manufacturer_country(ctx) not in ctx.policy.registration.domestic_countries


@shipment_rule("R40", "ESTABLISHMENT_NOT_REGISTERED")
def establishment_not_registered(ctx: ShipmentContext) -> Iterator[Finding]:
    """The foreign manufacturer, or an establishment affirmed with REG, is not currently registered.

    An unregistered foreign establishment is refusal charge FRNMFGREG (FD&C Act
    §510(i), §801(o)); high. Without the registration file loaded the check
    could not run, and the finding says so instead of staying silent.
    """
    manufacturer = ctx.shipment.parties.get("manufacturer") or {}
    affirmed = reg_affirmations(ctx.shipment.declared_lines)
    foreign = is_foreign(ctx)
    if not foreign and not affirmed:
        return
    if not is_loaded(ctx.datasets, REGISTRATIONS):
        yield Finding(
            "R40",
            Severity.INFO,
            "The drug establishment registration file is not loaded, so the manufacturer's "
            "registration was not checked; this is not a clean result.",
            {"missing": [REGISTRATIONS], "checked": False},
        )
        return
    if foreign:
        yield from _manufacturer(ctx, manufacturer)
    yield from _affirmations(ctx, affirmed, foreign)


def _manufacturer(ctx: ShipmentContext, party: Mapping[str, Any]) -> Iterator[Finding]:
    name = party.get("name") or "the manufacturer"
    registration = registration_of(ctx, party_identifiers(party))
    evidence: dict[str, Any] = {
        "party_role": "manufacturer",
        "firm_name": party.get("name"),
        "fei": party.get("fei"),
        "duns": party.get("duns"),
        "country": manufacturer_country(ctx),
        "status": registration.status,
    }
    if registration.status == "no identifier":
        yield Finding(
            "R40",
            Severity.INFO,
            f"The foreign manufacturer {name} was declared without an FEI or DUNS, so its "
            "registration could not be checked.",
            {**evidence, "checked": False},
        )
        return
    if registration.status == "registered":
        return
    ids = " / ".join(key.replace(":", " ").upper() for key in registration.keys)
    if registration.status == "lapsed":
        detail = "; ".join(_lapse(est) for est in registration.found)
        message = (
            f"The foreign manufacturer {name} ({ids}) is in FDA's registration file but not "
            f"currently registered ({detail}): charge {CHARGE}."
        )
    else:
        message = (
            f"The foreign manufacturer {name} ({ids}) is not in FDA's current drug "
            f"establishment registration file: unregistered foreign establishment, charge {CHARGE}."
        )
    yield Finding(
        "R40",
        Severity.HIGH,
        message,
        {**evidence, "charge": CHARGE, "registered": [_describe(e) for e in registration.found]},
    )


def _affirmations(
    ctx: ShipmentContext, affirmed: tuple[tuple[int, str], ...], foreign: bool
) -> Iterator[Finding]:
    lines_by_duns: dict[str, list[int]] = {}
    for line_number, duns in affirmed:
        lines_by_duns.setdefault(duns, []).append(line_number)
    for duns, lines in lines_by_duns.items():
        registration = registration_of(ctx, (f"duns:{duns}",))
        if registration.status == "registered":
            continue
        where = ", ".join(str(n) for n in lines)
        state = "is not currently registered" if registration.found else "is not registered"
        yield Finding(
            "R40",
            Severity.HIGH,
            f"The REG affirmation on line {where} names DUNS {duns}, which {state} with FDA"
            + (f": charge {CHARGE}." if foreign else "."),
            {
                "affirmation": "REG",
                "duns": duns,
                "lines": lines,
                "status": registration.status,
                "charge": CHARGE if foreign else None,
                "registered": [_describe(e) for e in registration.found],
            },
        )


def _lapse(est: EstablishmentFacts) -> str:
    if est.excluded:
        return f"{est.firm_name}: excluded from the current list"
    expired = est.expiration_date.isoformat() if est.expiration_date else "unknown date"
    return f"{est.firm_name}: registration expired {expired}"


def _describe(est: EstablishmentFacts) -> dict[str, Any]:
    return {
        "fei": est.fei,
        "duns": est.duns,
        "firm_name": est.firm_name,
        "country": est.country,
        "expiration_date": est.expiration_date.isoformat() if est.expiration_date else None,
        "operations": list(est.operations),
        "excluded": est.excluded,
    }

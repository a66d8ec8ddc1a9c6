"""Gather what the registration and refusal data say about a shipment, for R40, R41 and R16."""

from __future__ import annotations

from inspect_core.datasets import REFUSALS, REGISTRATIONS
from inspect_svc.triage.runtime import TriageRuntime
from rules.context import EstablishmentFacts, RegistryFacts, ShipmentFacts
from rules.freshness import is_loaded
from rules.registration import party_identifiers, reg_affirmations
from rules.registry_policy import history_since


def registry_facts(shipment: ShipmentFacts, runtime: TriageRuntime) -> RegistryFacts:
    """Registrations of the manufacturer's identifiers and REG affirmations; refusal history.

    Nothing is looked up for a dataset that is not loaded (the rules report
    that themselves).
    """
    datasets = runtime.reference.datasets()
    establishments: dict[str, tuple[EstablishmentFacts, ...]] = {}
    if is_loaded(datasets, REGISTRATIONS):
        keys = set(party_identifiers(shipment.parties.get("manufacturer") or {}))
        keys |= {f"duns:{duns}" for _line, duns in reg_affirmations(shipment.declared_lines)}
        establishments = {key: runtime.reference.establishments(key) for key in sorted(keys)}
    if not is_loaded(datasets, REFUSALS):
        return RegistryFacts(establishments)
    since = history_since(runtime.today, runtime.policy.firm_history)
    refusals = runtime.reference.refusal_history(shipment.parties, shipment.origin_country, since)
    context = None
    if refusals:
        codes = tuple(
            sorted(
                {
                    code.strip().upper()
                    for line in shipment.declared_lines
                    if isinstance(code := getattr(line, "fda_product_code", None), str)
                    and code.strip()
                }
            )
        )
        context = runtime.reference.refusal_context(shipment.origin_country, codes, since)
    return RegistryFacts(establishments, refusals, context)

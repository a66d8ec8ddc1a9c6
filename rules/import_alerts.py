"""Import-alert rules: a party to the entry is on an FDA drug import alert."""

from __future__ import annotations

from collections.abc import Iterator

from inspect_core.alert_scope import ScopeVerdict, parse_alert_scope, scope_verdict
from inspect_core.datasets import IMPORT_ALERTS
from inspect_core.names import LEGAL_FORMS, name_key
from rules.base import Finding, Severity, shipment_rule
from rules.context import ImportAlertHit, ShipmentContext
from rules.freshness import is_loaded

LIST_SEVERITY = {"red": Severity.CRITICAL, "yellow": Severity.MEDIUM}
_NOT_DISTINGUISHING = LEGAL_FORMS | {"the", "and", "of"}
"""Words that do not tell firms apart: legal forms and connectives."""


def firm_words(name: str) -> frozenset[str]:
    """The distinguishing words of a firm name, folded as import-alert names are.

    >>> sorted(firm_words("Eli Lilly and Company"))
    ['eli', 'lilly']
    >>> sorted(firm_words("Laboratorios Exémplo S.A."))
    ['exemplo', 'laboratorios']
    """
    return frozenset(name_key(name).split()) - _NOT_DISTINGUISHING


def same_firm_name(first: str, second: str) -> bool:
    """True when one name's distinguishing words include all of the other's.

    >>> same_firm_name("ELI LILLY & CO.", "Eli Lilly and Company")
    True
    """
    a, b = firm_words(first), firm_words(second)
    return bool(a and b) and (a <= b or b <= a)


def _same_firm(hit: ImportAlertHit, other: ImportAlertHit) -> bool:
    if hit.fei and other.fei:
        return hit.fei == other.fei
    return same_firm_name(hit.firm_name, other.firm_name)


def _green_listed(hit: ImportAlertHit, hits: tuple[ImportAlertHit, ...]) -> bool:
    return any(
        other.list_color.lower() == "green"
        and other.alert_number == hit.alert_number
        and _same_firm(hit, other)
        for other in hits
    )


def _shipment_substances(ctx: ShipmentContext) -> set[str]:
    """Active ingredients and generic names of the scanned and declared products."""
    products = ctx.tally.products
    products += list(ctx.declared_products.values())
    names: set[str] = set()
    for product in products:
        names.update(part.strip() for part in (product.substances or "").split(";"))
        if product.nonproprietary_name:
            names.add(product.nonproprietary_name)
    return {name for name in names if name}


def _scope(hit: ImportAlertHit, ctx: ShipmentContext) -> ScopeVerdict:
    codes = [line.fda_product_code or "" for line in ctx.shipment.declared_lines]
    return scope_verdict(parse_alert_scope(hit.product_scope), _shipment_substances(ctx), codes)


@shipment_rule("R14", "FIRM_ON_IMPORT_ALERT")
def firm_on_import_alert(ctx: ShipmentContext) -> Iterator[Finding]:
    """A party is on a drug import alert for these products: FDA has authorised detention
    without examination.

    Red List critical, Yellow List medium; a firm on the same alert's Green List is
    exempt (FD&C §801(a); FDA import alert Red/Yellow/Green lists, DWPE). A listing
    names products (`product_scope`): a shipment of other products is not hit, and
    when the scope cannot be compared the finding says so one step lower. Firms
    match on FEI first; a name never matches a listing of another FEI. Without
    loaded lists the parties could not be checked, and the finding says so.
    """
    if not is_loaded(ctx.datasets, IMPORT_ALERTS):
        yield Finding(
            "R14",
            Severity.MEDIUM,
            "Import-alert lists are not loaded, so the manufacturer, shipper and importer "
            "were not checked against FDA Red/Yellow Lists; this is not a clean result.",
            {"missing": [IMPORT_ALERTS], "checked": False},
        )
        return
    for hit in ctx.import_alert_hits:
        severity = LIST_SEVERITY.get(hit.list_color.lower())
        if severity is None or _green_listed(hit, ctx.import_alert_hits):
            continue
        verdict = _scope(hit, ctx)
        listed = (
            f"The {hit.party_role} {hit.firm_name} is on the {hit.list_color.title()} List of "
            f"import alert {hit.alert_number}"
        )
        evidence = {
            "alert_number": hit.alert_number,
            "list_color": hit.list_color.lower(),
            "party_role": hit.party_role,
            "firm_name": hit.firm_name,
            "fei": hit.fei,
            "matched_on": hit.matched_on,
            "product_scope": hit.product_scope,
            "in_scope": verdict.covered,
            "scope_reason": verdict.why,
            "entry_number": ctx.shipment.entry_number,
        }
        if verdict.covered == "no":
            yield Finding(
                "R14",
                Severity.INFO,
                f"{listed} only for {hit.product_scope}; {verdict.why}, so the listing does "
                "not reach this shipment.",
                evidence,
            )
            continue
        steps = 0
        notes = []
        if verdict.covered == "unknown":
            steps += 1
            notes.append(
                f"The listing is for {hit.product_scope!r} and could not be compared with this "
                f"shipment ({verdict.why}): confirm the products before release."
            )
        if hit.matched_on == "fei" and hit.fei:
            matched = f"FEI {hit.fei}"
        elif hit.fei:
            matched = f"name and country only; the listing gives FEI {hit.fei}: ask for the FEI"
        else:
            matched = "name only: confirm the firm's identity"
        scope = f" for {hit.product_scope}" if hit.product_scope else ""
        because = f" ({verdict.why})" if verdict.covered == "yes" and hit.product_scope else ""
        yield Finding(
            "R14",
            _step_down(severity, steps),
            f"{listed}{scope}{because} (matched on {matched}). {' '.join(notes)}".strip(),
            evidence,
        )


def _step_down(severity: Severity, steps: int) -> Severity:
    ranks = list(Severity)
    return ranks[max(Severity.LOW.rank, severity.rank - steps)] if steps else severity

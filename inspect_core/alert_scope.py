"""What an import-alert listing covers: its `product_scope`, read into parts R14 can compare.

FDA lists a firm on an alert for all its drugs or for named products. The
CSV's `product_scope` holds, separated by ";" or ",":

- "all drugs" (also "all", "all products"; an empty scope means the same);
- FDA product codes or code prefixes: "62", "66V", "62GCA99" (industry,
  class, subclass, process indicator, product; "-" where not applicable);
- substance names: "sildenafil citrate", "heparin" (optionally written
  "substance: heparin").

Text in parentheses is a remark and is ignored. Anything else ("unapproved
new drugs promoted to US consumers") is kept as written and shown, but cannot
be compared with a shipment, which R14 then says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_REMARK = re.compile(r"\([^)]*\)")
_SEPARATOR = re.compile(r"[;,]")
_ALL = frozenset({"all", "all drugs", "all products", "all drug products", "all human drugs"})
_PRODUCT_CODE = re.compile(r"^\d{2}[A-Z0-9-]{0,5}$")
_SUBSTANCE = re.compile(r"^[A-Z][A-Z0-9 .'/-]{2,60}$")
_NOT_A_SUBSTANCE = frozenset(
    {
        "drug", "drugs", "product", "products", "ingredient", "ingredients", "api", "apis",
        "new", "unapproved", "promoted", "listed", "exempt", "surveillance", "other", "various",
        "including", "dietary", "supplement", "supplements", "finished", "pharmaceutical",
        "pharmaceuticals", "medicines", "medical", "devices", "entry", "firm", "intensified",
    }
)  # fmt: skip
"""Words of a description of products, never of a substance name."""


@dataclass(frozen=True)
class AlertScope:
    all_drugs: bool = False
    product_codes: tuple[str, ...] = ()
    substances: tuple[str, ...] = ()
    unreadable: tuple[str, ...] = ()  # parts that are neither a code nor a substance


def parse_alert_scope(text: str | None) -> AlertScope:
    """The parts of a `product_scope`.

    >>> parse_alert_scope("All drugs (EXAMPLE entry; not a real firm)").all_drugs
    True
    >>> parse_alert_scope("62GCA; sildenafil citrate")
    AlertScope(all_drugs=False, product_codes=('62GCA',), substances=('SILDENAFIL CITRATE',), \
unreadable=())
    >>> parse_alert_scope("Unapproved new drugs promoted to US consumers").unreadable
    ('Unapproved new drugs promoted to US consumers',)
    """
    cleaned = _REMARK.sub(" ", text or "").strip()
    if not cleaned:
        return AlertScope(all_drugs=True)
    codes: list[str] = []
    substances: list[str] = []
    unreadable: list[str] = []
    all_drugs = False
    for part in (p.strip() for p in _SEPARATOR.split(cleaned)):
        item = re.sub(r"\s+", " ", part.removeprefix("substance:").strip()).upper()
        if not item:
            continue
        if item.lower() in _ALL:
            all_drugs = True
        elif _PRODUCT_CODE.match(item):
            codes.append(item)
        elif _SUBSTANCE.match(item) and not _NOT_A_SUBSTANCE & set(item.lower().split()):
            substances.append(item)
        else:
            unreadable.append(part)
    return AlertScope(all_drugs, tuple(codes), tuple(substances), tuple(unreadable))


@dataclass(frozen=True)
class ScopeVerdict:
    """Whether a shipment falls within a listing's scope: "yes", "no" or "unknown"."""

    covered: str
    why: str


def scope_verdict(
    scope: AlertScope, substances: Iterable[str], product_codes: Iterable[str]
) -> ScopeVerdict:
    """Compare a listing's scope with the shipment's substances and declared product codes.

    `substances` are the active ingredients (and generic names) of the scanned
    and declared products; `product_codes` the lines' FDA product codes.
    """
    if scope.all_drugs:
        return ScopeVerdict("yes", "the firm is listed for all drugs")
    names = {name.strip().upper() for name in substances if name and name.strip()}
    codes = {code.strip().upper() for code in product_codes if code and code.strip()}
    for prefix in scope.product_codes:
        hit = next((code for code in sorted(codes) if code.startswith(prefix)), None)
        if hit is not None:
            return ScopeVerdict("yes", f"declared product code {hit} is within {prefix}")
    for substance in scope.substances:
        hit = next((name for name in sorted(names) if _contains(name, substance)), None)
        if hit is not None:
            return ScopeVerdict("yes", f"the shipment carries {hit}")
    missing = []
    if scope.product_codes and not codes:
        missing.append("no line declares an FDA product code")
    if scope.substances and not names:
        missing.append("no product of the shipment is known to the NDC Directory yet")
    if scope.unreadable:
        missing.append(f"the listing's scope {'; '.join(scope.unreadable)!r} is not a product "
                       "code or substance")  # fmt: skip
    if missing:
        return ScopeVerdict("unknown", "; ".join(missing))
    seen = ", ".join(sorted(names) + sorted(codes)) or "none"
    return ScopeVerdict("no", f"the shipment's products ({seen}) are outside it")


def _contains(name: str, substance: str) -> bool:
    """Whether one names the other, salt or not ("SILDENAFIL" and "SILDENAFIL CITRATE")."""
    shorter, longer = sorted((name, substance), key=len)
    return re.search(rf"(?<![A-Z]){re.escape(shorter)}(?![A-Z])", longer) is not None

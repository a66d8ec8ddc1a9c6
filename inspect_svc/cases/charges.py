"""Refusal charge codes an exam result may cite (docs/selectivity.md).

The first five are the codes of FDA's import refusal data (`CHRG_CODE` of
`ACT_SECTION_CHARGES`) that drug refusals cite most; the others are broader
charges written in the same style. Extend the table when an exam needs
another code: unknown codes are refused so the hit-rate report can count
them.
"""

from __future__ import annotations

CHARGE_CODES: dict[str, str] = {
    "NOT LISTED": "drug not listed with FDA (FD&C Act 502(o), 510(j))",
    "UNAPPROVED": "new drug without an approved application (505(a))",
    "FRNMFGREG": "foreign establishment not registered",
    "AGR RX": "prescription drug reimported by someone other than its maker (801(d))",
    "DRG REF EI": "establishment inspection refused",
    "DRUG GMPS": "not made under current good manufacturing practice",
    "ADULTERATED": "adulterated",
    "MISBRANDED": "misbranded",
    "COUNTERFEIT": "counterfeit drug",
    "LABELING": "labelling false or misleading",
    "NO ENGLISH": "required label statements not in English",
    "DIRECTIONS": "no adequate directions for use",
}

"""Lawful bases for foreign labelling that the entry, not the scanned code, supplies.

A shortage import carries a foreign GTIN or national number, so the scan
itself names no directory product. When such a foreign pack arrives on an
entry whose declared line names an NDC that the directory lists as a shortage
import, that line is the pack's lawful basis (rules see it as
`ScanContext.lawful_bases`). Packs whose own NDC resolves are judged on their
own product instead.
"""

from __future__ import annotations

from inspect_core.interpret import Interpretation
from inspect_svc.triage.reference_source import ReferenceSource
from rules.context import LawfulBasis, ShipmentFacts


def declared_lawful_bases(
    interpretation: Interpretation, facts: ShipmentFacts, reference: ReferenceSource
) -> tuple[LawfulBasis, ...]:
    """Bases from declared lines, for a pack made for another market (no US NDC in its code)."""
    if interpretation.ndc10 is not None or not (interpretation.gtin or interpretation.nhrn):
        return ()
    bases: list[LawfulBasis] = []
    for line in facts.declared_lines:
        if not line.ndc10:
            continue
        for product in reference.products_for(line.ndc10):
            basis = product.lawful_foreign_basis
            if basis is not None:
                bases.append(
                    LawfulBasis(
                        basis.kind,
                        f"declared line {line.line_number} names NDC {product.ndc}, {basis.reason}",
                    )
                )
                break
    return tuple(bases)

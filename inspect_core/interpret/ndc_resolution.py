"""Settle the NDC split of an interpretation from the FDA directory, after interpreting.

``interpret`` does no I/O: it leaves a GTIN's or a typed 10-digit NDC's
split open (``ndc_candidates``) and an ambiguous 11-digit form ambiguous.
``resolve_ndc`` asks the directory (a ``NdcResolver``) and returns the
interpretation as if the directory had been known all along. Whatever the
resolver raises (a database error) propagates: a scan whose NDC could not
be looked up must not be stored as if the directory had no answer.
"""

from collections.abc import Callable
from dataclasses import replace

from inspect_core.interpret import codes
from inspect_core.interpret.result import Interpretation

NdcResolver = Callable[[str], str | None]
"""Given 10 NDC digits, the hyphenated NDC the FDA directory knows, or None."""


def resolve_ndc(interpretation: Interpretation, resolver: NdcResolver) -> Interpretation:
    """``interpretation`` with its NDC split settled by ``resolver`` where the directory knows it.

    A GTIN or a typed NDC whose 10 digits the directory does not know gets
    the warning ``ndc_unresolved``; the split is never guessed.
    """
    if interpretation.format == "ndc":
        return _typed(interpretation, resolver)
    if interpretation.gtin is None or interpretation.ndc10 is None:
        return interpretation
    resolved = resolver(interpretation.ndc10)
    if resolved:
        return replace(interpretation, ndc=resolved, ndc_candidates=())
    return _unresolved(interpretation)


def _typed(interpretation: Interpretation, resolver: NdcResolver) -> Interpretation:
    if codes.NDC_AMBIGUOUS in interpretation.errors:
        known = [
            (candidate, hyphenated)
            for candidate in interpretation.ndc_candidates
            if (hyphenated := resolver(candidate.replace("-", "")))
        ]
        if len(known) != 1:
            return interpretation
        [(candidate, hyphenated)] = known
        return replace(
            interpretation,
            ndc10=candidate.replace("-", ""),
            ndc=hyphenated,
            ndc_candidates=(),
            errors=tuple(e for e in interpretation.errors if e != codes.NDC_AMBIGUOUS),
        )
    if interpretation.ndc10 is None:
        return interpretation
    resolved = resolver(interpretation.ndc10)
    if resolved:
        return replace(interpretation, ndc=resolved, ndc_candidates=())
    return _unresolved(interpretation)


def _unresolved(interpretation: Interpretation) -> Interpretation:
    """With ``ndc_unresolved`` where the interpreter reports NDC warnings (before
    ``no_product_identifier`` for a typed NDC, last for a GTIN)."""
    warnings = list(interpretation.warnings)
    if codes.NDC_UNRESOLVED in warnings:
        return interpretation
    at = len(warnings)
    if interpretation.format == "ndc" and codes.NO_PRODUCT_IDENTIFIER in warnings:
        at = warnings.index(codes.NO_PRODUCT_IDENTIFIER)
    warnings.insert(at, codes.NDC_UNRESOLVED)
    return replace(interpretation, warnings=tuple(warnings))

"""Identifier rules: is the scanned code a well-formed, complete, US DSCSA product identifier?"""

from __future__ import annotations

from collections.abc import Iterator

from inspect_core.interpret import Interpretation, codes
from inspect_core.ndc import candidates_from_ndc11, gs1_check_digit
from rules.base import Finding, Severity, unit_rule
from rules.context import LawfulBasis, ScanContext
from rules.exclusions import ExclusionMatch, match_exclusion
from rules.product import UNKNOWN_PRODUCT_NOTE, describe_pack, pack_evidence, rx_applies

OWNED_ELSEWHERE = {
    codes.SEPARATOR_MISSING: "R1b",
    codes.GTIN_CHECK_DIGIT: "R2",
    codes.MISSING_GTIN: "R4",
    codes.MISSING_SERIAL: "R4",
    codes.MISSING_LOT: "R4",
    codes.MISSING_EXPIRY: "R4",
}
"""Interpretation errors that another rule reports, so that R1 does not count them twice."""

MISSING_ELEMENT = {
    codes.MISSING_GTIN: "GTIN (AI 01)",
    codes.MISSING_SERIAL: "serial number (AI 21)",
    codes.MISSING_LOT: "lot (AI 10)",
    codes.MISSING_EXPIRY: "expiry date (AI 17)",
}
FOREIGN_NHRN = {
    "710": "Germany (PZN)",
    "711": "France (CIP)",
    "712": "Spain (CN)",
    "713": "Brazil (DRN)",
    "714": "Portugal (AIM)",
    "716": "Italy (AIC)",
    "717": "another market (SRN)",
}
"""GS1 national healthcare reimbursement number AIs of foreign markets (GS1 AIs 710-717)."""

_PACKAGE_INDICATORS = (None, "0")
_PI_ELEMENTS = {
    "01": codes.MISSING_GTIN,
    "21": codes.MISSING_SERIAL,
    "10": codes.MISSING_LOT,
    "17": codes.MISSING_EXPIRY,
}


def dscsa_exclusion(ctx: ScanContext) -> ExclusionMatch | None:
    """The DSCSA exclusion (policy data) the scanned product falls under, if any."""
    return match_exclusion(ctx.product, ctx.policy.dscsa_exclusions)


def separator_pending(ctx: ScanContext) -> bool:
    """A lost separator is suspected and the code has not been re-read identically yet."""
    return codes.SEPARATOR_MISSING in ctx.interpretation.errors and ctx.same_raw_rescans == 0


def _softened(basis: LawfulBasis | None, severity: Severity) -> Severity:
    return Severity.INFO if basis is not None else severity


def _basis_note(basis: LawfulBasis | None) -> str:
    return f" Lawful basis: {basis.reason}; not a risk for that reason alone." if basis else ""


@unit_rule("R1", "SCAN_UNPARSEABLE")
def scan_unparseable(ctx: ScanContext) -> Iterator[Finding]:
    """The scan is not valid GS1 data: malformed codes are typical of amateur counterfeit printing.

    GS1 General Specifications (element string syntax, CSET 82); rescan to rule out a misread.
    """
    interpretation = ctx.interpretation
    errors = [code for code in interpretation.errors if code not in OWNED_ELSEWHERE]
    if not errors:
        return
    yield Finding(
        "R1",
        Severity.MEDIUM,
        f"The scan {interpretation.raw!r} could not be read as a valid product identifier "
        f"(problems: {', '.join(errors)}). Rescan; if it persists the code itself is faulty.",
        {"raw": interpretation.raw, "errors": errors, "format": interpretation.format},
    )


@unit_rule("R1b", "SEPARATOR_PROBABLY_LOST")
def separator_probably_lost(ctx: ScanContext) -> Iterator[Finding]:
    """A group separator was evidently lost, so lot and serial cannot be split with certainty.

    Usually a scanner setting (keyboard wedge drops GS), not a forged code. When
    the code also reads validly as it is (a lot that swallowed `21` + serial, or
    a pack without serial), the split is ambiguous: medium, so the scan is amber
    "re-scan" with the candidate readings. A code whose only valid reading is
    the split is info. An identical re-read in the same shipment settles it: the
    code is taken as read and R4 judges it (GS1 General Specifications: FNC1
    ends every variable-length field).
    """
    interpretation = ctx.interpretation
    if codes.SEPARATOR_MISSING not in interpretation.errors:
        return
    readings = [dict(candidate) for candidate in interpretation.separator_candidates]
    shown = "; ".join(
        " ".join(f"({ai}){value}" for ai, value in reading.items()) for reading in readings
    )
    evidence = {
        "raw": interpretation.raw,
        "readings": readings,
        "rescans": ctx.same_raw_rescans,
    }
    if ctx.same_raw_rescans:
        yield Finding(
            "R1b",
            Severity.INFO,
            f"The scan {interpretation.raw!r} was read again with the same result; it is "
            "taken as read (possible split readings were: "
            f"{shown}).",
            evidence,
        )
        return
    if len(readings) > 1:  # e.g. the literal reading and a split one
        yield Finding(
            "R1b",
            Severity.MEDIUM,
            f"Re-scan {interpretation.raw!r}: its group separators (GS) may have been lost, "
            f"and it reads validly more than one way: {shown}. Check the scanner's GS "
            "setting and scan the pack again; the same result again is judged as read.",
            {**evidence, "ambiguous": True},
        )
        return
    yield Finding(
        "R1b",
        Severity.INFO,
        f"The scan {interpretation.raw!r} looks like its group separators (GS) were lost; "
        f"its only valid reading is {shown}. Check the scanner's GS setting.",
        {**evidence, "ambiguous": False},
    )


@unit_rule("R2", "GTIN_CHECK_DIGIT_INVALID")
def gtin_check_digit_invalid(ctx: ScanContext) -> Iterator[Finding]:
    """The GTIN's mod-10 check digit is wrong: genuine printers compute it, so the code was made up.

    GS1 General Specifications, standard mod-10 check digit calculation.
    """
    interpretation = ctx.interpretation
    gtin = interpretation.gtin
    if codes.GTIN_CHECK_DIGIT not in interpretation.errors or gtin is None:
        return
    expected = str(gs1_check_digit(gtin[:13]))
    yield Finding(
        "R2",
        Severity.HIGH,
        f"GTIN {gtin} has check digit {gtin[13]} but its digits require {expected} "
        f"(a valid GTIN would be {gtin[:13]}{expected}).",
        {**pack_evidence(interpretation), "check_digit": gtin[13], "expected": expected},
    )


@unit_rule("R3", "NOT_GS1_SYMBOL")
def not_gs1_datamatrix(ctx: ScanContext) -> Iterator[Finding]:
    """A prescription package's identifier was read from something other than a GS1 DataMatrix.

    DSCSA (FD&C §581(14), §582): a package's product identifier is a 2D Data Matrix;
    the linear 21 CFR 201.25 barcode carries the GTIN only.
    """
    interpretation = ctx.interpretation
    linear_only = (
        interpretation.format == "gtin" and codes.NO_PRODUCT_IDENTIFIER in interpretation.warnings
    )
    other_symbol = codes.NOT_DATAMATRIX in interpretation.warnings
    if (
        not (linear_only or other_symbol)
        or interpretation.gtin_indicator not in _PACKAGE_INDICATORS
    ):
        return
    applies, assumed = rx_applies(ctx.product, ctx.policy)
    if not applies or dscsa_exclusion(ctx) is not None:
        return
    basis = ctx.lawful_foreign_basis
    symbology = interpretation.symbology or "no symbology identifier"
    if linear_only:
        what = f"only a linear barcode ({symbology}) carrying the GTIN, no serial, lot or expiry"
    else:
        what = f"a {symbology} symbol, not a GS1 DataMatrix (]d2)"
    message = (
        f"{describe_pack(interpretation, ctx.product)} was read from {what}. A prescription "
        "package must carry its identifier in a GS1 DataMatrix: scan it, or record that "
        "the pack has none."
    )
    message += _basis_note(basis)
    yield Finding(
        "R3",
        _softened(basis, Severity.MEDIUM),
        f"{message} {UNKNOWN_PRODUCT_NOTE}" if assumed else message,
        {
            **pack_evidence(interpretation),
            "symbology": interpretation.symbology,
            "linear_only": linear_only,
            "rx_assumed": assumed,
            "lawful_basis": basis.kind if basis else None,
        },
    )


@unit_rule("R4", "PI_INCOMPLETE")
def product_identifier_incomplete(ctx: ScanContext) -> Iterator[Finding]:
    """An Rx pack lacks GTIN, serial, lot or expiry: a missing statutory identifier is misbranding.

    DSCSA FD&C §582 and §502(ss); packs made before the grandfathering cut-off
    (AI 11 production date) are exempt, and so are products outside the DSCSA
    "product" definition (FD&C §581(13), reported by R4e). Silent while R1b
    waits for a re-scan; an identical re-read is judged as read. A lawful basis
    for foreign labelling (shortage import, IND) makes it information only.
    """
    interpretation = ctx.interpretation
    if separator_pending(ctx):
        return
    if codes.SEPARATOR_MISSING in interpretation.errors:
        present = {ai for ai, _ in interpretation.elements}
        missing = [code for ai, code in _PI_ELEMENTS.items() if ai not in present]
    else:
        missing = [code for code in MISSING_ELEMENT if code in interpretation.errors]
    if not missing:
        return
    applies, assumed = rx_applies(ctx.product, ctx.policy)
    if not applies or _grandfathered(ctx) or dscsa_exclusion(ctx) is not None:
        return
    basis = ctx.lawful_foreign_basis
    elements = [MISSING_ELEMENT[code] for code in missing]
    message = (
        f"{describe_pack(interpretation, ctx.product)} lacks its {', '.join(elements)}: "
        "a prescription package must carry the full DSCSA product identifier."
    )
    if interpretation.prod_date is not None:
        message += (
            f" It was produced on {interpretation.prod_date.isoformat()}, after the "
            f"grandfathering cut-off {ctx.policy.grandfather_before.isoformat()}."
        )
    if ctx.same_raw_rescans:
        message += " The same code was read again, so this is not a lost separator."
    message += _basis_note(basis)
    yield Finding(
        "R4",
        _softened(basis, Severity.HIGH),
        f"{message} {UNKNOWN_PRODUCT_NOTE}" if assumed else message,
        {
            **pack_evidence(interpretation),
            "missing": missing,
            "prod_date": interpretation.prod_date.isoformat() if interpretation.prod_date else None,
            "rx_assumed": assumed,
            "lawful_basis": basis.kind if basis else None,
        },
    )


@unit_rule("R4e", "DSCSA_EXCLUDED_PRODUCT")
def dscsa_excluded_product(ctx: ScanContext) -> Iterator[Finding]:
    """The product is outside the DSCSA "product" definition: it needs no product identifier.

    FD&C §581(13) leaves out medical gases, radioactive and imaging drugs, IV
    fluid/electrolyte/calorie products, dialysis and irrigation solutions,
    homeopathics, compounded drugs and blood for transfusion; the mapping from
    directory fields is policy data. Information for the officer: R3 and R4 stay silent.
    """
    found = dscsa_exclusion(ctx)
    if found is None or ctx.product is None:
        return
    exclusion = found.exclusion
    yield Finding(
        "R4e",
        Severity.INFO,
        f"{describe_pack(ctx.interpretation, ctx.product)} falls under the DSCSA exclusion "
        f"for {exclusion.name} ({found.because}): not a DSCSA product, so it needs no "
        f"serialised identifier ({exclusion.statute}).",
        {
            **pack_evidence(ctx.interpretation),
            "exclusion": exclusion.id,
            "because": found.because,
            "statute": exclusion.statute,
        },
    )


def _grandfathered(ctx: ScanContext) -> bool:
    """Plausibly packaged before the cut-off: an earlier AI 11 date, or none and already expired.

    An unexpired pack without a production date is never taken as grandfathered
    (docs/identifiers.md §1.4); an expired one is reported by R5 instead.
    """
    interpretation = ctx.interpretation
    if interpretation.prod_date is not None:
        return interpretation.prod_date < ctx.policy.grandfather_before
    return interpretation.expiry is not None and interpretation.expiry < ctx.inspection_date


def foreign_pack_reasons(interpretation: Interpretation) -> list[str]:
    """Why a pack was made for another market: a non-NDC GTIN, foreign reimbursement numbers."""
    reasons = []
    if codes.NOT_US_GTIN in interpretation.warnings and interpretation.gtin:
        reasons.append(
            f"GTIN {interpretation.gtin} does not embed a US NDC "
            f"(prefix {interpretation.gtin[1:3]}, not 03)"
        )
    reasons += [
        f"it carries AI ({ai}) {value}, a reimbursement number for {FOREIGN_NHRN[ai]}"
        for ai, value in interpretation.nhrn.items()
        if ai in FOREIGN_NHRN
    ]
    return reasons


@unit_rule("R6", "NON_US_GTIN")
def non_us_pack(ctx: ScanContext) -> Iterator[Finding]:
    """The pack was made for another market (non-NDC GTIN or foreign reimbursement number).

    Foreign labelling is not FDA-approved labelling: diversion or parallel import
    (FD&C §801(a); GS1 AIs 710-717 national healthcare reimbursement numbers).
    """
    interpretation = ctx.interpretation
    reasons = foreign_pack_reasons(interpretation)
    foreign = {ai: value for ai, value in interpretation.nhrn.items() if ai in FOREIGN_NHRN}
    if reasons:
        basis = ctx.lawful_foreign_basis
        yield Finding(
            "R6",
            _softened(basis, Severity.HIGH),
            f"{describe_pack(interpretation, ctx.product)} is a pack made for another "
            f"market: {'; '.join(reasons)}.{_basis_note(basis)}",
            {
                **pack_evidence(interpretation),
                "foreign_nhrn": foreign,
                "lawful_basis": basis.kind if basis else None,
            },
        )


@unit_rule("R2b", "NHRN_NDC_MISMATCH")
def nhrn_ndc_mismatch(ctx: ScanContext) -> Iterator[Finding]:
    """AI 715 (the US NDC as a reimbursement number) names another NDC than the GTIN.

    GS1 AI 715 carries the NDC next to the GTIN; on a US GTIN (prefix 03) both
    must name the same product and package. Disagreement means a relabelled or
    assembled code (GS1 General Specifications, AI 715 NHRN USA FDA NDC).
    """
    interpretation = ctx.interpretation
    declared = interpretation.nhrn.get("715")
    if declared is None or interpretation.gtin is None or interpretation.ndc10 is None:
        return
    digits = "".join(ch for ch in declared if ch.isdigit())
    if ndc_matches_gtin(digits, interpretation.ndc10):
        return
    yield Finding(
        "R2b",
        Severity.HIGH,
        f"AI (715) {declared} names NDC {declared}, but GTIN {interpretation.gtin} carries "
        f"NDC {interpretation.ndc or interpretation.ndc10}: the two identifiers of the pack "
        "disagree.",
        {**pack_evidence(interpretation), "nhrn_715": declared, "gtin_ndc10": interpretation.ndc10},
    )


def ndc_matches_gtin(digits: str, ndc10: str) -> bool:
    """Whether AI 715 digits name the GTIN's NDC10 (written as NDC10 or as 11-digit NDC).

    >>> ndc_matches_gtin("0002140701", "0002140701"), ndc_matches_gtin("00002140701", "0002140701")
    (True, True)
    >>> ndc_matches_gtin("00002140702", "0002140701")
    False
    """
    if digits == ndc10:
        return True
    return any(candidate.ndc10 == ndc10 for candidate in candidates_from_ndc11(digits))

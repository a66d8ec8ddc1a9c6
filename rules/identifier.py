"""Identifier rules: is the scanned code a well-formed, complete, US DSCSA product identifier?"""

from __future__ import annotations

from collections.abc import Iterator

from inspect_svc.interpret import codes
from inspect_svc.ndc import gs1_check_digit
from rules.base import Finding, Severity, unit_rule
from rules.context import ScanContext
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

    Usually a scanner setting (keyboard wedge drops GS), not a forged code; blocks R4
    until a rescan (GS1 General Specifications: FNC1 ends every variable-length field).
    """
    interpretation = ctx.interpretation
    if codes.SEPARATOR_MISSING not in interpretation.errors:
        return
    readings = [dict(candidate) for candidate in interpretation.separator_candidates]
    shown = "; ".join(
        " ".join(f"({ai}){value}" for ai, value in reading.items()) for reading in readings
    )
    yield Finding(
        "R1b",
        Severity.INFO,
        f"The scan {interpretation.raw!r} looks like its group separators (GS) were lost; "
        f"possible readings: {shown}. Check the scanner's GS setting and rescan before "
        "judging completeness.",
        {"raw": interpretation.raw, "readings": readings},
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
    applies, assumed = rx_applies(ctx.product)
    if not applies:
        return
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
    yield Finding(
        "R3",
        Severity.MEDIUM,
        f"{message} {UNKNOWN_PRODUCT_NOTE}" if assumed else message,
        {
            **pack_evidence(interpretation),
            "symbology": interpretation.symbology,
            "linear_only": linear_only,
            "rx_assumed": assumed,
        },
    )


@unit_rule("R4", "PI_INCOMPLETE")
def product_identifier_incomplete(ctx: ScanContext) -> Iterator[Finding]:
    """An Rx pack lacks GTIN, serial, lot or expiry: a missing statutory identifier is misbranding.

    DSCSA FD&C §582 and §502(ss); packs made before the grandfathering cut-off
    (AI 11 production date) are exempt. Silent while R1b is open.
    """
    interpretation = ctx.interpretation
    missing = [code for code in MISSING_ELEMENT if code in interpretation.errors]
    if not missing or codes.SEPARATOR_MISSING in interpretation.errors:
        return
    applies, assumed = rx_applies(ctx.product)
    if not applies or _grandfathered(ctx):
        return
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
    yield Finding(
        "R4",
        Severity.HIGH,
        f"{message} {UNKNOWN_PRODUCT_NOTE}" if assumed else message,
        {
            **pack_evidence(interpretation),
            "missing": missing,
            "prod_date": interpretation.prod_date.isoformat() if interpretation.prod_date else None,
            "rx_assumed": assumed,
        },
    )


def _grandfathered(ctx: ScanContext) -> bool:
    """Plausibly packaged before the cut-off: an earlier AI 11 date, or none and already expired.

    An unexpired pack without a production date is never taken as grandfathered
    (DOMAIN §1.4); an expired one is reported by R5 instead.
    """
    interpretation = ctx.interpretation
    if interpretation.prod_date is not None:
        return interpretation.prod_date < ctx.policy.grandfather_before
    return interpretation.expiry is not None and interpretation.expiry < ctx.inspection_date


@unit_rule("R6", "NON_US_GTIN")
def non_us_pack(ctx: ScanContext) -> Iterator[Finding]:
    """The pack was made for another market (non-NDC GTIN or foreign reimbursement number).

    Foreign labelling is not FDA-approved labelling: diversion or parallel import
    (FD&C §801(a); GS1 AIs 710-717 national healthcare reimbursement numbers).
    """
    interpretation = ctx.interpretation
    reasons = []
    if codes.NOT_US_GTIN in interpretation.warnings and interpretation.gtin:
        reasons.append(
            f"GTIN {interpretation.gtin} does not embed a US NDC "
            f"(prefix {interpretation.gtin[1:3]}, not 03)"
        )
    foreign = {ai: value for ai, value in interpretation.nhrn.items() if ai in FOREIGN_NHRN}
    reasons += [
        f"it carries AI ({ai}) {value}, a reimbursement number for {FOREIGN_NHRN[ai]}"
        for ai, value in foreign.items()
    ]
    if not reasons:
        return
    basis = ctx.shipment.lawful_foreign_basis
    message = (
        f"{describe_pack(interpretation, ctx.product)} is a pack made for another "
        f"market: {'; '.join(reasons)}."
    )
    if basis:
        message += f" Lawful on this entry: {'; '.join(basis)} (investigational use)."
    yield Finding(
        "R6",
        Severity.INFO if basis else Severity.HIGH,
        message,
        {**pack_evidence(interpretation), "foreign_nhrn": foreign, "lawful_basis": list(basis)},
    )

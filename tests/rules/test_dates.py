"""Date rules R5, R5b, R10, R11."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from rules import Severity
from rules.dates import expired, marketing_ended, not_yet_marketed, short_dated_or_implausible
from tests.rules.conftest import GS, PACK, QUINIDINE, make_scan_context, pack, run, with_product


@pytest.mark.parametrize(
    ("inspection", "days"),
    [(date(2027, 4, 1), 1), (date(2028, 3, 31), 366)],
)
def test_r5_fires(inspection: date, days: int) -> None:
    finding = run(expired, make_scan_context(PACK, inspection_date=inspection))[0]
    assert (finding.rule, finding.severity) == ("R5", Severity.HIGH)
    assert finding.evidence["days_expired"] == days
    assert "2027-03-31" in finding.message and "lot LOT42" in finding.message


@pytest.mark.parametrize(
    ("raw", "inspection"),
    [
        pytest.param(PACK, date(2027, 3, 31), id="expires-today"),
        pytest.param(PACK, date(2025, 6, 1), id="in-date"),
        pytest.param(f"]d2010030002140701810LOT42{GS}21SN0001", date(2025, 6, 1), id="no-ai17"),
    ],
)
def test_r5_silent(raw: str, inspection: date) -> None:
    assert run(expired, make_scan_context(raw, inspection_date=inspection)) == []


@pytest.mark.parametrize(
    ("raw", "facts", "severity", "quoted"),
    [
        pytest.param(pack(expiry="250829"), {}, Severity.INFO, "89 days away", id="short-89"),
        pytest.param(pack(expiry="250601"), {}, Severity.INFO, "0 days away", id="expires-today"),
        pytest.param(pack(expiry="310602"), {}, Severity.MEDIUM, "more than 6 years", id="far"),
        pytest.param(
            f"]d20100300021407018112704011727030010LOT42{GS}21SN0001",
            {},
            Severity.MEDIUM,
            "production date 2027-04-01 is after the expiry 2027-03-31",
            id="made-after-expiry",
        ),
        pytest.param(
            PACK,
            {"product": with_product(QUINIDINE, marketing_start=date(2027, 6, 1))},
            Severity.MEDIUM,
            "before the product was first marketed on 2027-06-01",
            id="before-marketing",
        ),
    ],
)
def test_r5b_fires(raw: str, facts: dict[str, Any], severity: Severity, quoted: str) -> None:
    finding = run(short_dated_or_implausible, make_scan_context(raw, **facts))[0]
    assert (finding.rule, finding.severity) == ("R5b", severity)
    assert quoted in finding.message


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(pack(expiry="250830"), id="90-days"),
        pytest.param(pack(expiry="310601"), id="exactly-6-years"),
        pytest.param(pack(expiry="250531"), id="expired-is-R5"),
        pytest.param(PACK, id="normal"),
    ],
)
def test_r5b_silent(raw: str) -> None:
    assert run(short_dated_or_implausible, make_scan_context(raw)) == []


@pytest.mark.parametrize(
    ("end", "severity", "quoted"),
    [
        pytest.param(date(2027, 3, 1), None, None, id="end-in-future"),
        pytest.param(date(2025, 5, 1), Severity.HIGH, "expires on 2027-03-31", id="outlives-end"),
    ],
)
def test_r10_end_against_expiry(end: date, severity: Severity | None, quoted: str | None) -> None:
    product = with_product(QUINIDINE, marketing_end=end)
    findings = run(marketing_ended, make_scan_context(PACK, product=product))
    if severity is None:
        assert findings == []
        return
    assert (findings[0].rule, findings[0].severity) == ("R10", severity)
    assert end.isoformat() in findings[0].message and str(quoted) in findings[0].message
    assert findings[0].evidence["marketing_end"] == end.isoformat()


@pytest.mark.parametrize(
    ("expiry", "severity"),
    [("250901", Severity.MEDIUM), ("250930", Severity.MEDIUM), ("251001", Severity.HIGH)],
    ids=["before-end-plus-30", "end-plus-30", "end-plus-31"],
)
def test_r10_grace_boundary(expiry: str, severity: Severity) -> None:
    product = with_product(QUINIDINE, marketing_end=date(2025, 8, 31))
    inspection = date(2025, 9, 1)
    ctx = make_scan_context(pack(expiry=expiry), product=product, inspection_date=inspection)
    assert [f.severity for f in run(marketing_ended, ctx)] == [severity]


def test_r10_silent_without_end() -> None:
    assert run(marketing_ended, make_scan_context(PACK)) == []


@pytest.mark.parametrize(
    ("raw", "start", "quoted"),
    [
        pytest.param(PACK, date(2025, 6, 2), "after the inspection date 2025-06-01", id="future"),
        pytest.param(
            f"]d20100300021407018112001011727030010LOT42{GS}21SN0001",
            date(2021, 1, 1),
            "after the pack's production date 2020-01-01",
            id="before-made",
        ),
    ],
)
def test_r11_fires(raw: str, start: date, quoted: str) -> None:
    product = with_product(QUINIDINE, marketing_start=start)
    finding = run(not_yet_marketed, make_scan_context(raw, product=product))[0]
    assert (finding.rule, finding.severity) == ("R11", Severity.HIGH)
    assert quoted in finding.message and start.isoformat() in finding.message


@pytest.mark.parametrize(
    "start", [date(2025, 6, 1), date(1950, 1, 1), None], ids=["today", "long-ago", "unknown"]
)
def test_r11_silent(start: date | None) -> None:
    product = with_product(QUINIDINE, marketing_start=start)
    assert run(not_yet_marketed, make_scan_context(PACK, product=product)) == []

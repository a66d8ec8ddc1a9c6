"""R40 (establishment registration), R41 (firm refusal history), R16's labeler check."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from inspect_core.datasets import REFUSALS, REGISTRATIONS
from rules import DatasetStatus, DeclaredLineFacts, Severity
from rules.context import (
    Affirmation,
    EstablishmentFacts,
    RefusalContext,
    RefusalFacts,
    RegistryFacts,
)
from rules.firm_history import firm_refusal_history, refusal_weight
from rules.manifest import entry_quantity_or_party_mismatch
from rules.registration import establishment_not_registered
from tests.rules.conftest import (
    TODAY,
    all_datasets,
    make_shipment,
    make_shipment_context,
    make_summary,
    run,
)

PLANT = EstablishmentFacts(
    "3001234567",
    "123456789",
    "EXAMPLE Remedies Private Limited",
    "IN",
    date(2027, 12, 31),
    ("MANUFACTURE", "PACK"),
)
LAB_ONLY = EstablishmentFacts(
    "3007654321",
    "987654321",
    "EXAMPLE Analytical Services GmbH",
    "DE",
    date(2027, 12, 31),
    ("ANALYSIS",),
)
LAPSED = EstablishmentFacts(
    "3009999999", "555555555", "EXAMPLE Lapsed Pharma", "CN", date(2024, 12, 31), ("MANUFACTURE",)
)
REGISTERED = {
    "fei:3001234567": (PLANT,),
    "duns:123456789": (PLANT,),
    "fei:3007654321": (LAB_ONLY,),
    "fei:3009999999": (LAPSED,),
}


def _ctx(
    manufacturer: dict[str, Any],
    *,
    origin: str = "IN",
    registry: RegistryFacts | None = None,
    datasets: Any = None,
    lines: tuple[Any, ...] = (),
    scans: tuple[Any, ...] = (),
) -> Any:
    return make_shipment_context(
        scans,
        shipment=make_shipment(
            origin_country=origin,
            parties={"manufacturer": manufacturer},
            declared_lines=lines or make_shipment().declared_lines,
        ),
        registry=registry or RegistryFacts(REGISTERED),
        datasets=all_datasets() if datasets is None else datasets,
    )


@pytest.mark.parametrize(
    ("manufacturer", "origin", "expected"),
    [
        pytest.param(
            {"name": "EXAMPLE Remedies", "fei": "3001234567"}, "IN", [], id="registered-fei"
        ),
        pytest.param(
            {"name": "EXAMPLE Remedies", "duns": "123456789"}, "IN", [], id="registered-duns"
        ),
        pytest.param(
            {"name": "EXAMPLE Unknown", "fei": "3000000001"},
            "IN",
            [("unregistered", Severity.HIGH)],
            id="unregistered",
        ),
        pytest.param(
            {"name": "EXAMPLE Lapsed", "fei": "3009999999"},
            "CN",
            [("lapsed", Severity.HIGH)],
            id="registration-expired",
        ),
        pytest.param(
            {"name": "EXAMPLE Unknown", "fei": "3000000001", "country": "US"},
            "IN",
            [],
            id="domestic-manufacturer",
        ),
        pytest.param(
            {"name": "EXAMPLE Remedies"}, "IN", [("no identifier", Severity.INFO)], id="no-id"
        ),
    ],
)
def test_r40_foreign_manufacturer(
    manufacturer: dict[str, Any], origin: str, expected: list[tuple[str, Severity]]
) -> None:
    findings = run(establishment_not_registered, _ctx(manufacturer, origin=origin))
    assert [(f.evidence["status"], f.severity) for f in findings] == expected
    for finding in findings:
        if finding.severity is Severity.HIGH:
            assert finding.evidence["charge"] == "FRNMFGREG" and "FRNMFGREG" in finding.message


def test_r40_expired_registration_names_the_date() -> None:
    (finding,) = run(
        establishment_not_registered, _ctx({"name": "EXAMPLE Lapsed", "fei": "3009999999"})
    )
    assert "registration expired 2024-12-31" in finding.message
    assert finding.evidence["registered"][0]["expiration_date"] == "2024-12-31"


@pytest.mark.parametrize(
    "datasets",
    [
        pytest.param({k: v for k, v in all_datasets().items() if k != REGISTRATIONS}, id="absent"),
        pytest.param(
            all_datasets(registrations=DatasetStatus(REGISTRATIONS, False)), id="unloaded"
        ),
    ],
)
def test_r40_not_loaded_says_not_checked(datasets: Any) -> None:
    (finding,) = run(
        establishment_not_registered,
        _ctx({"name": "EXAMPLE Unknown", "fei": "3000000001"}, datasets=datasets),
    )
    assert finding.severity is Severity.INFO and finding.evidence["checked"] is False
    assert "not a clean result" in finding.message


@pytest.mark.parametrize(
    ("qualifier", "fires"),
    [("123456789", False), ("555555555", True), ("000000000", True), ("12345", False)],
)
def test_r40_reg_affirmation(qualifier: str, fires: bool) -> None:
    line = DeclaredLineFacts(
        1,
        "0002-1407-01",
        "0002140701",
        10,
        "each",
        affirmations=(Affirmation("DA", "020702"), Affirmation("REG", qualifier)),
    )
    registry = RegistryFacts({**REGISTERED, "duns:555555555": (LAPSED,)})
    findings = run(
        establishment_not_registered,
        _ctx({"name": "EXAMPLE Remedies", "fei": "3001234567"}, registry=registry, lines=(line,)),
    )
    assert [(f.evidence.get("affirmation"), f.severity) for f in findings] == (
        [("REG", Severity.HIGH)] if fires else []
    )
    if fires:
        assert findings[0].evidence["duns"] == qualifier and findings[0].evidence["lines"] == [1]


def _refusal(days_ago: int, *charges: str, role: str = "manufacturer") -> RefusalFacts:
    return RefusalFacts(
        role,
        "fei",
        "EXAMPLE Remedies Private Limited",
        "3001234567",
        "IN",
        date.fromordinal(TODAY.toordinal() - days_ago),
        charges,
        "62GCA11",
        "K80-2162679-2",
    )


@pytest.mark.parametrize(
    ("refusals", "severity"),
    [
        pytest.param((_refusal(30, "NOT LISTED"),), Severity.LOW, id="one-recent"),
        pytest.param((_refusal(30, "LABELING"),), Severity.INFO, id="one-recent-minor"),
        pytest.param((_refusal(3650, "DRUG GMPS"),), Severity.INFO, id="one-old-gmp"),
        pytest.param(
            (_refusal(10, "DRUG GMPS"), _refusal(400, "UNAPPROVED")),
            Severity.MEDIUM,
            id="recent-gmp",
        ),
        pytest.param(
            (_refusal(10, "COUNTERFEIT"), _refusal(20, "DRUG GMPS"), _refusal(90, "FRNMFGREG")),
            Severity.HIGH,
            id="pattern",
        ),
    ],
)
def test_r41_weighs_recency_and_charge(
    refusals: tuple[RefusalFacts, ...], severity: Severity
) -> None:
    ctx = _ctx({"name": "x"}, registry=RegistryFacts({}, refusals))
    (finding,) = run(firm_refusal_history, ctx)
    assert finding.severity is severity
    assert finding.evidence["refusal_count"] == len(refusals)
    assert finding.evidence["refusals"][0]["refusal_date"] == refusals[0].refusal_date.isoformat()


def test_r41_weight_halves_each_half_life() -> None:
    ctx = _ctx({"name": "x"})
    assert refusal_weight(_refusal(0, "DRUG GMPS"), ctx) == pytest.approx(3.0)
    assert refusal_weight(_refusal(730, "DRUG GMPS", "LABELING"), ctx) == pytest.approx(1.5)
    assert refusal_weight(_refusal(1460, "LABELING"), ctx) == pytest.approx(0.25)


def test_r41_evidence_and_context_per_party() -> None:
    refusals = (_refusal(30, "NOT LISTED", "UNAPPROVED"), _refusal(60, "FRNMFGREG", role="shipper"))
    context = RefusalContext(date(2015, 6, 1), 1000, "IN", 250, (("62GCA11", 40),))
    findings = run(
        firm_refusal_history, _ctx({"name": "x"}, registry=RegistryFacts({}, refusals, context))
    )
    assert [f.evidence["party_role"] for f in findings] == ["manufacturer", "shipper"]
    first = findings[0]
    assert (
        "2025-05-02 (NOT LISTED, UNAPPROVED)" in first.message and "FEI 3001234567" in first.message
    )
    assert "250 of 1000 drug refusals since 2015-06-01 (25.0 %) were from IN" in first.message
    assert first.evidence["context"]["product_codes"] == {"62GCA11": 40}
    assert first.evidence["refusals"][0]["charges"] == ["NOT LISTED", "UNAPPROVED"]


def test_r41_silent_without_history_and_not_checked_without_data() -> None:
    assert run(firm_refusal_history, _ctx({"name": "x"})) == []
    datasets = all_datasets(refusals=DatasetStatus(REFUSALS, False))
    (finding,) = run(firm_refusal_history, _ctx({"name": "x"}, datasets=datasets))
    assert finding.severity is Severity.INFO and finding.evidence["checked"] is False


# R16's labeler check: Quinidine (labeler Eli Lilly and Company) declared as made by another firm.
@pytest.mark.parametrize(
    ("manufacturer", "severity", "reason"),
    [
        pytest.param(
            {"name": "EXAMPLE Remedies", "fei": "3001234567"},
            Severity.INFO,
            None,
            id="contract-maker",
        ),
        pytest.param({"name": "EXAMPLE Remedies"}, Severity.INFO, None, id="no-identifier"),
        pytest.param(
            {"name": "EXAMPLE Unknown", "fei": "3000000001"},
            Severity.MEDIUM,
            "not currently registered",
            id="unregistered",
        ),
        pytest.param(
            {"name": "EXAMPLE Analytical", "fei": "3007654321"},
            Severity.MEDIUM,
            "registered only for ANALYSIS",
            id="not-a-manufacturer",
        ),
    ],
)
def test_r16_private_label_is_information_unless_registration_contradicts(
    manufacturer: dict[str, Any], severity: Severity, reason: str | None
) -> None:
    ctx = _ctx(manufacturer, scans=(make_summary(),))
    (finding,) = run(entry_quantity_or_party_mismatch, ctx)
    assert finding.severity is severity and finding.evidence["check"] == "party"
    if reason is None:
        assert "information only" in finding.message and finding.evidence["registration"] is None
    else:
        assert reason in finding.message and reason in finding.evidence["registration"]


def test_r16_without_registration_data_is_information() -> None:
    datasets = all_datasets(registrations=DatasetStatus(REGISTRATIONS, False))
    ctx = _ctx(
        {"name": "EXAMPLE Unknown", "fei": "3000000001"}, datasets=datasets, scans=(make_summary(),)
    )
    (finding,) = run(entry_quantity_or_party_mismatch, ctx)
    assert finding.severity is Severity.INFO


def test_declared_line_facts_without_affirmations_are_skipped() -> None:
    line = DeclaredLineFacts(1, "0002-1407-01", "0002140701", 10, "each")
    ctx = _ctx({"name": "EXAMPLE Remedies", "fei": "3001234567"}, lines=(line,))
    assert run(establishment_not_registered, ctx) == []

"""Reference-data rule R0."""

from __future__ import annotations

from datetime import date

from rules import DatasetStatus, Severity
from rules.freshness import reference_data_missing_or_stale
from tests.rules.conftest import PACK, all_datasets, make_scan_context, run


def test_r0_silent_when_all_loaded_and_fresh() -> None:
    assert run(reference_data_missing_or_stale, make_scan_context(PACK)) == []


def test_r0_missing_dataset_is_medium_and_names_rules() -> None:
    datasets = all_datasets(recalls=DatasetStatus("recalls", False))
    del datasets["ndc"]
    finding = run(reference_data_missing_or_stale, make_scan_context(PACK, datasets=datasets))[0]
    assert (finding.rule, finding.severity) == ("R0", Severity.MEDIUM)
    assert finding.evidence == {
        "missing": ["ndc", "recalls"],
        "rules_not_run": ["R10", "R11", "R13", "R20", "R22", "R23", "R7"],
    }
    assert "ndc, recalls" in finding.message and "R13" in finding.message


def test_r0_missing_supplementary_directory_files_is_info() -> None:
    datasets = all_datasets()
    del datasets["ndc_excluded"], datasets["ndc_unfinished"]
    findings = run(reference_data_missing_or_stale, make_scan_context(PACK, datasets=datasets))
    assert [(f.rule, f.severity) for f in findings] == [("R0", Severity.INFO)]
    assert findings[0].evidence["rules_not_run"] == ["R8", "R8b"]


def test_r0_leaves_import_alerts_to_the_shipment_rule() -> None:
    datasets = all_datasets()
    del datasets["import_alerts"]
    assert run(reference_data_missing_or_stale, make_scan_context(PACK, datasets=datasets)) == []


def test_r0_stale_dataset_is_info() -> None:
    stale = DatasetStatus("ndc", True, as_of=date(2025, 5, 1), age_days=31, max_age_days=7)
    finding = run(
        reference_data_missing_or_stale, make_scan_context(PACK, datasets=all_datasets(ndc=stale))
    )[0]
    assert (finding.rule, finding.severity) == ("R0", Severity.INFO)
    assert finding.evidence["stale"] == [
        {"dataset": "ndc", "as_of": "2025-05-01", "age_days": 31, "max_age_days": 7}
    ]
    assert "ndc as of 2025-05-01 (31 days old, maximum 7)" in finding.message


def test_r0_at_maximum_age_is_fresh() -> None:
    edge = DatasetStatus("ndc", True, as_of=date(2025, 5, 25), age_days=7, max_age_days=7)
    ctx = make_scan_context(PACK, datasets=all_datasets(ndc=edge))
    assert run(reference_data_missing_or_stale, ctx) == []

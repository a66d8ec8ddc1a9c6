"""Import-alert CSV loading, name normalisation and the FEI-then-name look-up."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from inspect_core.names import name_key
from inspect_svc.reference.import_alerts import import_alert_matches, load_import_alerts
from inspect_svc.reference.sample import SAMPLE_DIR
from inspect_svc.reference.sources import read_sources

EXAMPLE = SAMPLE_DIR / "import_alerts_EXAMPLE.csv"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Acme Pharma Pvt. Ltd.", "ACME PHARMA PRIVATE LIMITED"),
        ("Acme Pharma Inc", "Acme Pharma, Inc."),
        ("Acme Pharma LLC", "acme   pharma"),
        ("Ácme Phärma GmbH", "Acme Pharma"),
        ("Acme Pharma S.A.", "Acme Pharma SA"),
        ("Acme Pharma Co., Ltd.", "ACME PHARMA CO LTD"),
        ("Acme & Sons Co.", "Acme and Sons"),
    ],
)
def test_name_key_equal(first: str, second: str) -> None:
    assert name_key(first) == name_key(second)


def test_name_key_keeps_distinct_firms_apart() -> None:
    assert name_key("Acme Pharma Ltd") != name_key("Acme Pharmaceuticals Ltd")
    assert name_key("Limited") == "limited"


def test_example_loads_and_matches(engine: Engine) -> None:
    report = load_import_alerts(engine, read_sources([EXAMPLE])[0])
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (5, 5, 0)
    with Session(engine) as session:
        (by_fei,) = import_alert_matches(session, fei="0000000001")
        assert by_fei.basis == "fei" and by_fei.list_color == "red" and by_fei.country == "IN"
        (by_name,) = import_alert_matches(
            session, firm_name="example fictitious remedies private limited", country="India"
        )
        assert by_name.basis == "name+country" and by_name.alert_number == "66-40"
        assert (
            import_alert_matches(session, firm_name="EXAMPLE Fictitious Remedies Ltd", country="CN")
            == []
        )
        (mexico,) = import_alert_matches(
            session, firm_name="Example Pretend Laboratorios", country="MX"
        )
        assert mexico.list_color == "green"


def test_bad_rows_are_rejected_with_reasons(engine: Engine, tmp_path: Path) -> None:
    csv_file = tmp_path / "alerts.csv"
    csv_file.write_text(
        EXAMPLE.read_text(encoding="utf-8")
        + "66-40,purple,EXAMPLE Firm,,IN,,,\n"
        + "6640,red,EXAMPLE Firm,,IN,,,\n"
        + "66-40,red,EXAMPLE Firm,,Atlantis,,,\n"
        + "66-40,red,EXAMPLE Firm\n",
        encoding="utf-8",
    )
    report = load_import_alerts(engine, read_sources([csv_file])[0])
    assert report.rows_loaded == 5
    assert report.reasons == {
        "list is not red, yellow or green": 1,
        "alert_number is not like 66-40": 1,
        "country not known to ISO 3166": 1,
        "wrong number of fields": 1,
    }


def test_csv_without_product_scope_column_loads_as_all_drugs(
    engine: Engine, tmp_path: Path
) -> None:
    csv_file = tmp_path / "old_alerts.csv"
    csv_file.write_text(
        "alert_number,list,firm_name,fei,country,city,listed_on\n"
        "66-40,red,EXAMPLE Old Format Pharma,0000000009,IN,EXAMPLE City,2020-01-15\n",
        encoding="utf-8",
    )
    report = load_import_alerts(engine, read_sources([csv_file])[0])
    assert (report.rows_loaded, report.rows_rejected) == (1, 0)
    with Session(engine) as session:
        (match,) = import_alert_matches(session, fei="0000000009")
    assert match.product_scope is None


def test_name_does_not_match_a_listing_of_another_establishment(engine: Engine) -> None:
    load_import_alerts(engine, read_sources([EXAMPLE])[0])
    with Session(engine) as session:
        name = "EXAMPLE Fictitious Remedies Pvt. Ltd."
        assert import_alert_matches(session, fei="3009999999", firm_name=name, country="IN") == []
        (same,) = import_alert_matches(session, firm_name=name, country="IN")
    assert same.basis == "name+country"

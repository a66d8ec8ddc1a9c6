"""Loading FDA Import Refusal records with ACT_SECTION_CHARGES, and the firm-history look-ups."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from inspect_svc.reference.refusal_loader import RefusalLoadError, load_refusals
from inspect_svc.reference.registry_lookup import refusal_context, refusals_of
from inspect_svc.reference.sources import read_sources
from tests.registry_files import (
    CHARGES_CSV,
    REMEDIES_FEI,
    refusal_bytes,
    refusal_row,
    write_zip,
)

ROWS = (
    refusal_row(
        REMEDIES_FEI, "EXAMPLE Remedies Private Limited", "IN", date(2025, 3, 7), "3280,3010"
    ),
    refusal_row(REMEDIES_FEI, "EXAMPLE Remedies Pvt. Ltd.", "IN", date(2019, 8, 1), "3360"),
    refusal_row("", "EXAMPLE Nameonly Pharma Ltd", "IN", "02-JAN-24", "3770", "66VCA99"),
    refusal_row("3004445556", "EXAMPLE Other Firm", "CN", date(2024, 5, 5), "3120", "53AB01"),
)
LATIN1 = refusal_row("3001112223", "Laboratorios Exémplo S.A.", "MX", date(2024, 6, 1), "3010")


def _files(
    tmp_path: Path, rows: tuple[str, ...] = ROWS, latin1: tuple[str, ...] = ()
) -> list[Path]:
    refusals = tmp_path / "REFUSAL_ENTRY_2019-2025.csv"
    refusals.write_bytes(refusal_bytes(rows, latin1))
    charges = tmp_path / "ACT_SECTION_CHARGES.csv"
    charges.write_bytes(CHARGES_CSV)
    return [refusals, charges]


def test_good_rows_with_charges_resolved(engine: Engine, tmp_path: Path) -> None:
    report = load_refusals(engine, read_sources(_files(tmp_path, latin1=(LATIN1,))))
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (10, 10, 0)
    assert report.fallback_rows == 1
    assert report.as_of == "2025-03-07"  # newest refusal: a plain CSV has no date of its own
    with Session(engine) as session:
        by_fei = refusals_of(
            session,
            "manufacturer",
            fei=REMEDIES_FEI,
            firm_name=None,
            country=None,
            since=date(2015, 1, 1),
        )
        assert [(r.refusal_date, r.charges, r.matched_on) for r in by_fei] == [
            (date(2025, 3, 7), ("NOT LISTED", "UNAPPROVED"), "fei"),
            (date(2019, 8, 1), ("DRUG GMPS",), "fei"),
        ]
        recent = refusals_of(
            session,
            "manufacturer",
            fei=REMEDIES_FEI,
            firm_name=None,
            country=None,
            since=date(2020, 1, 1),
        )
        assert len(recent) == 1
        (by_name,) = refusals_of(
            session,
            "shipper",
            fei="3000000001",
            firm_name="Example Nameonly Pharma Private Limited",
            country="India",
            since=date(2015, 1, 1),
        )
        assert by_name.matched_on == "name+country" and by_name.charges == ("FRNMFGREG",)
        assert by_name.refusal_date == date(2024, 1, 2) and by_name.party_role == "shipper"
        assert (
            refusals_of(
                session,
                "shipper",
                fei=None,
                firm_name="EXAMPLE Nameonly Pharma Ltd",
                country="CN",
                since=date(2015, 1, 1),
            )
            == ()
        )
        context = refusal_context(session, "IN", ("62GCA11", "53AB01"), date(2015, 1, 1))
        # Drug refusals: all but the cosmetic (53) line; three of four from India.
        assert (context.drug_refusals, context.country_refusals) == (4, 3)
        assert dict(context.product_codes) == {"53AB01": 1, "62GCA11": 3}


def test_zip_member_date_is_as_of(engine: Engine, tmp_path: Path) -> None:
    refusals, charges = _files(tmp_path)
    archive = write_zip(
        tmp_path / "Import_Refusal_2024-present.zip",
        {
            "REFUSAL_ENTRY_2024.csv": refusals.read_bytes(),
            "ACT_SECTION_CHARGES.csv": charges.read_bytes(),
        },
        date(2026, 11, 28),
    )
    assert load_refusals(engine, read_sources([archive])).as_of == "2026-11-28"
    assert load_refusals(engine, read_sources([archive]), date(2026, 1, 2)).as_of == "2026-01-02"


def test_rows_are_rejected_with_reasons(engine: Engine, tmp_path: Path) -> None:
    bad = (
        refusal_row("12AB", "EXAMPLE Bad FEI", "IN", date(2024, 1, 1), "3280"),
        refusal_row("3001234567", "EXAMPLE Bad Date", "IN", "2024/13/01", "3280"),
        refusal_row("3001234567", "EXAMPLE Unknown Charge", "IN", date(2024, 1, 1), "9999"),
        refusal_row("3001234567", "EXAMPLE Bad Country", "IND", date(2024, 1, 1), "3280"),
        '3001234567,"EXAMPLE Short Row",IN',
    )
    report = load_refusals(engine, read_sources(_files(tmp_path, (*ROWS, *bad))))
    assert report.rows_loaded == 5 + 4
    assert dict(report.reasons) == {
        "MFG_FIRM_FEI_NUM is not 4 to 10 digits": 1,
        "REFUSAL_DATE is not dd-Mon-yy": 1,
        "REFUSAL_CHARGES names an ASC_ID not in ACT_SECTION_CHARGES": 1,
        "ISO_CNTRY_CODE is not two letters": 1,
        "wrong number of fields": 1,
    }


def test_charge_table_is_required(engine: Engine, tmp_path: Path) -> None:
    refusals, _charges = _files(tmp_path)
    with pytest.raises(RefusalLoadError, match=r"ACT_SECTION_CHARGES\.csv is not among the inputs"):
        load_refusals(engine, read_sources([refusals]))


def test_missing_columns_name_the_file(engine: Engine, tmp_path: Path) -> None:
    refusals, charges = _files(tmp_path)
    refusals.write_bytes(b"LGL_NAME,REFUSAL_DATE\r\nx,01-JAN-24\r\n")
    with pytest.raises(RefusalLoadError, match="missing column"):
        load_refusals(engine, read_sources([refusals, charges]))

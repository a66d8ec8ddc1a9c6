"""Loading FDA's drug establishment registration file (DECRS layout) and looking firms up."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from inspect_svc.cli.context import CliContext
from inspect_svc.cli.reference import reference
from inspect_svc.models.reference import Establishment
from inspect_svc.reference.freshness import dataset_as_of
from inspect_svc.reference.registration_loader import (
    RegistrationLoadError,
    load_registrations,
)
from inspect_svc.reference.registry_lookup import establishments_by_id
from inspect_svc.reference.sources import read_sources
from inspect_svc.settings import Settings
from tests.registry_files import (
    BAD_DECRS_ROWS,
    CHARGES_CSV,
    EXCLUDED_FEI,
    EXEMPLO_FEI,
    EXEMPLO_ROW,
    GOOD_DECRS_ROWS,
    LAPSED_DUNS,
    REMEDIES_DUNS,
    REMEDIES_FEI,
    decrs_bytes,
    refusal_bytes,
    refusal_row,
    write_zip,
)


def _zip(tmp_path: Path, data: bytes, day: date = date(2026, 11, 30)) -> Path:
    return write_zip(
        tmp_path / "drls_reg.zip", {"drls_reg.txt": data, "drls_reg.xls": b"\xd0\xcf"}, day
    )


def test_good_rows_load_with_the_zip_date_as_of(engine: Engine, tmp_path: Path) -> None:
    path = _zip(tmp_path, decrs_bytes(GOOD_DECRS_ROWS, latin1_rows=[EXEMPLO_ROW]))
    report = load_registrations(engine, read_sources([path]))
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (5, 5, 0)
    assert report.as_of == "2026-11-30"
    assert report.fallback_rows == 1 and report.replaced_bytes == 0
    with Session(engine) as session:
        assert dataset_as_of(session, "registrations") == date(2026, 11, 30)
        (remedies,) = establishments_by_id(session, "fei", REMEDIES_FEI)
        assert remedies.duns == REMEDIES_DUNS and remedies.country == "IN"
        assert remedies.operations == ("MANUFACTURE", "ANALYSIS", "PACK")
        assert remedies.expiration_date == date(2027, 12, 31) and not remedies.excluded
        assert establishments_by_id(session, "duns", REMEDIES_DUNS) == (remedies,)
        (lapsed,) = establishments_by_id(session, "duns", LAPSED_DUNS)
        assert not lapsed.current_on(date(2026, 12, 1)) and lapsed.country == "CN"
        (excluded,) = establishments_by_id(session, "fei", EXCLUDED_FEI)
        assert excluded.excluded and not excluded.current_on(date(2026, 12, 1))
        (exemplo,) = establishments_by_id(session, "fei", EXEMPLO_FEI)
        assert exemplo.firm_name == "Laboratorios Exémplo S.A. de C.V." and exemplo.country == "MX"
        assert establishments_by_id(session, "fei", "3000000000") == ()


def test_rows_are_rejected_with_reasons(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "drls_reg.txt"
    path.write_bytes(decrs_bytes((*GOOD_DECRS_ROWS, *BAD_DECRS_ROWS)))
    report = load_registrations(engine, read_sources([path]), as_of=date(2026, 1, 5))
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (8, 4, 4)
    assert dict(report.reasons) == {
        "FEI_NUMBER is not 7 to 10 digits": 1,
        "EXPIRATION_DATE is not MM/DD/YYYY": 1,
        "wrong number of fields": 1,
        "DUNS_NUMBER is not 9 digits": 1,
    }
    assert [r.line for r in report.rejections] == [6, 7, 8, 9]
    assert report.as_of == "2026-01-05"


def test_undecodable_bytes_are_counted_not_guessed(engine: Engine, tmp_path: Path) -> None:
    row = GOOD_DECRS_ROWS[0].replace("EXAMPLE Remedies", "EXAMPLE Rem\x81dies")
    path = tmp_path / "drls_reg.txt"
    path.write_bytes(decrs_bytes((), latin1_rows=[]) + row.encode("latin-1") + b"\r\n")
    report = load_registrations(engine, read_sources([path]))
    assert report.rows_loaded == 1
    # The name appears twice (establishment and registrant): two undefined bytes replaced.
    assert (report.fallback_rows, report.replaced_bytes) == (1, 2)


def test_reload_switches_the_snapshot(engine: Engine, tmp_path: Path) -> None:
    load_registrations(engine, read_sources([_zip(tmp_path, decrs_bytes())]))
    first = tmp_path / "again"
    first.mkdir()
    second = _zip(first, decrs_bytes(GOOD_DECRS_ROWS[:1]), date(2026, 12, 1))
    report = load_registrations(engine, read_sources([second]))
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Establishment)) == 1
        assert dataset_as_of(session, "registrations") == date(2026, 12, 1)
        assert establishments_by_id(session, "duns", LAPSED_DUNS) == ()
    assert report.rows_loaded == 1


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"drls_reg.xls": b"\xd0\xcf"}, "no registration text file"),
        ({"drls_reg.txt": b"FEI_NUMBER\tFIRM_NAME\r\n1\tx\r\n"}, "missing column(s) DUNS_NUMBER"),
    ],
)
def test_not_a_registration_file(
    engine: Engine, tmp_path: Path, members: dict[str, bytes], message: str
) -> None:
    path = write_zip(tmp_path / "x.zip", members, date(2026, 1, 1))
    with pytest.raises(
        RegistrationLoadError, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        load_registrations(engine, read_sources([path]))


def test_cli_load_registrations_and_refusals(
    app: Flask, app_settings: Settings, tmp_path: Path
) -> None:
    registrations = _zip(tmp_path, decrs_bytes((*GOOD_DECRS_ROWS, BAD_DECRS_ROWS[0])))
    refusals = tmp_path / "REFUSAL_ENTRY.csv"
    refusals.write_bytes(
        refusal_bytes([refusal_row(REMEDIES_FEI, "EXAMPLE Remedies", "IN", "07-MAR-25", "3280")])
    )
    charges = tmp_path / "ACT_SECTION_CHARGES.csv"
    charges.write_bytes(CHARGES_CSV)
    context = CliContext(app_settings, app)
    result = CliRunner().invoke(reference, ["load-registrations", str(registrations)], obj=context)
    assert result.exit_code == 0, result.output
    assert "registrations: 5 rows read, 4 loaded, 1 rejected (as of 2026-11-30)" in result.output
    assert "rejected 1: FEI_NUMBER is not 7 to 10 digits" in result.output
    result = CliRunner().invoke(
        reference,
        ["load-refusals", str(refusals), str(charges), "--as-of", "2025-03-31"],
        obj=context,
    )
    assert result.exit_code == 0, result.output
    assert "refusals: 6 rows read, 6 loaded, 0 rejected (as of 2025-03-31)" in result.output
    result = CliRunner().invoke(reference, ["load-refusals", str(refusals)], obj=context)
    assert (
        result.exit_code == 1 and "ACT_SECTION_CHARGES.csv is not among the inputs" in result.output
    )

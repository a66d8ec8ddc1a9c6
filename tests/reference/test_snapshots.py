"""`replacing_snapshot`: a finished block publishes; a block that raises leaves the old snapshot."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from inspect_core.datasets import IMPORT_ALERTS
from inspect_svc.models.reference import ImportAlertFirm, ReferenceDataset, ReferenceSnapshot
from inspect_svc.reference.import_alerts import TABLE, load_import_alerts
from inspect_svc.reference.report import LoadReport
from inspect_svc.reference.rows import insert_batches
from inspect_svc.reference.sample import SAMPLE_DIR
from inspect_svc.reference.snapshots import replacing_snapshot
from inspect_svc.reference.sources import read_sources

EXAMPLE = SAMPLE_DIR / "import_alerts_EXAMPLE.csv"
FIRM = {
    "alert_number": "66-40",
    "list_color": "red",
    "firm_name": "EXAMPLE Snapshot Test Ltd",
    "name_key": "example snapshot test",
}


def _state(engine: Engine) -> tuple[int | None, int, int, list[str]]:
    """Current snapshot id, snapshot count, firm count, and the current firms' names."""
    with Session(engine) as session:
        current = session.scalar(
            select(ReferenceDataset.current_snapshot_id).where(
                ReferenceDataset.name == IMPORT_ALERTS
            )
        )
        snapshots = session.scalar(select(func.count()).select_from(ReferenceSnapshot)) or 0
        firms = session.scalar(select(func.count()).select_from(ImportAlertFirm)) or 0
        names = session.scalars(
            select(ImportAlertFirm.firm_name).where(ImportAlertFirm.snapshot_id == current)
        ).all()
    return current, snapshots, firms, list(names)


def _load_one_firm(engine: Engine, report: LoadReport, fail: bool) -> None:
    with (
        engine.begin() as connection,
        replacing_snapshot(connection, report, date(2026, 3, 1), [], (TABLE,)) as snapshot_id,
    ):
        report.rows_loaded = insert_batches(
            connection, TABLE, [{**FIRM, "snapshot_id": snapshot_id}]
        )
        if fail:
            raise RuntimeError("load failed after its rows were inserted")


def test_a_failed_block_leaves_the_previous_snapshot_current(engine: Engine) -> None:
    first = load_import_alerts(engine, read_sources([EXAMPLE])[0])
    before = _state(engine)
    assert before[0] == first.snapshot_id and before[2] == first.rows_loaded > 1
    report = LoadReport(IMPORT_ALERTS)
    with pytest.raises(RuntimeError, match="after its rows were inserted"):
        _load_one_firm(engine, report, fail=True)
    assert _state(engine) == before
    assert report.snapshot_id is None


def test_a_finished_block_publishes_and_deletes_the_old_rows(engine: Engine) -> None:
    load_import_alerts(engine, read_sources([EXAMPLE])[0])
    report = LoadReport(IMPORT_ALERTS)
    report.reject("x.csv", 3, "empty firm_name")
    _load_one_firm(engine, report, fail=False)
    current, snapshots, firms, names = _state(engine)
    assert (current, snapshots, firms, names) == (
        report.snapshot_id,
        2,
        1,
        ["EXAMPLE Snapshot Test Ltd"],
    )
    with Session(engine) as session:
        snapshot = session.get(ReferenceSnapshot, current)
        assert snapshot is not None
        assert (snapshot.as_of, snapshot.rows_loaded, snapshot.rows_rejected) == (
            date(2026, 3, 1),
            1,
            1,
        )


def test_the_first_load_of_a_dataset_creates_its_pointer(engine: Engine) -> None:
    report = LoadReport(IMPORT_ALERTS)
    _load_one_firm(engine, report, fail=False)
    assert _state(engine) == (report.snapshot_id, 1, 1, ["EXAMPLE Snapshot Test Ltd"])

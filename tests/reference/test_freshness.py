"""Dataset age for the REFERENCE_DATA_STALE rule."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from inspect_svc.reference.freshness import dataset_age_days, dataset_status
from inspect_svc.reference.ndc_loader import load_ndc
from inspect_svc.reference.sources import read_sources


def test_age_and_unknown(engine: Engine, data_dir: Path) -> None:
    with Session(engine) as session:
        assert dataset_age_days(session, "ndc") is None
    load_ndc(engine, read_sources([data_dir / "ndc_2014"]), date(2014, 1, 27))
    with Session(engine) as session:
        assert dataset_age_days(session, "ndc", today=date(2014, 2, 3)) == 7
        (status,) = dataset_status(session)
    assert status.name == "ndc" and status.rows_loaded == 599 and status.loaded_at.tzinfo

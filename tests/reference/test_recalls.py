"""Recall loader and look-ups against real openFDA records (tests/data/recalls_extract.json)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from inspect_svc.models.reference import RecallNdc
from inspect_svc.reference.recall_loader import RecallLoadError, load_recalls
from inspect_svc.reference.recall_lookup import recalled_lots, recalls_for_ndc
from inspect_svc.reference.sources import read_sources


@pytest.fixture
def loaded(engine: Engine, data_dir: Path) -> Engine:
    report = load_recalls(engine, read_sources([data_dir / "recalls_extract.json"]))
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (7, 7, 0)
    assert report.as_of == "2021-04-28"
    return engine


def test_description_ndc_wins_over_openfda_hint(loaded: Engine) -> None:
    with Session(loaded) as session:
        (hit,) = recalls_for_ndc(session, "10544-522-20")
        assert hit.recall_number == "D-1110-2015" and hit.ndc_source == "description"
        # openFDA's block for this clarithromycin recall lists captopril NDCs: kept as a hint.
        (hint,) = recalls_for_ndc(session, "64679-902-01")
        assert hint.recall_number == "D-1110-2015" and hint.ndc_source == "openfda"
        sources = set(session.scalars(select(RecallNdc.source)))
    assert sources == {"description", "openfda"}


def test_listed_lot_is_recalled_other_lot_is_not(loaded: Engine) -> None:
    with Session(loaded) as session:
        (hit,) = recalled_lots(session, "0143974910", "11BR003B")
        assert hit.lot_match == "lot" and not hit.open and hit.classification == "Class II"
        assert recalled_lots(session, "0143-9749-10", "11BR009B") == []


def test_all_lots_recall_covers_any_lot_and_is_open(loaded: Engine) -> None:
    with Session(loaded) as session:
        (hit,) = recalled_lots(session, "43547-370-09", "ANYTHING1")
    assert hit.recall_number == "D-0971-2018" and hit.lot_match == "all-lots" and hit.open
    assert hit.recalls_as_of == date(2021, 4, 28)


def test_lot_in_range(loaded: Engine) -> None:
    with Session(loaded) as session:
        (hit,) = recalled_lots(session, "44132-002-05", "73801512345")
        assert hit.lot_match == "lot-range"
        assert recalled_lots(session, "44132-002-05", "73801703001") == []


def test_gtin_form_works_for_recalls(loaded: Engine) -> None:
    with Session(loaded) as session:
        hits = recalls_for_ndc(session, "00343825102017")
    assert [h.recall_number for h in hits] == ["D-1432-2012"]


def test_reload_replaces(loaded: Engine, data_dir: Path) -> None:
    load_recalls(loaded, read_sources([data_dir / "recalls_extract.json"]), date(2021, 5, 1))
    with Session(loaded) as session:
        hits = recalls_for_ndc(session, "0143-9749-10")
    assert len(hits) == 1 and hits[0].recalls_as_of == date(2021, 5, 1)


def test_not_an_openfda_file(engine: Engine, tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text('{"meta": {}}')
    with pytest.raises(RecallLoadError, match="no 'results' list"):
        load_recalls(engine, read_sources([bad]))

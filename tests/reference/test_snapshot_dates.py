"""A snapshot's `as_of` is the data's own date, so an old file loaded today looks old."""

from __future__ import annotations

import gzip
import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from inspect_core.datasets import IMPORT_ALERTS, NDC_DATASETS, RECALLS
from inspect_svc.reference.import_alerts import load_import_alerts
from inspect_svc.reference.ndc_loader import load_ndc
from inspect_svc.reference.recall_loader import load_recalls
from inspect_svc.reference.sample import SAMPLE_DIR
from inspect_svc.reference.sources import read_sources
from inspect_svc.settings import ReferenceSettings
from inspect_svc.triage.database_reference import DatabaseReference, ReferenceMemos

TODAY = datetime.now(UTC).date()


def _fresh_copy(tmp_path: Path, *names: str, folder: Path = SAMPLE_DIR) -> list[Path]:
    """Copies of bundled files with today's modification time, as a download would have."""
    copies = []
    for name in names:
        target = tmp_path / name
        shutil.copyfile(folder / name, target)
        copies.append(target)
    return copies


def test_2014_directory_copied_today_is_dated_by_its_newest_listing(
    engine: Engine, tmp_path: Path
) -> None:
    paths = _fresh_copy(tmp_path, "product.txt", "package.txt")
    (report,) = load_ndc(engine, read_sources(paths))
    assert report.as_of == "2014-01-22"  # the newest STARTMARKETINGDATE in the sample
    with Session(engine) as session:
        status = DatabaseReference(session, TODAY, ReferenceSettings(), ReferenceMemos()).datasets()
    finished = status[NDC_DATASETS["finished"]]
    assert finished.as_of == date(2014, 1, 22) and finished.stale


def test_2018_unfinished_files_are_dated_2018(engine: Engine, tmp_path: Path) -> None:
    """An extract of FDA's unfinished files of 2018-06-25, copied today: dated by its data."""
    folder = Path(__file__).resolve().parent.parent / "data" / "ndc_unfinished_extract"
    paths = _fresh_copy(tmp_path, "unfinished_product.txt", "unfinished_package.txt",
                        folder=folder)  # fmt: skip
    (report,) = load_ndc(engine, read_sources(paths))
    assert report.as_of is not None and "2018-01-01" <= report.as_of < "2018-06-26"


def test_explicit_as_of_wins(engine: Engine, tmp_path: Path) -> None:
    paths = _fresh_copy(tmp_path, "product.txt", "package.txt")
    (report,) = load_ndc(engine, read_sources(paths), date(2014, 1, 27))
    assert report.as_of == "2014-01-27"


def test_recalls_without_meta_are_dated_by_their_newest_report(
    engine: Engine, tmp_path: Path
) -> None:
    document = json.loads(
        gzip.decompress((SAMPLE_DIR / "drug-enforcement-sample.json.gz").read_bytes())
    )
    newest = max(record["report_date"] for record in document["results"])
    del document["meta"]
    path = tmp_path / "enforcement.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    report = load_recalls(engine, read_sources([path]))
    assert report.as_of == f"{newest[:4]}-{newest[4:6]}-{newest[6:]}"
    assert report.as_of < "2021-04-29"
    with Session(engine) as session:
        assert (
            DatabaseReference(session, TODAY, ReferenceSettings(), ReferenceMemos())
            .datasets()[RECALLS]
            .stale
        )


def test_import_alerts_are_dated_by_their_newest_listing(engine: Engine, tmp_path: Path) -> None:
    (path,) = _fresh_copy(tmp_path, "import_alerts_EXAMPLE.csv")
    report = load_import_alerts(engine, read_sources([path])[0])
    assert report.as_of == "2023-02-20"
    with Session(engine) as session:
        status = DatabaseReference(session, TODAY, ReferenceSettings(), ReferenceMemos()).datasets()
    assert status[IMPORT_ALERTS].stale

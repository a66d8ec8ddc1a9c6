"""Remembered reference answers belong to one database, never to another one served alongside."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from inspect_svc.db import make_engine
from inspect_svc.reference.import_alerts import load_import_alerts
from inspect_svc.reference.sample import SAMPLE_DIR
from inspect_svc.reference.sources import read_sources
from inspect_svc.settings import load_settings
from inspect_svc.triage.database_reference import DatabaseReference, ReferenceMemos

LISTED = {"manufacturer": {"name": "EXAMPLE Made-Up", "fei": "0000000001", "country": "IN"}}


def test_import_alert_answers_do_not_leak_between_databases(
    sqlite_template: Path, tmp_path: Path
) -> None:
    """Both databases hold snapshot 1 of the import-alert list; only the first lists the firm."""
    limits = load_settings(environ={}).reference
    listed_file, unlisted_file = tmp_path / "listed.csv", tmp_path / "unlisted.csv"
    example = (SAMPLE_DIR / "import_alerts_EXAMPLE.csv").read_text(encoding="utf-8")
    listed_file.write_text(example, encoding="utf-8")
    header, *rows = example.splitlines(keepends=True)
    unlisted_file.write_text(header + "".join(r for r in rows if "0000000001" not in r))
    engines = []
    for name, alerts in (("listed", listed_file), ("unlisted", unlisted_file)):
        path = tmp_path / f"{name}.sqlite3"
        shutil.copyfile(sqlite_template, path)
        engine = make_engine(f"sqlite:///{path}")
        load_import_alerts(engine, read_sources([alerts])[0], date.today())
        engines.append(engine)
    memos = ReferenceMemos()  # one memo, as one app pointed at each database in turn
    try:
        hits = []
        for engine in engines:
            with Session(engine) as session:
                reference = DatabaseReference(session, date.today(), limits, memos)
                hits.append(reference.import_alert_hits(LISTED, "IN"))
        assert [hit.alert_number for hit in hits[0]] == ["66-40"]
        assert hits[1] == ()
    finally:
        for engine in engines:
            engine.dispose()

"""NDC Directory loader against real FDA files (2014 sample, 2018 unfinished extract)."""

from __future__ import annotations

import gzip
import shutil
import threading
import zipfile
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from inspect_core.ndc import gtin14_from_ndc10, ndc10_from_gtin
from inspect_svc.models.reference import NdcPackage, NdcProduct, ReferenceDataset, ReferenceSnapshot
from inspect_svc.reference.ndc_loader import load_ndc
from inspect_svc.reference.ndc_lookup import lookup_ndc
from inspect_svc.reference.sources import read_sources


def _load_2014(engine: Engine, data_dir: Path, as_of: date | None = date(2014, 1, 27)) -> None:
    load_ndc(engine, read_sources([data_dir / "ndc_2014"]), as_of)


def test_2014_sample_loads_every_row(engine: Engine, data_dir: Path) -> None:
    (report,) = load_ndc(engine, read_sources([data_dir / "ndc_2014"]), date(2014, 1, 27))
    assert (report.dataset, report.rows_read, report.rows_loaded, report.rows_rejected) == (
        "ndc",
        599,
        599,
        0,
    )
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(NdcPackage)) == 300
        assert session.scalar(select(func.count()).select_from(NdcProduct)) == 299
        layouts = session.execute(
            select(NdcPackage.layout, func.count()).group_by(NdcPackage.layout)
        ).all()
        assert dict(layouts) == {"4-4-2": 100, "5-3-2": 100, "5-4-1": 100}
        # 2014 files predate the exclude flag, certification date and package dates.
        product = session.scalars(
            select(NdcProduct).where(NdcProduct.product_ndc == "0591-0503")
        ).one()
        assert product.marketing_end == date(2015, 1, 31)
        assert product.exclude_flag is None and product.listing_certified_through is None
        snapshot = session.scalars(select(ReferenceSnapshot)).one()
        assert snapshot.as_of == date(2014, 1, 27)
        assert {s["sha256"] for s in snapshot.sources} == {
            "e5ea429c1def3a98b1415ee13a6ae51db41812392537e26c33f22a06bcca5590",
            "504158b85b7f3dac36345b3e0690a485f9ddfc6ef7960c0667ac8b1a29bf7246",
        }


def test_every_package_round_trips_ndc_gtin_ndc(engine: Engine, data_dir: Path) -> None:
    _load_2014(engine, data_dir)
    with Session(engine) as session:
        packages = session.scalars(select(NdcPackage)).all()
        assert len(packages) == 300
        for package in packages:
            assert package.gtin14 == gtin14_from_ndc10(package.ndc10)
            assert ndc10_from_gtin(package.gtin14) == package.ndc10
            (match,) = lookup_ndc(session, package.gtin14).matches
            assert match.ndc == package.ndc
            assert len(package.ndc11) == 11


def test_unfinished_latin1_rows_are_decoded_and_reported(engine: Engine, data_dir: Path) -> None:
    (report,) = load_ndc(engine, read_sources([data_dir / "ndc_unfinished_extract"]))
    assert report.dataset == "ndc_unfinished"
    assert report.fallback_rows == 26 and report.replaced_bytes == 0
    assert ("unfinished_product.txt", 170) in report.fallback_lines
    assert any("Windows-1252" in line for line in report.summary_lines())
    with Session(engine) as session:
        labeler = session.scalar(
            select(NdcProduct.labeler_name).where(NdcProduct.product_ndc == "0164-0025")
        )
    assert labeler is not None and "Schwäbisch Gmünd" in labeler


def test_malformed_package_codes_are_rejected_and_reported(engine: Engine, data_dir: Path) -> None:
    (report,) = load_ndc(engine, read_sources([data_dir / "ndc_unfinished_extract"]))
    reason = "NDCPACKAGECODE is not a 4-4-2, 5-3-2 or 5-4-1 NDC"
    assert report.reasons == {reason: 2}
    assert report.rows_loaded == report.rows_read - 2
    with Session(engine) as session:
        codes = set(session.scalars(select(NdcPackage.ndc)))
    assert "02" not in codes and "47848-026-XX" not in codes


def test_truncated_row_is_rejected_others_loaded(
    engine: Engine, data_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "ndc"
    shutil.copytree(data_dir / "ndc_2014", folder)
    package = folder / "package.txt"
    lines = package.read_bytes().split(b"\r\n")
    lines[5] = b"\t".join(lines[5].split(b"\t")[:2])
    package.write_bytes(b"\r\n".join(lines))
    (report,) = load_ndc(engine, read_sources([folder]))
    assert report.reasons == {"wrong number of fields": 1}
    assert report.rejections[0].line == 6
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(NdcPackage)) == 299


def test_zip_member_date_is_the_snapshot_date(
    engine: Engine, data_dir: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "ndc_unfinished.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for name in ("unfinished_product.txt", "unfinished_package.txt"):
            info = zipfile.ZipInfo(name, date_time=(2018, 6, 25, 10, 0, 0))
            zipped.writestr(info, (data_dir / "ndc_unfinished_extract" / name).read_bytes())
    (report,) = load_ndc(engine, read_sources([archive]))
    assert report.as_of == "2018-06-25"


def test_gzipped_files_load(engine: Engine, data_dir: Path, tmp_path: Path) -> None:
    for name in ("product.txt", "package.txt"):
        raw = (data_dir / "ndc_2014" / name).read_bytes()
        (tmp_path / f"{name}.gz").write_bytes(gzip.compress(raw))
    (report,) = load_ndc(engine, read_sources([tmp_path]))
    assert report.rows_loaded == 599


def test_reload_replaces_snapshot_and_deletes_old_rows(engine: Engine, data_dir: Path) -> None:
    _load_2014(engine, data_dir)
    _load_2014(engine, data_dir, date(2014, 2, 1))
    with Session(engine) as session:
        current = session.scalar(select(ReferenceDataset.current_snapshot_id))
        snapshots = set(session.scalars(select(NdcPackage.snapshot_id).distinct()))
        assert snapshots == {current}
        assert session.scalar(select(func.count()).select_from(NdcPackage)) == 300
        assert session.scalar(select(func.count()).select_from(ReferenceSnapshot)) == 2


def test_reader_never_sees_a_mix_during_reload(engine: Engine, data_dir: Path) -> None:
    """Count and snapshot id, read in one statement, always agree while loads run."""
    _load_2014(engine, data_dir)
    stop = threading.Event()
    seen: list[tuple[int, int, int]] = []
    errors: list[BaseException] = []
    statement = select(
        ReferenceDataset.current_snapshot_id,
        ReferenceSnapshot.rows_loaded,
        select(func.count())
        .select_from(NdcPackage)
        .where(NdcPackage.snapshot_id == ReferenceDataset.current_snapshot_id)
        .scalar_subquery(),
    ).join(ReferenceSnapshot, ReferenceSnapshot.id == ReferenceDataset.current_snapshot_id)

    def read() -> None:
        try:
            while not stop.is_set():
                with engine.connect() as connection:
                    row = connection.execute(statement).one()
                    seen.append((row[0], row[1], row[2]))
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for _ in range(4):
            _load_2014(engine, data_dir)
    finally:
        stop.set()
        reader.join()
    assert not errors
    assert len({snapshot for snapshot, _, _ in seen}) >= 1
    assert all(count == 300 for _, _, count in seen)
    assert all(loaded == 599 for _, loaded, _ in seen)

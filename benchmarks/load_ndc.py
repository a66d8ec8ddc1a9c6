"""Benchmark: NDC loader rows/s beside a raw sqlite3 executemany of the same rows; GTIN look-ups/s.

Loads the bundled 2014 sample, or the directory files given (for example
FDA's complete unfinished files or the current NDC zip). Run:
.venv/bin/python benchmarks/load_ndc.py [--lookups N] [PATH ...]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
import time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_svc.db import make_engine
from inspect_svc.migrate import upgrade
from inspect_svc.models.reference import NdcPackage
from inspect_svc.reference.ndc_loader import classify, load_ndc
from inspect_svc.reference.ndc_lookup import lookup_ndc
from inspect_svc.reference.report import LoadReport
from inspect_svc.reference.sources import SourceFile, read_sources, tab_rows

BUNDLED = Path(__file__).resolve().parents[1] / "inspect_svc" / "sample_data"


def _raw_insert(path: Path, sources: list[SourceFile]) -> tuple[int, float]:
    """Time a plain sqlite3 executemany of every data row of the same files."""
    variants, _ = classify(sources)
    files = [f for v in variants.values() for f in (v.product, v.package) if f is not None]
    connection = sqlite3.connect(path)
    start = time.perf_counter()
    rows = 0
    for index, source in enumerate(files):
        header, data = tab_rows(source, LoadReport("raw"))
        columns = ", ".join(f"c{i}" for i in range(len(header)))
        connection.execute(f"CREATE TABLE t{index} ({columns})")
        values = [list(fields.values()) for _, fields in data if fields is not None]
        marks = ", ".join("?" for _ in header)
        connection.executemany(f"INSERT INTO t{index} VALUES ({marks})", values)
        rows += len(values)
    connection.commit()
    elapsed = time.perf_counter() - start
    connection.close()
    return rows, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lookups", type=int, default=20000)
    parser.add_argument("paths", nargs="*", type=Path, help="directory files, folders or zips")
    args = parser.parse_args()
    inputs = args.paths or [BUNDLED / "product.txt", BUNDLED / "package.txt"]
    sources = read_sources(inputs)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        upgrade(url)
        engine = make_engine(url)
        start = time.perf_counter()
        reports = load_ndc(engine, sources)
        load_s = time.perf_counter() - start
        loaded = sum(r.rows_loaded for r in reports)
        raw_rows, raw_s = _raw_insert(Path(folder) / "raw.sqlite3", sources)
        with Session(engine) as session:
            gtins = list(session.scalars(select(NdcPackage.gtin14)))
            picks = [random.choice(gtins) for _ in range(args.lookups)]
            start = time.perf_counter()
            for gtin in picks:
                assert lookup_ndc(session, gtin).matches
            lookup_s = time.perf_counter() - start
        engine.dispose()
    print(f"input: {', '.join(str(p) for p in inputs)}")
    print(
        f"loader: {loaded} rows in {load_s:.2f} s = {loaded / load_s:,.0f} rows/s "
        "(parse, validate, insert, switch snapshot)"
    )
    print(
        f"raw sqlite3 executemany: {raw_rows} rows in {raw_s:.2f} s = "
        f"{raw_rows / raw_s:,.0f} rows/s"
    )
    print(f"ratio loader/raw: {(loaded / load_s) / (raw_rows / raw_s):.2f}")
    print(
        f"GTIN look-ups: {args.lookups} over {len(gtins)} packages in {lookup_s:.2f} s = "
        f"{args.lookups / lookup_s:,.0f} /s"
    )


if __name__ == "__main__":
    main()

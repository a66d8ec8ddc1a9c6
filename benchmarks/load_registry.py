"""Benchmark: registration and refusal loaders, rows/s beside a raw executemany insert.

Generates N establishment rows (FDA's drls_reg.txt layout) and N refusal
rows (Import Refusal CSV with ACT_SECTION_CHARGES), loads each with its
loader (parse, validate, normalise names, insert, switch snapshot), then
inserts the same rows with a bare `executemany` into a table of the same
columns in the same database, and prints both rates and their ratio.

Run: .venv/bin/python benchmarks/load_registry.py [--rows N] [--database-url URL]
(default: a temporary SQLite file; give a PostgreSQL URL of an empty,
throwaway database to measure there).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from inspect_svc.db import make_engine
from inspect_svc.migrate import upgrade
from inspect_svc.reference.refusal_loader import load_refusals
from inspect_svc.reference.registration_loader import load_registrations
from inspect_svc.reference.report import LoadReport
from inspect_svc.reference.sources import SourceFile

COUNTRIES = (("India", "IND", "IN"), ("China", "CHN", "CN"), ("Germany", "DEU", "DE"))
CHARGES = {"3280": "NOT LISTED", "3010": "UNAPPROVED", "3770": "FRNMFGREG", "3360": "DRUG GMPS"}
DECRS_HEADER = (
    "FEI_NUMBER\tDUNS_NUMBER\tFIRM_NAME\tADDRESS\tEXPIRATION_DATE\tOPERATIONS\t"
    "ESTABLISHMENT_CONTACT_NAME\tESTABLISHMENT_CONTACT_EMAIL\tAGENT_DETAILS\tREGISTRANT_NAME\t"
    "REGISTRANT_DUNS\tREGISTRANT_CONTACT_NAME\tREGISTRANT_CONTACT_EMAIL\tEXCLUSION_FLAG"
)
REFUSAL_HEADER = (
    "MFG_FIRM_FEI_NUM,LGL_NAME,LINE1_ADRS,LINE2_ADRS,CITY_NAME,PROVINCE_STATE,ISO_CNTRY_CODE,"
    "PRODUCT_CODE,PRDCT_CODE_DESC_TEXT,REFUSAL_DATE,DISTRICT,ENTRY_NUM,RFRNC_DOC_ID,LINE_NUM,"
    "LINE_SFX_ID,FDA_SAMPLE_ANALYSIS,PRIVATE_LAB_ANALYSIS,REFUSAL_CHARGES"
)


def registration_source(rows: int, rng: random.Random) -> SourceFile:
    """drls_reg.txt with `rows` fictitious establishments (tab-delimited, CRLF, trailing tab)."""
    lines = [DECRS_HEADER]
    for n in range(rows):
        country, alpha3, _ = rng.choice(COUNTRIES)
        name = f"EXAMPLE Bench Pharma {n} Private Limited"
        lines.append(
            f"3{n:09d}\t{n:09d}\t{name}\tPlot {n}, Example City, {country} ({alpha3})\t"
            f"12/31/2027\tMANUFACTURE; ANALYSIS\tx\tx@example.invalid\tx\t{name}\t{n:09d}\t"
            "x\tx@example.invalid\tN\t"
        )
    return SourceFile("drls_reg.txt", "\r\n".join(lines).encode(), date(2026, 12, 1))


def refusal_sources(rows: int, rng: random.Random) -> list[SourceFile]:
    """A refusal CSV with `rows` fictitious refusals, and its charge table."""
    lines = [REFUSAL_HEADER]
    for n in range(rows):
        refused = (date(2016, 1, 1) + timedelta(days=rng.randrange(3650))).strftime("%d-%b-%y")
        charges = ",".join(rng.sample(sorted(CHARGES), rng.randint(1, 3)))
        lines.append(
            f'3{rng.randrange(rows):09d},"EXAMPLE Bench Pharma {n} Ltd","1 Road",,City,,'
            f'{rng.choice(COUNTRIES)[2]},62GCA11,"Drug",{refused.upper()},DNE,K80-2162679-2,'
            f'1,1,1,N,N,"{charges}"'
        )
    table = ["ASC_ID,CHRG_CODE,CHRG_STMNT_TEXT,SCTN_NAME"]
    table += [f'{asc},{code},"Statement",Section' for asc, code in CHARGES.items()]
    return [
        SourceFile("REFUSAL_ENTRY.csv", "\r\n".join(lines).encode(), date(2026, 12, 1)),
        SourceFile("ACT_SECTION_CHARGES.csv", "\r\n".join(table).encode(), date(2026, 12, 1)),
    ]


def raw_insert(
    engine: Engine, table: str, columns: dict[str, str], rows: list[dict[str, Any]]
) -> float:
    """Seconds for one transaction of executemany INSERTs of `rows` into a bare table."""
    definition = ", ".join(f"{name} {kind}" for name, kind in columns.items())
    marks = ", ".join(f":{name}" for name in columns)
    with engine.begin() as connection:
        connection.execute(text(f"DROP TABLE IF EXISTS {table}"))
        connection.execute(text(f"CREATE TABLE {table} ({definition})"))
    started = time.perf_counter()
    with engine.begin() as connection:
        statement = text(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})")
        for offset in range(0, len(rows), 5000):
            connection.execute(statement, rows[offset : offset + 5000])
    return time.perf_counter() - started


def timed(load: Callable[[], LoadReport]) -> tuple[LoadReport, float]:
    started = time.perf_counter()
    report = load()
    return report, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    rng = random.Random(13)
    registrations = registration_source(args.rows, rng)
    refusals = refusal_sources(args.rows, rng)
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        upgrade(url)
        engine = make_engine(url)
        reg_report, reg_s = timed(lambda: load_registrations(engine, [registrations]))
        ref_report, ref_s = timed(lambda: load_refusals(engine, refusals))
        reg_rows = [
            {
                "fei": f"3{n:09d}",
                "duns": f"{n:09d}",
                "firm_name": f"EXAMPLE Bench {n}",
                "name_key": f"example bench {n}",
                "address": "x",
                "country": "IN",
                "expiration_date": date(2027, 12, 31),
                "operations": "MANUFACTURE",
                "excluded": False,
            }
            for n in range(args.rows)
        ]
        reg_raw_s = raw_insert(
            engine,
            "bench_establishment",
            {
                "fei": "VARCHAR(10)",
                "duns": "VARCHAR(9)",
                "firm_name": "TEXT",
                "name_key": "VARCHAR(200)",
                "address": "TEXT",
                "country": "VARCHAR(2)",
                "expiration_date": "DATE",
                "operations": "TEXT",
                "excluded": "BOOLEAN",
            },
            reg_rows,
        )
        ref_rows = [
            {
                "fei": f"3{n:09d}",
                "firm_name": f"EXAMPLE Bench {n}",
                "name_key": f"example bench {n}",
                "country": "IN",
                "product_code": "62GCA11",
                "refusal_date": date(2024, 1, 1),
                "entry_number": "K80-2162679-2",
                "charges": '["NOT LISTED"]',
            }
            for n in range(args.rows)
        ]
        ref_raw_s = raw_insert(
            engine,
            "bench_refusal",
            {
                "fei": "VARCHAR(10)",
                "firm_name": "TEXT",
                "name_key": "VARCHAR(200)",
                "country": "VARCHAR(2)",
                "product_code": "VARCHAR(7)",
                "refusal_date": "DATE",
                "entry_number": "VARCHAR(32)",
                "charges": "TEXT",
            },
            ref_rows,
        )
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE bench_establishment"))
            connection.execute(text("DROP TABLE bench_refusal"))
        engine.dispose()
    print(f"database: {engine.dialect.name}, {args.rows} generated rows per dataset")
    for name, report, loader_s, raw_s in (
        ("registrations", reg_report, reg_s, reg_raw_s),
        ("refusals", ref_report, ref_s, ref_raw_s),
    ):
        loader_rate = args.rows / loader_s
        raw_rate = args.rows / raw_s
        print(
            f"{name}: loader {args.rows} rows ({report.rows_rejected} rejected) in "
            f"{loader_s:.2f} s = {loader_rate:,.0f} rows/s; "
            f"raw executemany {raw_rate:,.0f} rows/s; loader/raw = {loader_rate / raw_rate:.2f}"
        )


if __name__ == "__main__":
    main()

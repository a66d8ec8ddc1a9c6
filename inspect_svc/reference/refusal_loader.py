"""Load FDA Import Refusal records and their charge table as a snapshot.

FDA's bulk download (a zip, or the CSVs themselves) holds one or more
refusal files with the columns

    MFG_FIRM_FEI_NUM, LGL_NAME, LINE1_ADRS, LINE2_ADRS, CITY_NAME,
    PROVINCE_STATE, ISO_CNTRY_CODE, PRODUCT_CODE, PRDCT_CODE_DESC_TEXT,
    REFUSAL_DATE (dd-Mon-yy), DISTRICT, ENTRY_NUM, RFRNC_DOC_ID, LINE_NUM,
    LINE_SFX_ID, FDA_SAMPLE_ANALYSIS, PRIVATE_LAB_ANALYSIS, REFUSAL_CHARGES

and `ACT_SECTION_CHARGES.csv` (ASC_ID, CHRG_CODE, CHRG_STMNT_TEXT,
SCTN_NAME). REFUSAL_CHARGES is a comma-separated list of ASC_IDs; the loader
resolves it to charge codes ("NOT LISTED", "FRNMFGREG", ...) so that a
refusal row reads on its own. `as_of` is the zip member date, else the
newest refusal date in the data, else `--as-of`.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine

from inspect_core.datasets import REFUSALS
from inspect_core.names import name_key
from inspect_svc.models.reference import ImportRefusal, RefusalCharge
from inspect_svc.reference.report import LoadReport
from inspect_svc.reference.rows import ProgressHook, insert_batches, table_of, too_long
from inspect_svc.reference.snapshots import replacing_snapshot
from inspect_svc.reference.sources import SourceFile, decode_line

REFUSALS_TABLE = table_of(ImportRefusal)
CHARGES_TABLE = table_of(RefusalCharge)
REFUSAL_COLUMNS = (
    "MFG_FIRM_FEI_NUM",
    "LGL_NAME",
    "ISO_CNTRY_CODE",
    "PRODUCT_CODE",
    "REFUSAL_DATE",
    "REFUSAL_CHARGES",
)
CHARGE_COLUMNS = ("ASC_ID", "CHRG_CODE")
FEI = re.compile(r"^\d{4,10}$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
DATE_FORMATS = ("%d-%b-%y", "%d-%b-%Y", "%Y-%m-%d", "%m/%d/%Y")
"""FDA writes dd-Mon-yy (parsed without strptime: it is most of the load time);
the dashboard's exports use ISO or US dates."""
_FDA_DATE = re.compile(r"^(\d{2})-([A-Za-z]{3})-(\d{2})$")
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1
    )
}
folded_name = functools.lru_cache(maxsize=1 << 16)(name_key)
"""Refusal files repeat the same firms many times; fold each name once."""


class RefusalLoadError(ValueError):
    """The inputs are not FDA refusal files (no charge table, no refusal file, missing columns)."""


def is_charge_table(source: SourceFile) -> bool:
    return "act_section_charges" in source.base_name


def load_refusals(
    engine: Engine,
    sources: list[SourceFile],
    as_of: date | None = None,
    progress: ProgressHook | None = None,
) -> LoadReport:
    """Replace the refusals snapshot with the records of `sources`, in one transaction."""
    csvs = [s for s in sources if s.base_name.endswith(".csv")]
    charge_files = [s for s in csvs if is_charge_table(s)]
    refusal_files = [s for s in csvs if not is_charge_table(s)]
    if not charge_files:
        raise RefusalLoadError("ACT_SECTION_CHARGES.csv is not among the inputs")
    if not refusal_files:
        raise RefusalLoadError("no refusal CSV among the inputs")
    report = LoadReport(REFUSALS)
    charges = [row for source in charge_files for row in _charge_rows(source, report)]
    codes = {row["asc_id"]: row["code"] for row in charges}
    refusals = [row for source in refusal_files for row in _refusal_rows(source, codes, report)]
    snapshot_as_of = as_of or _file_date(sources) or _newest(refusals)
    report.as_of = snapshot_as_of.isoformat()
    described = [s.describe() for s in csvs]
    tables = (REFUSALS_TABLE, CHARGES_TABLE)
    with (
        engine.begin() as connection,
        replacing_snapshot(connection, report, snapshot_as_of, described, tables) as snapshot_id,
    ):
        for row in (*charges, *refusals):
            row["snapshot_id"] = snapshot_id
        # Rows loaded count charge-table rows too, so that read = loaded + rejected.
        report.rows_loaded = insert_batches(
            connection,
            REFUSALS_TABLE,
            refusals,
            done=insert_batches(connection, CHARGES_TABLE, charges),
            total=len(charges) + len(refusals),
            progress=progress,
        )
    return report


def _file_date(sources: list[SourceFile]) -> date | None:
    zipped = [s.modified for s in sources if s.from_zip and s.modified]
    return max(zipped) if zipped else None


def _newest(refusals: list[dict[str, Any]]) -> date:
    if not refusals:
        raise RefusalLoadError("no refusal row could be read, so the data has no date")
    return max(row["refusal_date"] for row in refusals)


def _records(
    source: SourceFile, required: tuple[str, ...], report: LoadReport
) -> Iterator[tuple[int, dict[str, str] | None]]:
    """(line, {COLUMN: value}) per CSV record; None for a record of the wrong width."""
    reader = csv.reader(io.StringIO(_decode(source, report), newline=""))
    header = [name.strip().upper() for name in next(reader, [])]
    missing = [name for name in required if name not in header]
    if missing:
        raise RefusalLoadError(f"{source.name}: missing column(s) {', '.join(missing)}")
    for values in reader:
        if not any(value.strip() for value in values):
            continue
        report.rows_read += 1
        if len(values) != len(header):
            yield reader.line_num, None
            continue
        yield reader.line_num, {k: v.strip() for k, v in zip(header, values, strict=True)}


def _decode(source: SourceFile, report: LoadReport) -> str:
    """UTF-8 (BOM allowed) as a whole, else line by line with the Windows-1252 fallback."""
    try:
        return source.data.decode("utf-8-sig")
    except UnicodeDecodeError:
        lines = source.data.removeprefix(b"\xef\xbb\xbf").split(b"\n")
        return "\n".join(
            decode_line(raw, source.name, number, report)
            for number, raw in enumerate(lines, start=1)
        )


def _charge_rows(source: SourceFile, report: LoadReport) -> Iterator[dict[str, Any]]:
    seen: set[str] = set()
    for line, fields in _records(source, CHARGE_COLUMNS, report):
        if fields is None:
            report.reject(source.name, line, "wrong number of fields")
            continue
        asc_id, code = fields["ASC_ID"], fields["CHRG_CODE"]
        if not asc_id or not code:
            report.reject(source.name, line, "empty ASC_ID or CHRG_CODE")
            continue
        if asc_id in seen:
            report.reject(source.name, line, "ASC_ID given twice")
            continue
        row = {
            "asc_id": asc_id,
            "code": code,
            "statement": fields.get("CHRG_STMNT_TEXT") or None,
            "section": fields.get("SCTN_NAME") or None,
        }
        long_column = too_long(CHARGES_TABLE, row)
        if long_column:
            report.reject(source.name, line, f"value too long for {long_column}")
            continue
        seen.add(asc_id)
        yield row


def _refusal_rows(
    source: SourceFile, codes: dict[str, str], report: LoadReport
) -> Iterator[dict[str, Any]]:
    for line, fields in _records(source, REFUSAL_COLUMNS, report):
        row = _refusal(fields, codes) if fields is not None else "wrong number of fields"
        if isinstance(row, str):
            report.reject(source.name, line, row)
            continue
        yield row


def _refusal(fields: dict[str, str], codes: dict[str, str]) -> dict[str, Any] | str:
    """The table row, or the reason the record is rejected."""
    fei = fields["MFG_FIRM_FEI_NUM"]
    country = fields["ISO_CNTRY_CODE"].upper()
    if fei and not FEI.match(fei):
        return "MFG_FIRM_FEI_NUM is not 4 to 10 digits"
    if not fields["LGL_NAME"]:
        return "empty LGL_NAME"
    if country and not COUNTRY.match(country):
        return "ISO_CNTRY_CODE is not two letters"
    refused_on = parse_refusal_date(fields["REFUSAL_DATE"])
    if refused_on is None:
        return "REFUSAL_DATE is not dd-Mon-yy"
    ids = [part.strip() for part in fields["REFUSAL_CHARGES"].split(",") if part.strip()]
    if not ids:
        return "no REFUSAL_CHARGES"
    if any(asc_id not in codes for asc_id in ids):
        return "REFUSAL_CHARGES names an ASC_ID not in ACT_SECTION_CHARGES"
    line = fields.get("LINE_NUM", "")
    suffix = fields.get("LINE_SFX_ID", "")
    row: dict[str, Any] = {
        "fei": fei or None,
        "firm_name": fields["LGL_NAME"],
        "name_key": folded_name(fields["LGL_NAME"]),
        "city": fields.get("CITY_NAME") or None,
        "country": country or None,
        "product_code": fields["PRODUCT_CODE"].upper() or None,
        "product_description": fields.get("PRDCT_CODE_DESC_TEXT") or None,
        "refusal_date": refused_on,
        "district": fields.get("DISTRICT") or None,
        "entry_number": fields.get("ENTRY_NUM") or None,
        "line_number": f"{line}/{suffix}" if line and suffix else (line or None),
        "charges": [codes[asc_id] for asc_id in ids],
    }
    long_column = too_long(REFUSALS_TABLE, row)
    return f"value too long for {long_column}" if long_column else row


def parse_refusal_date(text: str) -> date | None:
    """FDA's refusal date, or None when it is not one.

    >>> parse_refusal_date("07-MAR-22")
    datetime.date(2022, 3, 7)
    >>> parse_refusal_date("2022-03-07")
    datetime.date(2022, 3, 7)
    >>> parse_refusal_date("31-FEB-22") is None
    True
    """
    match = _FDA_DATE.match(text)
    if match and match.group(2).upper() in _MONTHS:
        day, month, year = match.groups()
        try:  # two-digit years as strptime reads them: 69-99 are 19xx
            return date(
                (1900 if int(year) >= 69 else 2000) + int(year), _MONTHS[month.upper()], int(day)
            )
        except ValueError:
            return None
    for pattern in DATE_FORMATS[1:]:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None

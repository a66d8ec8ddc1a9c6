"""FDA import-alert firm lists (red, yellow, green) from a CSV, and the R14 look-up.

FDA publishes the lists only as web pages, so an operator keeps them as a
CSV with the columns of `sample_data/import_alerts_template.csv`:
alert_number, list, firm_name, fei, country, city, product_scope, listed_on.
`product_scope` (optional; empty or missing = all drugs) is "all drugs", FDA
product codes or prefixes, or substance names (see `alert_scope.py`).
Country may be an ISO alpha-2/alpha-3 code or a country name (pycountry
decides); dates are YYYY-MM-DD.

Matching prefers the FEI; without an FEI match it compares normalised
names (see `names.name_key`) within the same country.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import pycountry
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from inspect_core.datasets import IMPORT_ALERTS
from inspect_core.names import name_key
from inspect_svc.models.reference import ImportAlertFirm, ReferenceDataset, ReferenceSnapshot
from inspect_svc.reference.report import LoadReport
from inspect_svc.reference.rows import insert_batches, table_of, too_long
from inspect_svc.reference.snapshots import replacing_snapshot
from inspect_svc.reference.sources import SourceFile, newest_past_date, snapshot_date

COLUMNS = (
    "alert_number",
    "list",
    "firm_name",
    "fei",
    "country",
    "city",
    "product_scope",
    "listed_on",
)
OPTIONAL_COLUMNS = frozenset({"product_scope"})
"""Columns older CSVs may lack; a missing `product_scope` means "all drugs"."""
LISTS = ("red", "yellow", "green")
TABLE = table_of(ImportAlertFirm)
_ALERT_NUMBER = re.compile(r"^\d{2}-\d{2,3}$")
_FEI = re.compile(r"^\d{7,10}$")


class ImportAlertLoadError(ValueError):
    """The CSV as a whole cannot be loaded (e.g. missing columns)."""


@functools.cache
def country_code(text: str) -> str | None:
    """ISO alpha-2 code for a code or country name, or None if pycountry does not know it.

    Remembered: pycountry's lookup scans its whole table, and every row and
    every look-up asks for the same few countries.
    """
    try:
        return str(pycountry.countries.lookup(text.strip()).alpha_2)
    except LookupError:
        return None


def load_import_alerts(engine: Engine, source: SourceFile, as_of: date | None = None) -> LoadReport:
    """Replace the import-alert snapshot with the rows of one CSV file, in one transaction."""
    report = LoadReport(IMPORT_ALERTS)
    rows = [row for row in _rows(source, report) if row is not None]
    newest = newest_past_date(row["listed_on"] for row in rows)
    snapshot_as_of = snapshot_date([source], as_of, newest)
    report.as_of = snapshot_as_of.isoformat()
    with (
        engine.begin() as connection,
        replacing_snapshot(
            connection, report, snapshot_as_of, [source.describe()], (TABLE,)
        ) as snapshot_id,
    ):
        for row in rows:
            row["snapshot_id"] = snapshot_id
        report.rows_loaded = insert_batches(connection, TABLE, rows)
    return report


def _decode(source: SourceFile, report: LoadReport) -> str:
    try:
        return source.data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = source.data.decode("cp1252", errors="replace")
        report.note_fallback(source.name, 0, text.count("\ufffd"))
        return text


def _rows(source: SourceFile, report: LoadReport) -> list[dict[str, Any] | None]:
    reader = csv.DictReader(io.StringIO(_decode(source, report), newline=""))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in COLUMNS if name not in header and name not in OPTIONAL_COLUMNS]
    if missing:
        raise ImportAlertLoadError(f"{source.name}: missing column(s) {', '.join(missing)}")
    reader.fieldnames = header
    rows: list[dict[str, Any] | None] = []
    for raw in reader:
        report.rows_read += 1
        line = reader.line_num
        row = _row(raw, source.name, line, report)
        rows.append(row)
    return rows


def _row(raw: dict[str, Any], where: str, line: int, report: LoadReport) -> dict[str, Any] | None:
    present = [name for name in COLUMNS if name in raw]
    if None in raw or any(raw.get(name) is None for name in present):
        report.reject(where, line, "wrong number of fields")
        return None
    fields = {name: str(raw.get(name) or "").strip() for name in COLUMNS}
    problem = _problem(fields)
    if problem:
        report.reject(where, line, problem)
        return None
    row = {
        "alert_number": fields["alert_number"],
        "list_color": fields["list"].lower(),
        "firm_name": fields["firm_name"],
        "name_key": name_key(fields["firm_name"]),
        "fei": fields["fei"] or None,
        "country": country_code(fields["country"]) if fields["country"] else None,
        "city": fields["city"] or None,
        "product_scope": fields["product_scope"] or None,
        "listed_on": date.fromisoformat(fields["listed_on"]) if fields["listed_on"] else None,
    }
    long_column = too_long(TABLE, row)
    if long_column:
        report.reject(where, line, f"value too long for {long_column}")
        return None
    return row


def _problem(fields: dict[str, str]) -> str | None:
    if not _ALERT_NUMBER.match(fields["alert_number"]):
        return "alert_number is not like 66-40"
    if fields["list"].lower() not in LISTS:
        return "list is not red, yellow or green"
    if not fields["firm_name"]:
        return "empty firm_name"
    if fields["fei"] and not _FEI.match(fields["fei"]):
        return "fei is not 7 to 10 digits"
    if fields["country"] and country_code(fields["country"]) is None:
        return "country not known to ISO 3166"
    if fields["listed_on"]:
        try:
            date.fromisoformat(fields["listed_on"])
        except ValueError:
            return "listed_on is not a YYYY-MM-DD date"
    return None


@dataclass(frozen=True)
class AlertMatch:
    alert_number: str
    list_color: str
    firm_name: str
    fei: str | None
    country: str | None
    city: str | None
    product_scope: str | None
    listed_on: date | None
    basis: str  # "fei" or "name+country"
    alerts_as_of: date


def import_alert_matches(
    session: Session,
    *,
    fei: str | None = None,
    firm_name: str | None = None,
    country: str | None = None,
) -> list[AlertMatch]:
    """List entries for a firm: by FEI if any entry has it, else by name key and country.

    A listing with an FEI other than the firm's is another establishment of the
    same company, not this one, and is left out.
    """
    base = (
        select(ImportAlertFirm, ReferenceSnapshot.as_of)
        .join(ReferenceDataset, ReferenceDataset.current_snapshot_id == ImportAlertFirm.snapshot_id)
        .join(ReferenceSnapshot, ReferenceSnapshot.id == ImportAlertFirm.snapshot_id)
        .where(ReferenceDataset.name == IMPORT_ALERTS)
        .order_by(ImportAlertFirm.alert_number, ImportAlertFirm.id)
    )
    if fei and fei.strip():
        rows = session.execute(base.where(ImportAlertFirm.fei == fei.strip())).all()
        if rows:
            return [_match(entry, "fei", as_of) for entry, as_of in rows]
    code = country_code(country) if country else None
    if not firm_name or code is None:
        return []
    rows = session.execute(
        base.where(ImportAlertFirm.name_key == name_key(firm_name), ImportAlertFirm.country == code)
    ).all()
    own_fei = (fei or "").strip()
    return [
        _match(entry, "name+country", as_of)
        for entry, as_of in rows
        if not (own_fei and entry.fei and entry.fei != own_fei)  # another establishment
    ]


def _match(entry: ImportAlertFirm, basis: str, as_of: date) -> AlertMatch:
    return AlertMatch(
        entry.alert_number,
        entry.list_color,
        entry.firm_name,
        entry.fei,
        entry.country,
        entry.city,
        entry.product_scope,
        entry.listed_on,
        basis,
        as_of,
    )

"""Load FDA's drug establishment registration file (DECRS) as a snapshot.

FDA publishes the Drug Establishments Current Registration Site each
business day as `drls_reg.zip`, holding `drls_reg.txt` (tab-delimited, CRLF,
Latin-1 text) and an Excel copy of the same rows, which is not read. The text
file's columns, matched by name so that added columns do not matter:

    FEI_NUMBER, DUNS_NUMBER, FIRM_NAME, ADDRESS, EXPIRATION_DATE (MM/DD/YYYY),
    OPERATIONS (";"-separated), ESTABLISHMENT_CONTACT_NAME,
    ESTABLISHMENT_CONTACT_EMAIL, AGENT_DETAILS, REGISTRANT_NAME,
    REGISTRANT_DUNS, REGISTRANT_CONTACT_NAME, REGISTRANT_CONTACT_EMAIL,
    EXCLUSION_FLAG (Y/N)

The address is one string ending in the country as "Name (ISO3)"; data rows
carry a trailing tab (one empty field more than the header). The file has
no date of its own, so `as_of` is the zip member's date (or `--as-of`).
Contact names and e-mails are not stored: triage does not need them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pycountry
from sqlalchemy import Engine

from inspect_core.datasets import REGISTRATIONS
from inspect_core.names import name_key
from inspect_svc.models.reference import Establishment
from inspect_svc.reference.report import LoadReport
from inspect_svc.reference.rows import ProgressHook, insert_batches, table_of, too_long
from inspect_svc.reference.snapshots import replacing_snapshot
from inspect_svc.reference.sources import SourceFile, required_tab_rows, snapshot_date

TABLE = table_of(Establishment)
REQUIRED = ("FEI_NUMBER", "DUNS_NUMBER", "FIRM_NAME", "ADDRESS", "EXPIRATION_DATE")
FEI = re.compile(r"^\d{7,10}$")
DUNS = re.compile(r"^\d{9}$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_COUNTRY_AT_END = re.compile(r"\(([A-Z]{3})\)\s*$")


class RegistrationLoadError(ValueError):
    """The input is not a registration file (no text file, or missing columns)."""


def registration_files(sources: list[SourceFile]) -> list[SourceFile]:
    """The tab-delimited text files among `sources` (FDA's zip also holds an Excel copy)."""
    found = [s for s in sources if s.base_name.endswith(".txt")]
    if not found:
        names = ", ".join(s.name for s in sources) or "nothing"
        raise RegistrationLoadError(f"no registration text file (drls_reg.txt) among: {names}")
    return found


def load_registrations(
    engine: Engine,
    sources: list[SourceFile],
    as_of: date | None = None,
    progress: ProgressHook | None = None,
) -> LoadReport:
    """Replace the registration snapshot with the establishments of `sources` (one transaction)."""
    files = registration_files(sources)
    report = LoadReport(REGISTRATIONS)
    snapshot_as_of = snapshot_date(files, as_of)
    report.as_of = snapshot_as_of.isoformat()
    rows = [row for source in files for row in _rows(source, report)]
    described = [s.describe() for s in files]
    with (
        engine.begin() as connection,
        replacing_snapshot(connection, report, snapshot_as_of, described, (TABLE,)) as snapshot_id,
    ):
        for row in rows:
            row["snapshot_id"] = snapshot_id
        report.rows_loaded = insert_batches(
            connection, TABLE, rows, total=len(rows), progress=progress
        )
    return report


def _rows(source: SourceFile, report: LoadReport) -> Iterator[dict[str, Any]]:
    for number, fields in required_tab_rows(source, REQUIRED, report, _not_drls_reg):
        row = _row(fields)
        if isinstance(row, str):
            report.reject(source.name, number, row)
            continue
        yield row


def _not_drls_reg(message: str) -> RegistrationLoadError:
    return RegistrationLoadError(f"{message} (not FDA's drls_reg.txt?)")


def _row(fields: dict[str, str]) -> dict[str, Any] | str:
    """The table row, or the reason the row is rejected."""
    fei, duns = fields["FEI_NUMBER"], fields["DUNS_NUMBER"]
    registrant_duns = fields.get("REGISTRANT_DUNS", "")
    flag = fields.get("EXCLUSION_FLAG", "").upper()
    if not fei and not duns:
        return "neither FEI_NUMBER nor DUNS_NUMBER"
    if fei and not FEI.match(fei):
        return "FEI_NUMBER is not 7 to 10 digits"
    if duns and not DUNS.match(duns):
        return "DUNS_NUMBER is not 9 digits"
    if registrant_duns and not DUNS.match(registrant_duns):
        return "REGISTRANT_DUNS is not 9 digits"
    if not fields["FIRM_NAME"]:
        return "empty FIRM_NAME"
    if flag not in ("", "Y", "N"):
        return "EXCLUSION_FLAG is not Y or N"
    try:
        expires = _us_date(fields["EXPIRATION_DATE"])
    except ValueError:
        return "EXPIRATION_DATE is not MM/DD/YYYY"
    row: dict[str, Any] = {
        "fei": fei or None,
        "duns": duns or None,
        "firm_name": fields["FIRM_NAME"],
        "name_key": name_key(fields["FIRM_NAME"]),
        "address": fields["ADDRESS"] or None,
        "country": address_country(fields["ADDRESS"]),
        "expiration_date": expires,
        "operations": fields.get("OPERATIONS") or None,
        "registrant_name": fields.get("REGISTRANT_NAME") or None,
        "registrant_duns": registrant_duns or None,
        "excluded": flag == "Y",
    }
    long_column = too_long(TABLE, row)
    return f"value too long for {long_column}" if long_column else row


def _us_date(text: str) -> date | None:
    """A MM/DD/YYYY date (None when empty); ValueError for anything else."""
    if not text:
        return None
    match = _US_DATE.match(text)
    if match is None:
        raise ValueError(text)
    month, day, year = (int(part) for part in match.groups())
    return date(year, month, day)


@functools.cache
def _alpha2(alpha3: str) -> str | None:
    country = pycountry.countries.get(alpha_3=alpha3)
    return str(country.alpha_2) if country is not None else None


def address_country(address: str) -> str | None:
    """ISO alpha-2 of the "(ISO3)" FDA ends an address with; None if absent or unknown.

    >>> address_country("Plot 12, MIDC, Aurangabad, Maharashtra (MH) 431136, India (IND)")
    'IN'
    >>> address_country("somewhere") is None
    True
    """
    match = _COUNTRY_AT_END.search(address)
    return _alpha2(match.group(1)) if match else None

"""Reading FDA download files: plain, gzipped or inside a zip, with checksums and dates.

FDA's text files are not reliably UTF-8. Each line is decoded as UTF-8
strictly and, if that fails, as Windows-1252 (a superset of the Latin-1
letters FDA files contain); bytes Windows-1252 leaves undefined become
U+FFFD and are counted.
"""

from __future__ import annotations

import gzip
import hashlib
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from inspect_svc.reference.report import LoadReport


@dataclass(frozen=True)
class SourceFile:
    """The uncompressed bytes of one input file and where they came from."""

    name: str
    data: bytes
    modified: date | None
    from_zip: bool = False

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def base_name(self) -> str:
        """Lower-case file name without folders and without a `.gz` suffix."""
        name = self.name.rsplit(":", 1)[-1].rsplit("/", 1)[-1].lower()
        return name.removesuffix(".gz")

    def describe(self) -> dict[str, object]:
        return {"name": self.name, "sha256": self.sha256, "bytes": len(self.data)}


def read_sources(paths: list[Path]) -> list[SourceFile]:
    """Every file named by `paths`: files, the files of folders, the members of zips."""
    found: list[SourceFile] = []
    for path in paths:
        if path.is_dir():
            found.extend(_read_file(child) for child in sorted(path.iterdir()) if child.is_file())
        elif path.suffix.lower() == ".zip":
            found.extend(_read_zip(path))
        else:
            found.append(_read_file(path))
    return found


def _read_file(path: Path) -> SourceFile:
    raw = path.read_bytes()
    if path.suffix.lower() == ".gz":
        raw = gzip.decompress(raw)
    modified = datetime.fromtimestamp(path.stat().st_mtime, UTC).date()
    return SourceFile(path.name, raw, modified)


def _read_zip(path: Path) -> Iterator[SourceFile]:
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            year, month, day = info.date_time[:3]
            yield SourceFile(
                f"{path.name}:{info.filename}", archive.read(info), date(year, month, day), True
            )


def snapshot_date(
    sources: list[SourceFile], given: date | None, newest_in_data: date | None = None
) -> date:
    """The `as_of` of a load: the file's own date, never the day it was loaded.

    In order: the given date (`--as-of`); the newest zip member date (FDA
    stamps its archives); the newest date inside the data (a listing's start
    of marketing, an alert's listing date: the file cannot be older than it);
    the file's modification time, which a copy resets, so only as a last resort.
    """
    if given is not None:
        return given
    zipped = [s.modified for s in sources if s.from_zip and s.modified]
    if zipped:
        return max(zipped)
    if newest_in_data is not None:
        return newest_in_data
    dated = [s.modified for s in sources if s.modified]
    return max(dated) if dated else datetime.now(UTC).date()


def newest_past_date(dates: Iterable[date | None]) -> date | None:
    """The latest of `dates` not after today (future dates are plans, not data age).

    >>> newest_past_date([date(2013, 12, 15), None, date(2014, 1, 22), date(2999, 1, 1)])
    datetime.date(2014, 1, 22)
    """
    today = datetime.now(UTC).date()
    past = [day for day in dates if day is not None and day <= today]
    return max(past) if past else None


def decode_line(raw: bytes, source: str, number: int, report: LoadReport) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
        report.note_fallback(source, number, text.count("\ufffd"))
        return text


def tab_rows(
    source: SourceFile, report: LoadReport
) -> tuple[list[str], Iterator[tuple[int, dict[str, str] | None]]]:
    """The header and (line number, {HEADER: value}) per data row.

    A row of the wrong width comes back as None. The header is matched by
    name, upper-cased, so files of different years (with or without later
    columns) read the same way. Values are trimmed; FDA files use no quoting,
    so a tab always separates fields. Empty fields after the last column are
    not counted (FDA's registration file ends every data row with a tab).
    """
    lines = source.data.split(b"\n")
    first = decode_line(lines[0].rstrip(b"\r"), source.name, 1, report)
    header = [name.strip().upper() for name in first.split("\t")]
    while header and not header[-1]:
        header.pop()

    def rows() -> Iterator[tuple[int, dict[str, str] | None]]:
        for index, raw in enumerate(lines[1:], start=2):
            raw = raw.rstrip(b"\r")
            if not raw.strip():
                continue
            values = decode_line(raw, source.name, index, report).split("\t")
            while len(values) > len(header) and not values[-1].strip():
                values.pop()
            if len(values) != len(header):
                yield index, None
                continue
            yield index, {name: value.strip() for name, value in zip(header, values, strict=True)}

    return header, rows()


def required_tab_rows(
    source: SourceFile,
    required: tuple[str, ...],
    report: LoadReport,
    missing_columns: Callable[[str], Exception],
) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a tab file that has the `required` columns, counted in `report.rows_read`.

    A row of the wrong width is rejected as "wrong number of fields". A file
    without a required column raises `missing_columns(message)`, the message
    naming the file and the columns.
    """
    header, rows = tab_rows(source, report)
    missing = [name for name in required if name not in header]
    if missing:
        raise missing_columns(f"{source.name}: missing column(s) {', '.join(missing)}")
    for line, fields in rows:
        report.rows_read += 1
        if fields is None:
            report.reject(source.name, line, "wrong number of fields")
            continue
        yield line, fields


def parse_yyyymmdd(text: str) -> date | None:
    """A `YYYYMMDD` date; empty gives None. Raises ValueError for anything else."""
    if not text:
        return None
    if len(text) != 8 or not text.isascii() or not text.isdigit():
        raise ValueError(f"not a YYYYMMDD date: {text!r}")
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))

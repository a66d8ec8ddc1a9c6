"""The tab-file reader the NDC and registration loaders share."""

from __future__ import annotations

import pytest

from inspect_svc.reference.report import LoadReport
from inspect_svc.reference.sources import SourceFile, required_tab_rows, tab_rows


class MissingColumns(ValueError):
    pass


def _source(text: str) -> SourceFile:
    return SourceFile("x.txt", text.encode(), None)


def test_empty_fields_after_the_last_column_are_not_fields() -> None:
    source = _source(" a\tb\t\r\n1\t2\t\r\n3\t4\r\n5\t6\t \t\r\n\r\n7\t\t8\r\n9\r\n")
    header, rows = tab_rows(source, LoadReport("test"))
    assert header == ["A", "B"]
    assert list(rows) == [
        (2, {"A": "1", "B": "2"}),
        (3, {"A": "3", "B": "4"}),
        (4, {"A": "5", "B": "6"}),
        (6, None),
        (7, None),
    ]


def test_required_rows_count_reads_and_reject_the_wrong_width() -> None:
    report = LoadReport("test")
    source = _source("A\tB\n1\t2\n3\n\n4\t5\n")
    rows = list(required_tab_rows(source, ("A", "B"), report, MissingColumns))
    assert rows == [(2, {"A": "1", "B": "2"}), (5, {"A": "4", "B": "5"})]
    assert report.rows_read == 3
    assert [(r.source, r.line, r.reason) for r in report.rejections] == [
        ("x.txt", 3, "wrong number of fields")
    ]


def test_a_missing_column_raises_the_callers_error() -> None:
    source = _source("A\tC\n1\t2\n")
    with pytest.raises(MissingColumns, match=r"^x\.txt: missing column\(s\) B, D$"):
        list(required_tab_rows(source, ("A", "B", "D"), LoadReport("test"), MissingColumns))

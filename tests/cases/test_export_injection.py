"""Exports stay inert and line-safe for any text: formula look-alikes in CSV, line ends in JSONL."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st

from inspect_svc.cases.exports.csv import free_text
from inspect_svc.cases.exports.jsonl import json_line
from tests.cases.export_kit import fetch

Auth = Callable[[str], dict[str, str]]

# Characters a spreadsheet may take as the start of a formula, or skip before one.
FORMULA_LEADS = [
    "=", "+", "-", "@",
    "\uff1d", "\ufe66",  # full-width and small equals
    "\uff0b", "\uff0d", "\uff20", "\ufe62", "\ufe63",  # full-width / small + - @
    "\u2212",  # minus sign
    " ", "\t", "\n", "\r", "\x0b", "\x0c", "\u00a0", "\u3000", "\u200b", "\ufeff",
]  # fmt: skip
# Every character str.splitlines() splits on.
LINE_ENDS = ["\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


def csv_cell_roundtrip(value: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([value, "end"])
    (row,) = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    assert row[1] == "end"
    return row[0]


@given(lead=st.sampled_from(FORMULA_LEADS), rest=st.text(max_size=30))
def test_csv_quotes_every_formula_lead(lead: str, rest: str) -> None:
    value = lead + rest
    cell = free_text(value)
    assert cell == "'" + value
    assert csv_cell_roundtrip(cell) == cell


@given(value=st.text(min_size=1, max_size=40))
def test_csv_leaves_plain_text_alone_and_never_starts_a_formula(value: str) -> None:
    cell = free_text(value)
    first = unicodedata.normalize("NFKC", cell[0])[:1]
    assert first not in "=+-@\u2212" and not cell[0].isspace()
    assert cell in (value, "'" + value)  # only ever one apostrophe added, content kept
    if value[0].isalnum() and unicodedata.normalize("NFKC", value[0])[:1].isalnum():
        assert cell == value


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(alphabet=st.characters(), max_size=20)
    | st.sampled_from(LINE_ENDS),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@given(documents=st.lists(st.dictionaries(st.text(max_size=8), JSON_VALUES), max_size=5))
def test_jsonl_records_survive_splitlines(documents: list[dict[str, Any]]) -> None:
    body = "".join(json_line(document) for document in documents)
    lines = body.splitlines()
    assert [json.loads(line) for line in lines] == documents
    assert not any(end in body.replace("\n", "") for end in LINE_ENDS)


def test_exports_neutralise_look_alikes_end_to_end(
    client: FlaskClient, auth: Auth, make_case: Callable[..., int]
) -> None:
    shipment_id = make_case(manufacturer='\uff1dHYPERLINK("http://x")\u2028Ltd\x85')
    response = client.post(
        f"/api/v1/shipments/{shipment_id}/decisions",
        json={"action": "exam", "reason_codes": ["other"], "notes": " =1+1\u2029"},
        headers=auth("inspector"),
    )
    assert response.status_code == 201, response.json

    rows = list(csv.DictReader(io.StringIO(fetch(client, auth("officer"), "csv").body, newline="")))
    (row,) = [r for r in rows if r["case_id"] == str(shipment_id)]
    assert row["manufacturer"] == '\'\uff1dHYPERLINK("http://x")\u2028Ltd\x85'
    # Notes are stored trimmed of surrounding whitespace; the formula sign still leads.
    assert row["notes"] == "'=1+1"

    body = fetch(client, auth("officer"), "jsonl").body
    (case,) = [json.loads(line) for line in body.splitlines()]
    assert case["shipment"]["parties"]["manufacturer"]["name"].endswith("\u2028Ltd\x85")
    assert case["decisions"][0]["notes"] == "=1+1"
    assert "\\u2028" in body and "\u2028" not in body

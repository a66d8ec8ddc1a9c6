"""CSV export: one row per decision of each case (one row with empty decision columns
for a case without decisions), in change order.

Columns, in this order (stable; new columns are only ever appended):

| column | content |
|---|---|
| case_id | shipment id |
| change_seq | the case's change position (audit seq) |
| entry_number | customs entry number (identifier) |
| port_code | port of entry (identifier) |
| mode | transport mode |
| origin_country | ISO 3166-1 alpha-2 |
| manufacturer | declared manufacturer name (free text) |
| declared_ndcs | declared NDCs, space separated (identifier) |
| scanned_gtins | distinct GTINs scanned, space separated (identifier) |
| scan_count | number of stored scans |
| rules_fired | distinct rule ids with findings, space separated |
| status | shipment status after its latest decision |
| recommendation | current recommendation |
| risk_score | current risk score |
| ruleset_version | ruleset of the current evaluation |
| decision_id | the decision of this row |
| decision_action | release, exam or detain |
| reason_codes | space separated |
| decided_at | ISO 8601, UTC |
| decided_by | actor name (free text) |
| decider_role | inspector, officer or admin |
| override | true when the decision went against the recommendation |
| justification | free text |
| notes | free text |
| recommendation_at_decision | what triage recommended when the decision was made |
| supersedes_id | the decision this one replaced |
| current | true for the shipment's latest decision |
| lane | green, yellow or red |
| selected_by | rules, random, officer or empty |
| exam_result | the latest exam result: violation, no_violation, inconclusive or empty |
| exam_charges | its refusal charge codes, separated by `;` |
| entry_type | CBP entry type code |
| transport_document | air waybill, bill of lading, container or parcel id (identifier) |
| related_entries | related entry numbers, space separated (identifier) |
| arrival_date | YYYY-MM-DD |
| consignee | declared consignee name (free text) |
| product_codes | FDA product code per declared line, space separated (identifier) |
| affirmations | per line `LINE:CODE=QUALIFIER`, space separated (identifier) |
| hts_codes | HTS code per declared line, space separated (identifier) |

Identifier columns (NDCs, GTINs, entry numbers, port codes) are written as
formula text `="00123"`: spreadsheet programs show the value as text and
keep its leading zeros, and Python's csv module reads it back unchanged so
`identifier_value` can unwrap it. Free-text columns whose value could start
a formula get a leading apostrophe so a spreadsheet never evaluates them
(CSV injection): a value starting with `=`, `+`, `-` or `@`, with any of
their look-alikes that Unicode compatibility folds to them (full-width `＝`,
small `﹦`, `＋`, `－`, `＠`, `﹢`, `﹣`, super/subscript signs) or the minus
sign U+2212, and a value starting with whitespace (space, tab, CR, LF, ...)
or an invisible control or format character, which spreadsheets may skip
before they look for the formula sign.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

from inspect_svc.cases.exports.records import CaseRecord
from inspect_svc.models.case import Decision

CONTENT_TYPE = "text/csv; charset=utf-8"
COLUMNS = (
    "case_id",
    "change_seq",
    "entry_number",
    "port_code",
    "mode",
    "origin_country",
    "manufacturer",
    "declared_ndcs",
    "scanned_gtins",
    "scan_count",
    "rules_fired",
    "status",
    "recommendation",
    "risk_score",
    "ruleset_version",
    "decision_id",
    "decision_action",
    "reason_codes",
    "decided_at",
    "decided_by",
    "decider_role",
    "override",
    "justification",
    "notes",
    "recommendation_at_decision",
    "supersedes_id",
    "current",
    "lane",
    "selected_by",
    "exam_result",
    "exam_charges",
    "entry_type",
    "transport_document",
    "related_entries",
    "arrival_date",
    "consignee",
    "product_codes",
    "affirmations",
    "hts_codes",
)
FORMULA_SIGNS = frozenset("=+-@\u2212")
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


def identifier_text(value: str | None) -> str:
    """An identifier as spreadsheet formula text, so its leading zeros survive."""
    if not value:
        return ""
    return '="' + value.replace('"', '""') + '"'


def identifier_value(cell: str) -> str:
    """The identifier inside a cell written by `identifier_text` (for readers of the export)."""
    if cell.startswith('="') and cell.endswith('"'):
        return cell[2:-1].replace('""', '"')
    return cell


def starts_formula(value: str) -> bool:
    """Whether a spreadsheet could read `value` as a formula (see the module docstring).

    >>> [starts_formula(v) for v in ("=1+1", "＝1", " =1", "Acme", "")]
    [True, True, True, False, False]
    """
    if not value:
        return False
    first = value[0]
    if first.isspace() or unicodedata.category(first) in INVISIBLE_CATEGORIES:
        return True
    folded = unicodedata.normalize("NFKC", first)
    return folded[:1] in FORMULA_SIGNS


def free_text(value: str | None) -> str:
    """Free text made inert for spreadsheets: a value that could start a formula is quoted."""
    if not value:
        return ""
    return "'" + value if starts_formula(value) else value


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _case_columns(case: CaseRecord) -> dict[str, Any]:
    shipment = case.shipment
    gtins = sorted({s.gtin for s in case.scans if s.gtin})
    manufacturer = (shipment.parties.get("manufacturer") or {}).get("name")
    exam = case.exam_results[-1] if case.exam_results else None
    return {
        "case_id": shipment.id,
        "change_seq": case.position,
        "entry_number": identifier_text(shipment.entry_number),
        "port_code": identifier_text(shipment.port_code),
        "mode": shipment.mode,
        "origin_country": shipment.origin_country,
        "manufacturer": free_text(manufacturer),
        "declared_ndcs": identifier_text(
            " ".join(line.ndc for line in shipment.declared_lines if line.ndc)
        ),
        "scanned_gtins": identifier_text(" ".join(gtins)),
        "scan_count": len(case.scans),
        "rules_fired": " ".join(case.rules_fired),
        "status": shipment.status,
        "recommendation": shipment.recommendation,
        "risk_score": shipment.risk_score,
        "ruleset_version": shipment.ruleset_version or "",
        "lane": shipment.lane,
        "selected_by": shipment.selected_by or "",
        "exam_result": exam.result if exam else "",
        "exam_charges": ";".join(exam.charges) if exam else "",
        **_entry_columns(case),
    }


def _entry_columns(case: CaseRecord) -> dict[str, Any]:
    shipment = case.shipment
    lines = shipment.declared_lines
    affirmations = [
        f"{line.line_number}:{a.get('code')}={a.get('qualifier') or ''}"
        for line in lines
        for a in line.affirmations or ()
    ]
    consignee = (shipment.parties.get("consignee") or {}).get("name")
    return {
        "entry_type": identifier_text(shipment.entry_type),
        "transport_document": identifier_text(shipment.transport_document),
        "related_entries": identifier_text(" ".join(shipment.related_entries or ())),
        "arrival_date": shipment.arrival_date.isoformat() if shipment.arrival_date else "",
        "consignee": free_text(consignee),
        "product_codes": identifier_text(
            " ".join(line.fda_product_code for line in lines if line.fda_product_code)
        ),
        "affirmations": identifier_text(" ".join(affirmations)),
        "hts_codes": identifier_text(" ".join(line.hts_code for line in lines if line.hts_code)),
    }


def _decision_columns(decision: Decision | None, current: bool) -> dict[str, Any]:
    if decision is None:
        return {}
    return {
        "decision_id": decision.id,
        "decision_action": decision.action,
        "reason_codes": " ".join(decision.reason_codes),
        "decided_at": decision.decided_at.isoformat(),
        "decided_by": free_text(decision.actor_name),
        "decider_role": decision.role,
        "override": _flag(decision.override),
        "justification": free_text(decision.justification),
        "notes": free_text(decision.notes),
        "recommendation_at_decision": decision.recommendation_at_decision,
        "supersedes_id": decision.supersedes_id or "",
        "current": _flag(current),
    }


def case_rows(case: CaseRecord) -> Iterator[dict[str, Any]]:
    base = _case_columns(case)
    if not case.decisions:
        yield base
        return
    last = len(case.decisions) - 1
    for index, decision in enumerate(case.decisions):
        yield {**base, **_decision_columns(decision, index == last)}


def render_csv(cases: Iterable[CaseRecord]) -> Iterator[str]:
    """The header line, then one chunk of rows per case."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, restval="", lineterminator="\r\n")
    writer.writeheader()
    for case in cases:
        writer.writerows(case_rows(case))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()

"""The officer queue and the case page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from flask import render_template, request
from sqlalchemy import select

from inspect_svc.cases.queue import QueueFilters, officer_queue
from inspect_svc.db import db
from inspect_svc.models.triage import RECOMMENDATIONS, Finding
from inspect_svc.triage.shipments import get_shipment
from inspect_svc.web.access import page_role
from inspect_svc.web.blueprint import bp
from inspect_svc.web.case_data import case_view
from inspect_svc.web.rule_names import rule_ids

QUEUE_PAGE_SIZE = 100
EXPORT_FORMATS = ("csv", "jsonl", "epcis")


@bp.get("/queue")
@page_role("officer")
def queue() -> str:
    filters, form = _queue_filters(request.args)
    page = officer_queue(db.session, filters)
    return render_template(
        "queue.html",
        page=page,
        form=form,
        rules_by_shipment=_rules_fired([s.id for s in page.items]),
        recommendations=RECOMMENDATIONS,
        rule_choices=rule_ids(),
        export_formats=EXPORT_FORMATS,
    )


@bp.get("/cases/<id:shipment_id>")
@page_role("officer")
def case(shipment_id: int) -> str:
    return render_template("case.html", case=case_view(get_shipment(db.session, shipment_id)))


def _queue_filters(args: Mapping[str, str]) -> tuple[QueueFilters, dict[str, str]]:
    """Filters from the query string; a value that does not fit is ignored, not an error."""
    form = {
        name: args.get(name, "").strip()
        for name in ("recommendation", "port", "origin", "rule", "min_age", "max_age")
    }
    recommendation = form["recommendation"] if form["recommendation"] in RECOMMENDATIONS else None
    return (
        QueueFilters(
            recommendation=recommendation,
            port=form["port"] or None,
            origin=form["origin"].upper() or None,
            rule=form["rule"] or None,
            min_age_hours=_hours(form["min_age"]),
            max_age_hours=_hours(form["max_age"]),
            limit=QUEUE_PAGE_SIZE,
        ),
        form,
    )


def _hours(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if 0 <= value < 1e6 else None


def _rules_fired(shipment_ids: list[int]) -> dict[int, list[str]]:
    """The distinct rules above `info` that fired on each shipment."""
    fired: dict[int, list[str]] = defaultdict(list)
    rows = db.session.execute(
        select(Finding.shipment_id, Finding.rule)
        .where(Finding.shipment_id.in_(shipment_ids), Finding.severity != "info")
        .distinct()
        .order_by(Finding.shipment_id, Finding.rule)
    )
    for shipment_id, rule in rows:
        fired[shipment_id].append(rule)
    return fired

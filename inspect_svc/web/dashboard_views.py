"""The dashboard: decisions per day, top rules fired, detentions by origin."""

from __future__ import annotations

from flask import render_template

from inspect_svc.cases.hit_rates import hit_rate_report
from inspect_svc.current import policy
from inspect_svc.db import db
from inspect_svc.models.case import ACTIONS
from inspect_svc.web.access import page_role
from inspect_svc.web.blueprint import bp
from inspect_svc.web.charts import bar_chart, stacked_chart
from inspect_svc.web.dashboard_stats import dashboard_stats
from inspect_svc.web.rule_names import rule_name

DASHBOARD_DAYS = 14


@bp.get("/dashboard")
@page_role("officer")
def dashboard() -> str:
    stats = dashboard_stats(db.session, DASHBOARD_DAYS)
    labelled = [(day.strftime("%d %b"), counts) for day, counts in stats.days]
    per_day = stacked_chart(labelled, ACTIONS)
    rules = bar_chart([(f"{rule} {rule_name(rule)}", n) for rule, n in stats.top_rules])
    origins = bar_chart(stats.detentions_by_origin)
    return render_template(
        "dashboard.html",
        stats=stats,
        per_day=per_day,
        rules=rules,
        origins=origins,
        days=DASHBOARD_DAYS,
        hit_rates=hit_rate_report(db.session, policy()),
    )

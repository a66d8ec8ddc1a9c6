"""Template filters and globals shared by the pages."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Flask
from markupsafe import Markup, escape

from inspect_svc.cases.reasons import REASON_CODES
from inspect_svc.web.access import page_user
from inspect_svc.web.rule_names import rule_name
from rules.base import Severity

GS = "\x1d"
_GS_MARK = Markup('<abbr class="gs" title="group separator (GS, 0x1D)">GS</abbr>')
VERDICT_WORDS = {"green": "Clear", "amber": "Check", "red": "Stop"}


def show_gs(raw: str | None) -> Markup:
    """`raw` escaped, with each invisible group separator shown as a marked-up GS."""
    return _GS_MARK.join(escape(part) for part in (raw or "").split(GS))


def by_severity(findings: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Findings most severe first, keeping the rules' order within a severity."""

    def rank(finding: dict[str, Any]) -> int:
        severity = str(finding.get("severity"))
        known = severity in Severity.__members__.values()
        return -Severity(severity).rank if known else -len(Severity)

    return sorted(findings or [], key=rank)


def age(moment: datetime | None) -> str:
    """How long ago `moment` was, in the largest whole unit."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    minutes = int((datetime.now(UTC) - moment).total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 0)} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // 1440} d"


def register_filters(app: Flask) -> None:
    app.add_template_filter(show_gs, "show_gs")
    app.add_template_filter(age, "age")
    app.add_template_filter(by_severity, "by_severity")
    app.add_template_filter(rule_name, "rule_name")

    @app.context_processor
    def _page_globals() -> dict[str, Any]:
        return {
            "current_user": page_user(),
            "reason_codes": REASON_CODES,
            "verdict_words": VERDICT_WORDS,
        }

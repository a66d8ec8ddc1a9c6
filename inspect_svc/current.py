"""Accessors for what the app factory attached to the running app.

Only the HTTP and CLI edges read these; the domain (triage, cases, rules)
gets what it needs passed in, as a `TriageRuntime` or as arguments.
"""

from __future__ import annotations

from typing import cast

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from inspect_svc.db import db
from inspect_svc.settings import Settings
from inspect_svc.triage.database_reference import ReferenceMemos
from inspect_svc.triage.runtime import TriageRuntime, build_runtime
from rules.policy import RulePolicy, load_policy


def init_app(app: Flask, app_settings: Settings) -> None:
    """Attach the settings, the rule policy (validated once: a bad one stops start-up) and
    the app's memo of reference look-ups."""
    app.extensions["inspect_settings"] = app_settings
    app.extensions["inspect_policy"] = load_policy(app_settings.policy_path)
    app.extensions["inspect_reference_memos"] = ReferenceMemos()


def settings() -> Settings:
    return cast(Settings, current_app.extensions["inspect_settings"])


def policy() -> RulePolicy:
    return cast(RulePolicy, current_app.extensions["inspect_policy"])


def selectivity_secret() -> str:
    """`selectivity.secret`, else the server's secret key (configured or generated)."""
    return settings().selectivity.secret or str(current_app.config["SECRET_KEY"])


def runtime_for(session: Session) -> TriageRuntime:
    """A triage runtime of the running app reading through `session` (CLI jobs)."""
    memos = cast(ReferenceMemos, current_app.extensions["inspect_reference_memos"])
    return build_runtime(session, policy(), settings(), selectivity_secret(), memos)


def triage_runtime() -> TriageRuntime:
    """The runtime of the current request (built once per request)."""
    if "triage_runtime" not in g:
        g.triage_runtime = runtime_for(db.session)
    return cast(TriageRuntime, g.triage_runtime)

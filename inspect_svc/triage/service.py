"""Triage wiring for the running app: the policy loaded at start-up, per-request runtime."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any, cast

from flask import Flask, current_app, g
from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_svc.audit import append_event
from inspect_svc.current import settings
from inspect_svc.db import db
from inspect_svc.interpret import InterpretOptions
from inspect_svc.models.audit import AuditEvent
from inspect_svc.settings import Settings
from inspect_svc.triage.database_reference import DatabaseReference
from inspect_svc.triage.runtime import TriageRuntime
from rules.policy import RulePolicy, load_policy


def init_app(app: Flask, app_settings: Settings) -> None:
    """Load and validate the rule policy once; a bad policy stops start-up."""
    app.extensions["inspect_policy"] = load_policy(app_settings.policy_path)


def policy() -> RulePolicy:
    return cast(RulePolicy, current_app.extensions["inspect_policy"])


def triage_runtime() -> TriageRuntime:
    """The runtime of the current request (built once per request)."""
    if "triage_runtime" not in g:
        g.triage_runtime = build_runtime(db.session)
    return cast(TriageRuntime, g.triage_runtime)


def build_runtime(session: Session) -> TriageRuntime:
    """A runtime reading reference data through `session` (inside an app context)."""
    today = datetime.now(UTC).date()
    current = settings()
    reference = DatabaseReference(session, today, current.reference, current.reference_sources)
    options = InterpretOptions(
        gs_substitutes=current.scan.gs_substitutes,
        max_length=current.scan.max_length,
        today=today,
        ndc_resolver=reference.resolve_ndc,
    )
    return TriageRuntime(policy(), options, reference, today)


def product_view(runtime: TriageRuntime, ndc10: str | None) -> dict[str, Any] | None:
    """What an inspector needs to recognise the product of a scan."""
    if not ndc10:
        return None
    products = runtime.reference.products_for(ndc10)
    if not products:
        return None
    product = products[0]
    return {
        "ndc": product.ndc,
        "name": product.proprietary_name,
        "generic_name": product.nonproprietary_name,
        "labeler": product.labeler_name,
        "dosage_form": product.dosage_form,
        "product_type": product.product_type,
        "package": product.package_description,
        "variant": product.variant,
    }


def record_policy_activation(session: Session, actor: str) -> bool:
    """Audit the app's rule policy when it differs from the last one recorded."""
    current, path = policy(), settings().policy_path
    last = session.scalar(
        select(AuditEvent.payload)
        .where(AuditEvent.action == "policy.activated")
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    )
    if last is not None and last.get("ruleset_version") == current.version:
        return False
    append_event(
        session,
        actor=actor,
        action="policy.activated",
        subject=f"policy:{current.version}",
        payload={
            "ruleset_version": current.version,
            "policy_file": str(path),
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        },
    )
    return True

"""The audit trail of the rule policy: which policy file was in force from when."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_svc.audit import append_event
from inspect_svc.models.audit import AuditEvent
from rules.policy import RulePolicy


def record_policy_activation(session: Session, actor: str, policy: RulePolicy, path: Path) -> bool:
    """Audit `policy` (read from `path`) when it differs from the last one recorded."""
    last = session.scalar(
        select(AuditEvent.payload)
        .where(AuditEvent.action == "policy.activated")
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    )
    if last is not None and last.get("ruleset_version") == policy.version:
        return False
    append_event(
        session,
        actor=actor,
        action="policy.activated",
        subject=f"policy:{policy.version}",
        payload={
            "ruleset_version": policy.version,
            "policy_file": str(path),
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        },
    )
    return True

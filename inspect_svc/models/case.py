"""Decisions on shipments: append-only, each new one superseding the previous by reference."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from inspect_svc.models.base import Base, UtcDateTime, utcnow

ACTIONS = ("release", "exam", "detain")
STATUS_AFTER = {"release": "released", "exam": "exam", "detain": "detained"}
"""The shipment status a decision leaves."""


class Decision(Base):
    """What an inspector or officer decided, with the triage state it was made against.

    Rows are never updated: a later decision points at the one it replaces
    through `supersedes_id`, which is unique so a decision is superseded at
    most once and the history of a shipment is a single chain.
    """

    __tablename__ = "decision"
    __table_args__ = (CheckConstraint("action IN ('release', 'exam', 'detain')", name="action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipment.id"), index=True)
    action: Mapped[str] = mapped_column(String(8))
    reason_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    justification: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(16))
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    recommendation_at_decision: Mapped[str] = mapped_column(String(8))
    risk_score_at_decision: Mapped[float] = mapped_column(Float)
    findings_at_decision: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    ruleset_version: Mapped[str | None] = mapped_column(String(64))
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"), unique=True)
    override: Mapped[bool] = mapped_column(Boolean, default=False)
    # The assessment the decision was made on (null for decisions older than assessments).
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id"))
    # A retried request with the same key returns this decision instead of adding one.
    idempotency_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    request_digest: Mapped[str | None] = mapped_column(String(64))

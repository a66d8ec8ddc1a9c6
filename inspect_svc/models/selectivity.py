"""Exam results: what opening a shipment found, append-only like decisions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import JSON

from inspect_svc.models.base import Base, UtcDateTime, utcnow

EXAM_RESULTS = ("violation", "no_violation", "inconclusive")


class ExamResult(Base):
    """One recorded exam outcome; a later row for the same shipment corrects an earlier one.

    `lane` and `selected_by` are the shipment's at the time of the exam, so the
    hit-rate report can tell random exams from rule-selected ones.
    """

    __tablename__ = "exam_result"
    __table_args__ = (
        CheckConstraint("result IN ('violation', 'no_violation', 'inconclusive')", name="result"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipment.id"), index=True)
    result: Mapped[str] = mapped_column(String(12))
    charges: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(16))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    lane: Mapped[str] = mapped_column(String(6))
    selected_by: Mapped[str | None] = mapped_column(String(8))

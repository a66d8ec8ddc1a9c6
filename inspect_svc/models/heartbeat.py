"""The row the readiness probe rewrites to show that the database takes writes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from inspect_svc.models.base import Base, UtcDateTime


class ServiceHeartbeat(Base):
    """One row (id 1), updated and committed by every readiness probe."""

    __tablename__ = "service_heartbeat"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    beat_at: Mapped[datetime] = mapped_column(UtcDateTime)

"""Warnings raised for overloaded departures and alarms, and their history (hand-overs)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from backend.clock import now
from backend.extensions import db
from backend.models.types import BigId, Json, UtcDateTime

WARNING_KINDS = ("overload", "alarm")
WARNING_STATUSES = ("open", "dispatched", "dismissed", "closed")


class WarningRecord(db.Model):  # type: ignore[name-defined,misc]
    """A warning (预警) with the team responsible for it now."""

    __tablename__ = "warnings"
    __table_args__ = (
        Index("ix_warnings_vehicle_status", "plate", "plate_color", "status"),
        # Overload warnings only: how a replayed weighing finds the warning it raised.
        Index("ix_warnings_weighing_id", "weighing_id", postgresql_where=text("weighing_id IS NOT NULL"),
              sqlite_where=text("weighing_id IS NOT NULL")),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    trigger: Mapped[str] = mapped_column(String(48))
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    plate: Mapped[str] = mapped_column(String(16))
    plate_color: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    weighing_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    alarm_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("source_sites.id"), nullable=True)
    jurisdiction_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), nullable=True, index=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    details: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    raised_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)


class WarningEvent(db.Model):  # type: ignore[name-defined,misc]
    """A change in a warning's life: created, handed over to another jurisdiction, closed."""

    __tablename__ = "warning_events"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("warnings.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    from_team_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    to_team_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    from_jurisdiction_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    to_jurisdiction_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    data: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)

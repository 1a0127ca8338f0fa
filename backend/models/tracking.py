"""Vehicle positions: the fix history, the latest position per vehicle, and raised alarms."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.models.types import BigId, Json, UtcDateTime, geometry


class Fix(db.Model):  # type: ignore[name-defined,misc]
    """One reported position; (plate, plate_color, at) makes a replayed fix a no-op."""

    __tablename__ = "fixes"
    __table_args__ = (UniqueConstraint("plate", "plate_color", "at", name="uq_fixes_vehicle_at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    feed_id: Mapped[int] = mapped_column(Integer)
    plate: Mapped[str] = mapped_column(String(16))
    plate_color: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    speed_kmh: Mapped[float] = mapped_column(Float)
    heading: Mapped[float] = mapped_column(Float)
    alarm_flags: Mapped[int] = mapped_column(BigId, default=0)
    status_flags: Mapped[int] = mapped_column(BigId, default=0)
    jurisdiction_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    extra: Mapped[dict[str, Any] | None] = mapped_column(Json, nullable=True)


class VehiclePosition(db.Model):  # type: ignore[name-defined,misc]
    """The latest fix of each vehicle, with the jurisdiction it is in (for the live map)."""

    __tablename__ = "vehicle_positions"
    plate: Mapped[str] = mapped_column(String(16), primary_key=True)
    plate_color: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    geom: Mapped[Any] = mapped_column(geometry("POINT"))
    speed_kmh: Mapped[float] = mapped_column(Float)
    heading: Mapped[float] = mapped_column(Float)
    alarm_flags: Mapped[int] = mapped_column(BigId, default=0)
    status_flags: Mapped[int] = mapped_column(BigId, default=0)
    jurisdiction_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class Alarm(db.Model):  # type: ignore[name-defined,misc]
    """An alarm event (rising edge of a JT/T 808 bit, or an ADAS/DSM start)."""

    __tablename__ = "alarms"
    __table_args__ = (Index("ix_alarms_vehicle_code_at", "plate", "plate_color", "code", "at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    plate: Mapped[str] = mapped_column(String(16))
    plate_color: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(48))
    source: Mapped[str] = mapped_column(String(8))
    level: Mapped[int | None] = mapped_column(Integer, nullable=True)
    identifier: Mapped[str | None] = mapped_column(String(32), nullable=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    jurisdiction_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    warning_id: Mapped[int | None] = mapped_column(BigId, nullable=True)


class OfficerPosition(db.Model):  # type: ignore[name-defined,misc]
    """An officer's latest reported position (the command center's map, proposals by distance)."""

    __tablename__ = "officer_positions"
    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)

"""Weighing records uploaded by source sites, stored raw with their evaluation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.clock import now
from backend.extensions import db
from backend.models.types import BigId, Json, UtcDateTime


class Weighing(db.Model):  # type: ignore[name-defined,misc]
    """One departure weighed at a site; (site_id, record_id) is the idempotency key."""

    __tablename__ = "weighings"
    __table_args__ = (UniqueConstraint("site_id", "record_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("source_sites.id"))
    record_id: Mapped[str] = mapped_column(String(128))
    body_sha256: Mapped[str] = mapped_column(String(64))
    raw: Mapped[dict[str, Any]] = mapped_column(Json)
    plate: Mapped[str] = mapped_column(String(16), index=True)
    plate_color: Mapped[int] = mapped_column(Integer)
    axles: Mapped[int] = mapped_column(Integer)
    vehicle_kind: Mapped[str | None] = mapped_column(String(16), nullable=True)
    gross_kg: Mapped[float] = mapped_column(Float)
    tare_kg: Mapped[float | None] = mapped_column(Float, nullable=True)
    weighed_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    limit_kg: Mapped[int] = mapped_column(Integer)
    tolerance_kg: Mapped[float] = mapped_column(Float)
    excess_kg: Mapped[float] = mapped_column(Float)
    excess_pct: Mapped[float] = mapped_column(Float)
    overloaded: Mapped[bool] = mapped_column(Boolean, index=True)
    rule_version: Mapped[str] = mapped_column(String(64))
    evaluation: Mapped[dict[str, Any]] = mapped_column(Json)
    response: Mapped[dict[str, Any]] = mapped_column(Json)

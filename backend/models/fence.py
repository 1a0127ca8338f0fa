"""Geofences with their full version history and the global fence version."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.clock import now
from backend.extensions import db
from backend.models.types import BigId, UtcDateTime, geometry

FENCE_KINDS = ("jurisdiction", "source_site", "checkpoint", "restricted")


class Geofence(db.Model):  # type: ignore[name-defined,misc]
    """The current state of a fence; deleted fences keep their row (deleted_at) for history."""

    __tablename__ = "geofences"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), nullable=True)
    valid: Mapped[bool] = mapped_column(Boolean, default=True)
    code: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    properties: Mapped[dict[str, Any]] = mapped_column(db.JSON, default=dict)
    geom: Mapped[Any] = mapped_column(geometry("MULTIPOLYGON"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class GeofenceVersion(db.Model):  # type: ignore[name-defined,misc]
    """One saved version of a fence: what it was, who changed it, when."""

    __tablename__ = "geofence_versions"
    __table_args__ = (UniqueConstraint("geofence_id", "version"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    geofence_id: Mapped[int] = mapped_column(ForeignKey("geofences.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    change: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    team_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    valid: Mapped[bool] = mapped_column(Boolean)
    properties: Mapped[dict[str, Any]] = mapped_column(db.JSON, default=dict)
    geom: Mapped[Any] = mapped_column(geometry("MULTIPOLYGON"))
    changed_by: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)


class FenceState(db.Model):  # type: ignore[name-defined,misc]
    """A single row whose version rises on every fence change; matchers compare it per batch."""

    __tablename__ = "fence_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    # A random stamp per bump: a version number alone repeats after a rollback or a restore.
    stamp: Mapped[str] = mapped_column(String(32), default="")

"""Enforcement tasks, their transitions, and the event log that clients catch up from."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.clock import now
from backend.extensions import db
from backend.models.types import BigId, Json, UtcDateTime


class Task(db.Model):  # type: ignore[name-defined,misc]
    """A navigation task (派单) turning a warning into work for one team."""

    __tablename__ = "tasks"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("warnings.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    intercept_lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    intercept_lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    deadline: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    version: Mapped[int] = mapped_column(Integer, default=1)
    details: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)


class TaskTransition(db.Model):  # type: ignore[name-defined,misc]
    """One step of a task, with who, when (server and device), where, and the evidence referenced."""

    __tablename__ = "task_transitions"
    __table_args__ = (UniqueConstraint("task_id", "idempotency_key", name="uq_task_transitions_key"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int] = mapped_column(Integer)
    officers: Mapped[list[int]] = mapped_column(Json, default=list)
    reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    accuracy_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    device_time: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    server_time: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(Json, default=list)
    details: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    idempotency_key: Mapped[str | None] = mapped_column(String(128), nullable=True)
    request_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    response: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)


class Event(db.Model):  # type: ignore[name-defined,misc]
    """An event for live clients; its id is the cursor. team_id None: command center and auditors only."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_team_cursor", "team_id", "id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    team_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    payload: Mapped[dict[str, Any]] = mapped_column(Json)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    # Set by the notifier once pushed to live clients: the table is also the transactional outbox.
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True, index=True)

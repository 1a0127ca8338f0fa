"""Evidence files captured in the field, and partners' confirmations of two-officer steps."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.clock import now
from backend.extensions import db
from backend.models.types import BigId, UtcDateTime


class Evidence(db.Model):  # type: ignore[name-defined,misc]
    """A photo for a task: its bytes live in the evidence store under their SHA-256, computed on the
    phone when captured and recomputed by the server on upload; `client_id` makes the upload idempotent."""

    __tablename__ = "evidence"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    mime: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer)
    taken_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    accuracy_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    uploaded_by: Mapped[int] = mapped_column(Integer)
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)


class StepConfirmation(db.Model):  # type: ignore[name-defined,misc]
    """A partner officer confirming, on their own phone, a two-officer step recorded by a colleague."""

    __tablename__ = "step_confirmations"
    __table_args__ = (UniqueConstraint("transition_id", "officer_id", name="uq_step_confirmations_officer"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    transition_id: Mapped[int] = mapped_column(ForeignKey("task_transitions.id"), index=True)
    officer_id: Mapped[int] = mapped_column(Integer)
    server_time: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    device_time: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    accuracy_m: Mapped[float | None] = mapped_column(Float, nullable=True)

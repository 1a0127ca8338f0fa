"""Web Push subscriptions per user and device, and the push outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backend.clock import now
from backend.extensions import db
from backend.models.types import BigId, Json, UtcDateTime


class PushSubscription(db.Model):  # type: ignore[name-defined,misc]
    """A browser's push subscription (endpoint and keys) for one user on one device."""

    __tablename__ = "push_subscriptions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    endpoint: Mapped[str] = mapped_column(Text, unique=True)
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    device: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)


class PushMessage(db.Model):  # type: ignore[name-defined,misc]
    """One push to one subscription, retried with backoff until sent, gone (404/410) or given up."""

    __tablename__ = "push_outbox"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(BigId, index=True)
    event_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    topic: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(Json)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now, index=True)
    state: Mapped[str] = mapped_column(String(8), default="pending", index=True)
    last_error: Mapped[str | None] = mapped_column(String(300), nullable=True)

"""People and organisations: teams, users, refresh tokens, enterprises, source sites, scales, feeds."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.clock import now
from backend.extensions import db
from backend.models.types import BigId, UtcDateTime, geometry

ROLES = ("admin", "commander", "officer", "auditor")


class Team(db.Model):  # type: ignore[name-defined,misc]
    """An enforcement team (中队) holding one or more jurisdictions."""

    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))


class User(db.Model):  # type: ignore[name-defined,misc]
    """A person who logs in; officers belong to a team."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Off duty: no pushes (the officer still sees the team's tasks when the app is open).
    on_duty: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    team: Mapped[Team | None] = relationship()

    @property
    def team_name(self) -> str | None:
        """The name of the officer's team, if any."""
        return self.team.name if self.team else None


class RefreshToken(db.Model):  # type: ignore[name-defined,misc]
    """A refresh token, stored as its SHA-256 so a leaked table grants nothing."""

    __tablename__ = "refresh_tokens"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Enterprise(db.Model):  # type: ignore[name-defined,misc]
    """A source enterprise (源头单位): mine, quarry, coal washery, cement plant, logistics park."""

    __tablename__ = "enterprises"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32), default="other")


class SourceSite(db.Model):  # type: ignore[name-defined,misc]
    """A weigh house of an enterprise; it posts weighings with its own key."""

    __tablename__ = "source_sites"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    location: Mapped[Any] = mapped_column(geometry("POINT"))
    site_fence_id: Mapped[int | None] = mapped_column(ForeignKey("geofences.id"), nullable=True)
    tolerance_kg: Mapped[float] = mapped_column(Float, default=0.0)
    tolerance_pct: Mapped[float] = mapped_column(Float, default=0.0)
    api_key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    enterprise: Mapped[Enterprise] = relationship()


class Scale(db.Model):  # type: ignore[name-defined,misc]
    """A certified weighbridge at a source site."""

    __tablename__ = "scales"
    __table_args__ = (UniqueConstraint("site_id", "code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("source_sites.id"))
    code: Mapped[str] = mapped_column(String(64))
    certificate_no: Mapped[str | None] = mapped_column(String(64), nullable=True)
    certificate_expires: Mapped[date | None] = mapped_column(Date, nullable=True)
    device_class: Mapped[str] = mapped_column(String(16), default="static")


class Feed(db.Model):  # type: ignore[name-defined,misc]
    """A vehicle-position feed (provincial platform, JT/T 808 gateway) with its own key."""

    __tablename__ = "feeds"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    api_key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Vehicle(db.Model):  # type: ignore[name-defined,misc]
    """The vehicle registry: what is known of a truck beyond its plate."""

    __tablename__ = "vehicles"
    __table_args__ = (UniqueConstraint("plate", "plate_color"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plate: Mapped[str] = mapped_column(String(16))
    plate_color: Mapped[int] = mapped_column(Integer)
    axles: Mapped[int | None] = mapped_column(Integer, nullable=True)
    kind: Mapped[str | None] = mapped_column(String(16), nullable=True)
    single_drive_axle: Mapped[bool] = mapped_column(Boolean, default=False)
    licensed_gross_kg: Mapped[float | None] = mapped_column(Float, nullable=True)
    owner_enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), nullable=True)
    terminal_phone: Mapped[str | None] = mapped_column(String(20), nullable=True)

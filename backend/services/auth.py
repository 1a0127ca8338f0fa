"""Authentication: argon2 passwords, short-lived bearer tokens, rotating refresh tokens, API keys."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import bindparam, delete, func, select

from backend.clock import now
from backend.config import Settings
from backend.domain.errors import Unauthenticated
from backend.extensions import db
from backend.models import Feed, PushSubscription, RefreshToken, SourceSite, User
from backend.services import audit

_hasher = PasswordHasher()
# A hash to verify against when the user does not exist, so timing does not reveal usernames.
_DUMMY_HASH = _hasher.hash("not-a-password")
ALGORITHM = "HS256"


@dataclass(frozen=True)
class Principal:
    """Who is calling: a user with role and team."""

    user_id: int
    username: str
    role: str
    team_id: int | None


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher.hash(password)


def key_digest(key: str) -> str:
    """SHA-256 of an API key: keys are random and long, so a fast hash is enough and lookups are O(1)."""
    return hashlib.sha256(key.encode()).hexdigest()


def _settings() -> Settings:
    settings: Settings = current_app.config["ZHICHAO"]
    return settings


def _issue(user: User) -> dict[str, Any]:
    settings = _settings()
    issued = now()
    claims = {
        "sub": str(user.id), "usr": user.username, "role": user.role, "team": user.team_id,
        "iat": int(issued.timestamp()),
        "exp": int((issued + timedelta(minutes=settings.access_token_minutes)).timestamp()),
        "typ": "access",
    }
    access = jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)
    refresh = secrets.token_urlsafe(32)
    db.session.add(RefreshToken(
        user_id=user.id, token_hash=key_digest(refresh),
        expires_at=issued + timedelta(days=settings.refresh_token_days),
    ))
    return {
        "access_token": access, "refresh_token": refresh, "token_type": "Bearer",
        "expires_in": settings.access_token_minutes * 60,
        "user": {"id": user.id, "username": user.username, "role": user.role, "team_id": user.team_id,
                 "team_name": user.team_name, "display_name": user.display_name,
                 "on_duty": user.on_duty},
    }


def login(username: str, password: str) -> dict[str, Any]:
    """Check the password (argon2) and issue an access and a refresh token; one message for every failure."""
    user = db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        user = None
    if user is None or not user.active:
        raise Unauthenticated("wrong username or password")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    tokens = _issue(user)
    audit.append(user.username, "auth.login", "user", user.id, {})
    db.session.commit()
    return tokens


def refresh(token: str) -> dict[str, Any]:
    """Exchange a live refresh token for new tokens; the old one is revoked (rotation)."""
    row = db.session.execute(
        select(RefreshToken).where(RefreshToken.token_hash == key_digest(token))
    ).scalar_one_or_none()
    if row is None or row.revoked_at is not None or row.expires_at <= now():
        raise Unauthenticated("refresh token is invalid or expired")
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        raise Unauthenticated("refresh token is invalid or expired")
    row.revoked_at = now()
    tokens = _issue(user)
    db.session.commit()
    return tokens


def logout(token: str, push_endpoint: str | None = None) -> None:
    """Revoke a refresh token and drop this device's push subscription (idempotent)."""
    row = db.session.execute(
        select(RefreshToken).where(RefreshToken.token_hash == key_digest(token))
    ).scalar_one_or_none()
    if row is None:
        return
    if row.revoked_at is None:
        row.revoked_at = now()
    if push_endpoint:
        db.session.execute(delete(PushSubscription).where(PushSubscription.endpoint == push_endpoint,
                                                          PushSubscription.user_id == row.user_id))
    db.session.commit()


def principal_from_token(token: str) -> Principal:
    """Decode a bearer token; expired, forged or non-access tokens are refused."""
    try:
        claims = jwt.decode(token, _settings().secret_key, algorithms=[ALGORITHM],
                            options={"require": ["exp", "sub"]}, leeway=0)
    except jwt.ExpiredSignatureError as exc:
        raise Unauthenticated("token expired") from exc
    except jwt.PyJWTError as exc:
        raise Unauthenticated("invalid token") from exc
    if claims.get("typ") != "access":
        raise Unauthenticated("invalid token")
    if claims["exp"] <= now().timestamp():  # the app clock, not only the system clock, decides expiry
        raise Unauthenticated("token expired")
    return Principal(int(claims["sub"]), str(claims.get("usr", "")), str(claims["role"]), claims.get("team"))


@dataclass(frozen=True)
class SiteRef:
    """What a request needs of the source site that owns its key."""

    id: int
    code: str
    name: str
    tolerance_kg: float
    tolerance_pct: float
    lon: float
    lat: float


_SITE_BY_KEY = select(SourceSite.id, SourceSite.code, SourceSite.name, SourceSite.tolerance_kg,
                      SourceSite.tolerance_pct, func.ST_X(SourceSite.location), func.ST_Y(SourceSite.location)
                      ).where(SourceSite.api_key_hash == bindparam("digest"), SourceSite.active.is_(True))


def site_for_key(key: str | None) -> SiteRef:
    """The active source site owning this key (a plain row, not an ORM object: this runs per weighing)."""
    row = db.session.execute(_SITE_BY_KEY, {"digest": key_digest(key)}).first() if key else None
    if row is None:
        raise Unauthenticated("missing or wrong X-Api-Key")
    return SiteRef(int(row[0]), row[1], row[2], float(row[3]), float(row[4]), float(row[5]), float(row[6]))


def feed_for_key(key: str | None) -> Feed:
    """The active feed owning this key."""
    feed = None
    if key:
        feed = db.session.execute(select(Feed).where(Feed.api_key_hash == key_digest(key))).scalar_one_or_none()
    if feed is None or not feed.active:
        raise Unauthenticated("missing or wrong X-Api-Key")
    return feed

"""Administration: users and the keys of sites and feeds."""

from __future__ import annotations

from sqlalchemy import select

from backend.domain.errors import Conflict, Invalid, NotFound
from backend.extensions import db
from backend.models import ROLES, Feed, SourceSite, Team, User
from backend.services import audit
from backend.services.auth import hash_password, key_digest


def create_user(username: str, role: str, team_code: str | None, password: str) -> User:
    """A new user; officers must belong to a team, passwords are at least 8 characters."""
    if role not in ROLES:
        raise Invalid({"role": [f"one of {', '.join(ROLES)}"]})
    if len(password) < 8:
        raise Invalid({"password": ["at least 8 characters"]})
    if db.session.execute(select(User.id).where(User.username == username)).first():
        raise Conflict(f"user {username} exists")
    team = db.session.execute(select(Team).where(Team.code == team_code)).scalar_one_or_none() if team_code else None
    if role == "officer" and team is None:
        raise Invalid({"team": ["an officer needs an existing team code"]})
    user = User(username=username, role=role, team_id=team.id if team else None,
                password_hash=hash_password(password), display_name=username)
    db.session.add(user)
    db.session.flush()
    audit.append("cli", "user.created", "user", user.id, {"username": username, "role": role})
    db.session.commit()
    return user


def set_key(kind: str, code: str, key: str) -> None:
    """Replace the key of a site or feed (the old key stops working at once)."""
    row: SourceSite | Feed | None
    if kind == "site":
        row = db.session.execute(select(SourceSite).where(SourceSite.code == code)).scalar_one_or_none()
    else:
        row = db.session.execute(select(Feed).where(Feed.code == code)).scalar_one_or_none()
    if row is None:
        raise NotFound(f"no {kind} {code}")
    row.api_key_hash = key_digest(key)
    audit.append("cli", f"{kind}.key_rotated", kind, row.id, {"code": code})
    db.session.commit()

"""The caller's team: who is on it and who is on duty (the officer app's shift screen)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from backend.domain.errors import NotFound
from backend.extensions import db
from backend.models import Team, User
from backend.services.auth import Principal


def my_team(principal: Principal) -> dict[str, Any]:
    """The caller's team and its active officers (the partner for two-officer steps is chosen from them)."""
    team = db.session.get(Team, principal.team_id) if principal.team_id is not None else None
    if team is None:
        raise NotFound("you belong to no team")
    members = db.session.execute(select(User).where(
        User.team_id == team.id, User.role == "officer", User.active.is_(True)).order_by(User.id)).scalars()
    return {"id": team.id, "code": team.code, "name": team.name, "members": [
        {"id": u.id, "username": u.username, "display_name": u.display_name or u.username, "on_duty": u.on_duty,
         "me": u.id == principal.user_id} for u in members]}

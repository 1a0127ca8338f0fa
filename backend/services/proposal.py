"""Proposing a team and an interception point for a warning from live positions and the fence index."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from backend.clock import now
from backend.domain import proposal
from backend.extensions import db
from backend.models import OfficerPosition, Team, VehiclePosition, WarningRecord
from backend.services import matching

FRESH = timedelta(minutes=30)


def _truck(warning: WarningRecord) -> proposal.Truck:
    latest = db.session.get(VehiclePosition, (warning.plate, warning.plate_color))
    if latest is not None and latest.at >= warning.raised_at - timedelta(minutes=5):
        return proposal.Truck(latest.lon, latest.lat, latest.heading, latest.speed_kmh)
    return proposal.Truck(float(warning.lon or 0.0), float(warning.lat or 0.0))


def propose(warning: WarningRecord) -> dict[str, Any]:
    """Team and interception point for a warning, with distances and ETAs for the truck and each team.

    Rules (domain.proposal): the team holding the jurisdiction the truck is in, else the nearest team by
    its officers' positions of the last 30 minutes; the nearest checkpoint ahead of the truck, else a point
    10 minutes ahead on its heading.
    """
    index = matching.current_index()
    truck = _truck(warning)
    checkpoints = []
    for checkpoint in index.of_kind("checkpoint"):
        c = checkpoint.geometry.centroid
        checkpoints.append(proposal.Place(checkpoint.id, float(c.x), float(c.y)))
    point = proposal.intercept_point(truck, checkpoints)
    jurisdiction = int(index.locate([truck.lon], [truck.lat], "jurisdiction")[0])
    fence = index.get(jurisdiction) if jurisdiction >= 0 else None
    rows = db.session.execute(
        select(OfficerPosition.team_id, func.avg(OfficerPosition.lon), func.avg(OfficerPosition.lat))
        .where(OfficerPosition.at >= now() - FRESH, OfficerPosition.team_id.is_not(None))
        .group_by(OfficerPosition.team_id)).all()
    teams = [proposal.Place(int(t), float(x), float(y)) for t, x, y in rows]
    all_ids = list(db.session.execute(select(Team.id).order_by(Team.id)).scalars())
    ranked = proposal.rank_teams((point.lon, point.lat), teams, all_ids)
    team_id, reason = proposal.choose_team(fence.team_id if fence else None, ranked)
    return {"warning_id": warning.id, "team_id": team_id, "reason": reason,
            "jurisdiction_id": fence.id if fence else None,
            "truck": asdict(truck), "intercept": asdict(point), "teams": [asdict(o) for o in ranked]}

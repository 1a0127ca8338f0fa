"""Dispatch proposals: which team to send and where to intercept, with road-free distances and rough ETAs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from backend.domain.coords import bearing_deg, destination, distance_m

ROAD_FACTOR = 1.3  # roads are longer than the straight line; a rough, documented allowance
TEAM_SPEED_KMH = 60.0
DEFAULT_TRUCK_SPEED_KMH = 50.0


@dataclass(frozen=True)
class Place:
    """A point with an id: a team's last known position, or a checkpoint."""

    id: int
    lon: float
    lat: float


@dataclass(frozen=True)
class Truck:
    """Where the truck is and where it is heading."""

    lon: float
    lat: float
    heading: float | None = None
    speed_kmh: float | None = None


@dataclass(frozen=True)
class TeamOption:
    """A team with its distance and ETA to the interception point (None when its position is unknown)."""

    team_id: int
    distance_m: float | None
    eta_s: float | None


@dataclass(frozen=True)
class Intercept:
    """Where to stop the truck: a checkpoint ahead, or a point on its predicted track."""

    lon: float
    lat: float
    kind: str
    checkpoint_id: int | None
    truck_distance_m: float
    truck_eta_s: float


def eta_s(distance: float, speed_kmh: float) -> float:
    """Seconds to cover a straight-line distance by road at a speed (road factor applied)."""
    return distance * ROAD_FACTOR / (max(speed_kmh, 5.0) / 3.6)


def intercept_point(truck: Truck, checkpoints: Sequence[Place], *, max_angle: float = 45.0,
                    max_distance_m: float = 30_000.0, lookahead_s: float = 600.0) -> Intercept:
    """The nearest checkpoint within max_angle of the truck's heading and max_distance_m, else the point the
    truck reaches in lookahead_s on its heading, else (no heading) where it is now."""
    speed = truck.speed_kmh if truck.speed_kmh and truck.speed_kmh > 1 else DEFAULT_TRUCK_SPEED_KMH
    if truck.heading is not None:
        ahead = []
        for cp in checkpoints:
            d = distance_m(truck.lon, truck.lat, cp.lon, cp.lat)
            off = abs((bearing_deg(truck.lon, truck.lat, cp.lon, cp.lat) - truck.heading + 180) % 360 - 180)
            if d <= max_distance_m and off <= max_angle:
                ahead.append((d, cp))
        if ahead:
            d, cp = min(ahead, key=lambda item: item[0])
            return Intercept(cp.lon, cp.lat, "checkpoint", cp.id, d, eta_s(d, speed))
        d = speed / 3.6 * lookahead_s
        lon, lat = destination(truck.lon, truck.lat, truck.heading, d)
        return Intercept(lon, lat, "predicted", None, d, lookahead_s)
    return Intercept(truck.lon, truck.lat, "current", None, 0.0, 0.0)


def rank_teams(point: tuple[float, float], teams: Sequence[Place], all_team_ids: Sequence[int]) -> list[TeamOption]:
    """Every team, nearest first by straight-line distance to the point; teams without a position last."""
    known = {t.id: distance_m(t.lon, t.lat, point[0], point[1]) for t in teams}
    options = [TeamOption(tid, known.get(tid), eta_s(known[tid], TEAM_SPEED_KMH) if tid in known else None)
               for tid in all_team_ids]
    return sorted(options, key=lambda o: (o.distance_m is None, o.distance_m or 0.0, o.team_id))


def choose_team(jurisdiction_team: int | None, ranked: Sequence[TeamOption]) -> tuple[int | None, str]:
    """The jurisdiction's team first; otherwise the nearest team with a known position."""
    if jurisdiction_team is not None:
        return jurisdiction_team, "jurisdiction"
    for option in ranked:
        if option.distance_m is not None:
            return option.team_id, "nearest"
    return None, "none"

"""Dispatch proposals: checkpoint ahead, predicted point, team ranking and choice."""

from __future__ import annotations

import pytest

from backend.domain import coords
from backend.domain.proposal import Place, Truck, choose_team, eta_s, intercept_point, rank_teams

TRUCK_EAST = Truck(113.0, 37.8, heading=90.0, speed_kmh=60.0)


def test_nearest_checkpoint_ahead_wins():
    behind = Place(1, 112.9, 37.8)
    ahead_far = Place(2, 113.2, 37.8)
    ahead_near = Place(3, 113.1, 37.801)
    aside = Place(4, 113.0, 37.85)  # due north: 90 degrees off the heading
    point = intercept_point(TRUCK_EAST, [behind, ahead_far, ahead_near, aside])
    assert point.kind == "checkpoint" and point.checkpoint_id == 3
    assert point.truck_distance_m == pytest.approx(coords.distance_m(113.0, 37.8, 113.1, 37.801))
    assert point.truck_eta_s == pytest.approx(eta_s(point.truck_distance_m, 60.0))


def test_predicted_point_when_no_checkpoint_ahead():
    point = intercept_point(TRUCK_EAST, [Place(1, 112.9, 37.8), Place(2, 114.5, 37.8)])  # behind, too far
    assert point.kind == "predicted" and point.lon > 113.0 and point.lat == pytest.approx(37.8, abs=1e-3)
    assert coords.distance_m(113.0, 37.8, point.lon, point.lat) == pytest.approx(10_000, rel=1e-6)


def test_current_position_without_heading():
    point = intercept_point(Truck(113.0, 37.8), [Place(1, 113.1, 37.8)])
    assert (point.kind, point.lon, point.lat) == ("current", 113.0, 37.8)


def test_rank_and_choose():
    ranked = rank_teams((113.0, 37.8), [Place(2, 113.5, 37.8), Place(1, 113.1, 37.8)], [1, 2, 3])
    assert [o.team_id for o in ranked] == [1, 2, 3] and ranked[2].distance_m is None
    assert choose_team(2, ranked) == (2, "jurisdiction")
    assert choose_team(None, ranked) == (1, "nearest")
    assert choose_team(None, rank_teams((113.0, 37.8), [], [1])) == (None, "none")

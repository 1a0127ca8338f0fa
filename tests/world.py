"""A small, fixed test world: two teams, their jurisdictions, two sites, one feed, the users."""

from __future__ import annotations

from typing import Any

import shapely
from geoalchemy2 import WKBElement

from backend.extensions import db
from backend.models import Enterprise, Feed, SourceSite, Team, User, Vehicle
from backend.services import geofences
from backend.services.auth import hash_password, key_digest

PASSWORD = "pw-test-1"
SITE_KEYS = {"S1": "key-site-S1", "S2": "key-site-S2"}
FEED_KEY = "key-feed-1"
# West (T1) and East (T2) jurisdictions share the meridian 113.5 E.
WEST = [[113.0, 37.5], [113.5, 37.5], [113.5, 38.0], [113.0, 38.0], [113.0, 37.5]]
EAST = [[113.5, 37.5], [114.0, 37.5], [114.0, 38.0], [113.5, 38.0], [113.5, 37.5]]
USERS = (("admin", "admin", None), ("commander", "commander", None), ("officer1", "officer", "T1"),
         ("officer2", "officer", "T1"), ("officer3", "officer", "T2"), ("officer4", "officer", "T2"),
         ("auditor", "auditor", None))


def polygon_feature(ring: list[list[float]], **props: Any) -> dict[str, Any]:
    """A GeoJSON Feature with one polygon ring."""
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}, "properties": props}


def _point(lon: float, lat: float) -> WKBElement:
    return WKBElement(shapely.to_wkb(shapely.set_srid(shapely.Point(lon, lat), 4326), include_srid=True),
                      srid=4326, extended=True)


def build() -> dict[str, int]:
    """Create the world and commit it; returns ids by name."""
    ids: dict[str, int] = {}
    for code in ("T1", "T2"):
        team = Team(code=code, name=f"team {code}")
        db.session.add(team)
        db.session.flush()
        ids[code] = team.id
    pw = hash_password(PASSWORD)
    for username, role, team in USERS:
        db.session.add(User(username=username, role=role, team_id=ids.get(team) if team else None,
                            password_hash=pw, display_name=username))
    west = geofences.create(polygon_feature(WEST, name="West", kind="jurisdiction", team_id=ids["T1"]), "test",
                            commit=False)
    east = geofences.create(polygon_feature(EAST, name="East", kind="jurisdiction", team_id=ids["T2"]), "test",
                            commit=False)
    ids["west"], ids["east"] = west.id, east.id
    enterprise = Enterprise(code="E1", name="Test Coal Co.", kind="coal_washery")
    db.session.add(enterprise)
    for code, lon, tolerance_pct in (("S1", 113.2, 0.0), ("S2", 113.7, 2.0)):
        site = SourceSite(enterprise=enterprise, code=code, name=f"site {code}", location=_point(lon, 37.7),
                          tolerance_pct=tolerance_pct, api_key_hash=key_digest(SITE_KEYS[code]))
        db.session.add(site)
        db.session.flush()
        ids[code] = site.id
    db.session.add(Feed(code="feed-1", name="test feed", api_key_hash=key_digest(FEED_KEY)))
    db.session.add(Vehicle(plate="晋C00003", plate_color=2, axles=3, kind="combination"))
    db.session.commit()
    return ids

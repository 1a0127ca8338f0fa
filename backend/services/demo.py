"""Demo data: teams, users, the demo region's fences, source sites, a feed and a few known vehicles."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import shapely
from geoalchemy2 import WKBElement
from sqlalchemy import select

from backend.config import ROOT
from backend.extensions import db
from backend.models import Enterprise, Feed, Geofence, Scale, SourceSite, Team, User, Vehicle
from backend.services import audit, geofences
from backend.services.auth import hash_password, key_digest

DEMO_REGION = ROOT / "geofences" / "demo"
DEMO_PASSWORD = "demo"
TEAMS = (("T1", "治超一中队"), ("T2", "治超二中队"))
USERS = (
    ("admin", "admin", None, "系统管理员"), ("commander", "commander", None, "指挥中心值班员"),
    ("officer1", "officer", "T1", "张伟"), ("officer2", "officer", "T1", "李娜"),
    ("officer3", "officer", "T2", "王强"), ("officer4", "officer", "T2", "刘洋"),
    ("auditor", "auditor", None, "法制审核员"),
)
VEHICLES = (("晋C76276", 2, 6, "combination", False), ("晋C12345", 2, 3, "rigid", False),
            ("晋A88888", 2, 6, "combination", True), ("晋K55667", 2, 4, "rigid", False))


def site_key(code: str) -> str:
    """The demo key of a demo site (never used outside demo mode)."""
    return f"demo-site-{code}"


FEED_KEY = "demo-feed"


def _features(name: str) -> list[dict[str, Any]]:
    path = DEMO_REGION / name
    return list(json.loads(path.read_text(encoding="utf-8"))["features"])


def _with_team(feature: dict[str, Any], teams: dict[str, int]) -> dict[str, Any]:
    props = dict(feature["properties"])
    code = props.pop("team", None)
    props["team_id"] = teams.get(code) if code else None
    props.pop("gate", None)
    return {"type": "Feature", "geometry": feature["geometry"], "properties": props}


def seed(region: Path = DEMO_REGION) -> dict[str, int]:
    """Create the demo world once; running it again changes nothing (safe for every `make run`)."""
    if db.session.execute(select(User.id).where(User.username == "admin")).first():
        return {"created": 0}
    teams = {}
    for code, name in TEAMS:
        team = Team(code=code, name=name)
        db.session.add(team)
        db.session.flush()
        teams[code] = team.id
    for username, role, team_code, display in USERS:
        db.session.add(User(username=username, role=role, team_id=teams.get(team_code) if team_code else None,
                            display_name=display, password_hash=hash_password(DEMO_PASSWORD)))
    for name in ("jurisdictions.geojson", "checkpoints.geojson"):
        for feature in _features(name):
            geofences.create(_with_team(feature, teams), "demo", commit=False)
    for feature in _features("sites.geojson"):
        props = feature["properties"]
        enterprise = Enterprise(code=f"E-{props['code']}", name=props["enterprise"],
                                kind=props.get("enterprise_kind", "other"))
        db.session.add(enterprise)
        fence = geofences.create(_with_team(feature, teams), "demo", commit=False)
        gate = shapely.Point(props["gate"])
        site = SourceSite(
            enterprise=enterprise, code=props["code"], name=props["name"], site_fence_id=fence.id,
            location=WKBElement(shapely.to_wkb(shapely.set_srid(gate, 4326), include_srid=True),
                                srid=4326, extended=True),
            api_key_hash=key_digest(site_key(props["code"])),
        )
        db.session.add(site)
        db.session.flush()
        db.session.add(Scale(site_id=site.id, code=f"{props['code']}-SC1", certificate_no=f"JL-{site.id:04d}",
                             device_class="static"))
    db.session.add(Feed(code="demo-feed", name="演示北斗数据源", api_key_hash=key_digest(FEED_KEY)))
    for plate, color, axles, kind, single_drive in VEHICLES:
        db.session.add(Vehicle(plate=plate, plate_color=color, axles=axles, kind=kind,
                               single_drive_axle=single_drive))
    count = db.session.execute(select(Geofence.id)).all()
    audit.append("demo", "demo.seeded", "system", None, {"teams": len(teams), "fences": len(count)})
    db.session.commit()
    return {"created": 1, "fences": len(count)}

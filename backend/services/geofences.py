"""Geofence use cases: validated create, update and delete with version history and audit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import shapely
from geoalchemy2 import WKBElement
from marshmallow import ValidationError
from sqlalchemy import func, select

from backend.clock import now
from backend.domain.errors import Invalid, NotFound
from backend.domain.fence_geometry import FenceGeometryError, parse_fence_geometry, to_multipolygon
from backend.extensions import db
from backend.models import Geofence, GeofenceVersion, Team
from backend.schemas import field_errors
from backend.schemas.common import nul_errors
from backend.schemas.geofence import FenceFeatureSchema
from backend.services import audit, matching

_feature = FenceFeatureSchema()
_KNOWN = ("name", "kind", "team_id", "valid", "code")


def parse_feature(feature: Any, fence_id: int | None = None) -> tuple[dict[str, Any], shapely.MultiPolygon]:
    """Validate a GeoJSON Feature: properties by schema, geometry with explained errors, team exists."""
    if not isinstance(feature, dict):
        raise Invalid({"_schema": ["the body must be a GeoJSON Feature object"]})
    if nul := nul_errors(feature):
        raise Invalid(nul)
    try:
        data = _feature.load(feature)
    except ValidationError as exc:
        raise Invalid(field_errors(exc)) from exc
    try:
        geom = to_multipolygon(parse_fence_geometry(data["geometry"]))
    except FenceGeometryError as exc:
        raise Invalid({"geometry": list(exc.messages)}, "invalid geometry") from exc
    props = data["properties"]
    if props["team_id"] is not None and db.session.get(Team, props["team_id"]) is None:
        raise Invalid({"properties": {"team_id": [f"no team with id {props['team_id']}"]}})
    if props["kind"] == "jurisdiction" and props["team_id"] is None:
        raise Invalid({"properties": {"team_id": ["a jurisdiction must name the team that holds it"]}})
    if props["code"] and db.session.execute(
        select(Geofence.id).where(Geofence.code == props["code"], Geofence.deleted_at.is_(None),
                                  Geofence.id != (fence_id or 0))
    ).first():
        raise Invalid({"properties": {"code": [f"code '{props['code']}' is already used by another fence"]}})
    return props, geom


def _element(geom: shapely.MultiPolygon) -> WKBElement:
    return WKBElement(shapely.to_wkb(shapely.set_srid(geom, 4326), include_srid=True), srid=4326, extended=True)


def _snapshot(fence: Geofence, change: str, actor: str) -> None:
    db.session.add(GeofenceVersion(
        geofence_id=fence.id, version=fence.version, change=change, name=fence.name, kind=fence.kind,
        team_id=fence.team_id, valid=fence.valid, properties=fence.properties, geom=fence.geom,
        changed_by=actor, changed_at=now(),
    ))
    audit.append(actor, f"geofence.{change}", "geofence", fence.id, {
        "version": fence.version, "name": fence.name, "kind": fence.kind, "team_id": fence.team_id,
        "valid": fence.valid,
    })
    matching.bump_version()


def _apply(fence: Geofence, props: dict[str, Any], geom: shapely.MultiPolygon) -> None:
    fence.name, fence.kind, fence.team_id = props["name"], props["kind"], props["team_id"]
    fence.valid, fence.code = props["valid"], props["code"]
    fence.properties = {k: v for k, v in props.items() if k not in _KNOWN}
    fence.geom = _element(geom)


def create(feature: Any, actor: str, *, commit: bool = True) -> Geofence:
    """Create a fence from a Feature (version 1); every fence write raises the global fence version."""
    props, geom = parse_feature(feature)
    fence = Geofence(version=1, created_at=now(), updated_at=now())
    _apply(fence, props, geom)
    db.session.add(fence)
    db.session.flush()
    _snapshot(fence, "created", actor)
    if commit:
        db.session.commit()
    return fence


def live(fence_id: int) -> Geofence:
    """A fence that exists and is not deleted."""
    fence = db.session.get(Geofence, fence_id)
    if fence is None or fence.deleted_at is not None:
        raise NotFound(f"no geofence {fence_id}")
    return fence


def update(fence_id: int, feature: Any, actor: str) -> Geofence:
    """Replace a fence's geometry and properties; the previous version stays in the history."""
    fence = live(fence_id)
    props, geom = parse_feature(feature, fence_id)
    _apply(fence, props, geom)
    fence.version += 1
    fence.updated_at = now()
    _snapshot(fence, "updated", actor)
    db.session.commit()
    return fence


def delete(fence_id: int, actor: str) -> None:
    """Retire a fence: it leaves matching and lists but keeps its row and history."""
    fence = live(fence_id)
    fence.deleted_at = fence.updated_at = now()
    fence.version += 1
    _snapshot(fence, "deleted", actor)
    db.session.commit()


def query(kind: str | None = None, team_id: int | None = None, include_deleted: bool = False,
          bbox: list[float] | None = None) -> list[Geofence]:
    """Fences filtered by kind, team and bounding box (the database answers the spatial filter)."""
    stmt = select(Geofence).order_by(Geofence.id)
    if not include_deleted:
        stmt = stmt.where(Geofence.deleted_at.is_(None))
    if kind:
        stmt = stmt.where(Geofence.kind == kind)
    if team_id is not None:
        stmt = stmt.where(Geofence.team_id == team_id)
    if bbox:
        min_x, min_y, max_x, max_y = bbox
        if min_x >= max_x or min_y >= max_y:
            raise Invalid({"bbox": ["must be minLon,minLat,maxLon,maxLat with min < max"]})
        envelope = func.ST_GeomFromText(shapely.box(min_x, min_y, max_x, max_y).wkt, 4326)
        stmt = stmt.where(func.ST_Intersects(Geofence.geom, envelope))
    return list(db.session.execute(stmt).scalars())


def history(fence_id: int) -> list[GeofenceVersion]:
    """Every saved version of a fence, oldest first."""
    if db.session.get(Geofence, fence_id) is None:
        raise NotFound(f"no geofence {fence_id}")
    return list(db.session.execute(
        select(GeofenceVersion).where(GeofenceVersion.geofence_id == fence_id).order_by(GeofenceVersion.version)
    ).scalars())


def to_feature(fence: Geofence | GeofenceVersion, geometry: shapely.Geometry | None = None) -> dict[str, Any]:
    """A fence (or one of its versions) as a GeoJSON Feature."""
    from geoalchemy2.shape import to_shape

    geom = geometry if geometry is not None else to_shape(fence.geom)
    is_version = isinstance(fence, GeofenceVersion)
    props: dict[str, Any] = {
        **(fence.properties or {}), "name": fence.name, "kind": fence.kind, "team_id": fence.team_id,
        "valid": fence.valid, "version": fence.version,
    }
    if is_version:
        props.update(change=fence.change, changed_by=fence.changed_by, changed_at=fence.changed_at.isoformat())
    else:
        props.update(code=fence.code, updated_at=fence.updated_at.isoformat(),
                     deleted_at=fence.deleted_at.isoformat() if fence.deleted_at else None)
    return {"type": "Feature", "id": fence.geofence_id if is_version else fence.id,
            "geometry": shapely.geometry.mapping(geom), "properties": props}


def collection(fences: Iterable[Geofence | GeofenceVersion]) -> dict[str, Any]:
    """A FeatureCollection of fences."""
    return {"type": "FeatureCollection", "features": [to_feature(f) for f in fences]}

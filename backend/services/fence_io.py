"""Importing fence sets from GeoJSON FeatureCollections."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from backend.domain.errors import Invalid
from backend.extensions import db
from backend.models import Team
from backend.services import geofences


def import_collection(collection: Any, actor: str) -> int:
    """Create every Feature in one transaction: all or nothing, errors named by feature index.

    A "team" property may give a team code; it is resolved to team_id.
    """
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise Invalid({"_schema": ["expected a GeoJSON FeatureCollection"]})
    teams = {code: tid for code, tid in db.session.execute(select(Team.code, Team.id))}
    created = 0
    try:
        for i, feature in enumerate(collection.get("features") or []):
            props = dict(feature.get("properties") or {})
            code = props.pop("team", None)
            if code is not None:
                if code not in teams:
                    raise Invalid({f"features[{i}]": [f"unknown team code '{code}'"]})
                props["team_id"] = teams[code]
            try:
                geofences.create({"type": "Feature", "geometry": feature.get("geometry"), "properties": props},
                                 actor, commit=False)
            except Invalid as exc:
                raise Invalid({f"features[{i}]": exc.extra.get("errors", {})}) from exc
            created += 1
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return created

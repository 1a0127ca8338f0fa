"""Geofence endpoints: GeoJSON Features in and out, with version history."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from backend.api.security import BEARER, current_principal, roles_required
from backend.schemas.geofence import FenceFeatureSchema, FenceQuerySchema
from backend.services import geofences

blp = Blueprint("geofences", __name__, url_prefix="/api/v1/geofences",
                description="Jurisdictions, source sites, checkpoints and restricted areas (GeoJSON, WGS-84)")
READERS = ("commander", "officer", "auditor")
FEATURE_DOC = {"required": True, "content": {"application/geo+json": {"schema": FenceFeatureSchema},
                                             "application/json": {"schema": FenceFeatureSchema}}}


def _actor() -> str:
    return current_principal().username


@blp.route("")
class Geofences(MethodView):
    @blp.doc(security=BEARER)
    @roles_required(*READERS)
    @blp.arguments(FenceQuerySchema, location="query")
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """All live fences as a FeatureCollection, filtered by kind, team or bbox."""
        return geofences.collection(geofences.query(**args))

    @blp.doc(security=BEARER, requestBody=FEATURE_DOC)
    @roles_required("commander")
    @blp.alt_response(422, description="invalid properties or geometry, with the reason")
    def post(self) -> tuple[dict[str, Any], int]:
        """Create a fence from a GeoJSON Feature (Polygon or MultiPolygon, x = longitude)."""
        fence = geofences.create(request.get_json(silent=True), _actor())
        return geofences.to_feature(fence), 201


@blp.route("/<int:fence_id>")
class GeofenceById(MethodView):
    @blp.doc(security=BEARER)
    @roles_required(*READERS)
    def get(self, fence_id: int) -> dict[str, Any]:
        """One live fence as a Feature."""
        return geofences.to_feature(geofences.live(fence_id))

    @blp.doc(security=BEARER, requestBody=FEATURE_DOC)
    @roles_required("commander")
    def put(self, fence_id: int) -> dict[str, Any]:
        """Replace a fence; the previous version stays in its history."""
        return geofences.to_feature(geofences.update(fence_id, request.get_json(silent=True), _actor()))

    @blp.doc(security=BEARER)
    @roles_required("commander")
    @blp.response(204)
    def delete(self, fence_id: int) -> None:
        """Retire a fence (kept in the history, gone from matching)."""
        geofences.delete(fence_id, _actor())


@blp.route("/<int:fence_id>/versions")
class GeofenceVersions(MethodView):
    @blp.doc(security=BEARER)
    @roles_required(*READERS)
    def get(self, fence_id: int) -> dict[str, Any]:
        """Every version of a fence, oldest first, as a FeatureCollection."""
        return geofences.collection(geofences.history(fence_id))

"""Geofence API: GeoJSON in and out, explained validation errors, versions, matching follows changes."""

from __future__ import annotations

from backend.extensions import db
from backend.models import AuditEntry
from backend.services import matching
from tests import world

SMALL = [[113.10, 37.60], [113.12, 37.60], [113.12, 37.62], [113.10, 37.62], [113.10, 37.60]]


def feature(ring=SMALL, **props):
    base = {"name": "Yard", "kind": "restricted"}
    base.update(props)
    return world.polygon_feature(ring, **base)


def test_list_is_a_feature_collection(api, ids):
    body = api.as_user("officer1", "GET", "/api/v1/geofences").get_json()
    assert body["type"] == "FeatureCollection"
    names = {f["properties"]["name"]: f for f in body["features"]}
    assert names["West"]["properties"]["team_id"] == ids["T1"]
    assert names["West"]["geometry"]["type"] == "MultiPolygon"
    assert names["West"]["geometry"]["coordinates"][0][0][0] == [113.0, 37.5]  # x = longitude


def test_filters_by_kind_and_bbox(api):
    api.as_user("commander", "POST", "/api/v1/geofences", json=feature())
    only = api.as_user("commander", "GET", "/api/v1/geofences?kind=restricted").get_json()["features"]
    assert [f["properties"]["name"] for f in only] == ["Yard"]
    east = api.as_user("commander", "GET", "/api/v1/geofences?bbox=113.8,37.6,113.9,37.7").get_json()["features"]
    assert [f["properties"]["name"] for f in east] == ["East"]
    bad = api.as_user("commander", "GET", "/api/v1/geofences?bbox=1,2,3")
    assert bad.status_code == 422 and "bbox" in bad.get_json()["errors"]


def test_create_update_delete_with_history(api):
    created = api.as_user("commander", "POST", "/api/v1/geofences", json=feature())
    assert created.status_code == 201
    fid = created.get_json()["id"]
    moved = [[x + 0.01, y] for x, y in SMALL]
    r = api.as_user("commander", "PUT", f"/api/v1/geofences/{fid}", json=feature(moved, name="Yard 2"))
    assert r.status_code == 200 and r.get_json()["properties"]["version"] == 2
    assert api.as_user("commander", "DELETE", f"/api/v1/geofences/{fid}").status_code == 204
    assert api.as_user("commander", "GET", f"/api/v1/geofences/{fid}").status_code == 404
    versions = api.as_user("auditor", "GET", f"/api/v1/geofences/{fid}/versions").get_json()["features"]
    assert [(v["properties"]["version"], v["properties"]["change"]) for v in versions] == [
        (1, "created"), (2, "updated"), (3, "deleted")]
    assert versions[0]["geometry"]["coordinates"][0][0][0] == SMALL[0]
    actions = [a for (a,) in db.session.query(AuditEntry.action).filter(
        AuditEntry.entity == "geofence", AuditEntry.entity_id == str(fid)).order_by(AuditEntry.seq)]
    assert actions == ["geofence.created", "geofence.updated", "geofence.deleted"]


def test_matching_follows_fence_changes(api, ids):
    before = matching.current_index()
    assert before.locate([113.11], [37.61], "checkpoint")[0] == -1
    r = api.as_user("commander", "POST", "/api/v1/geofences", json=feature(kind="checkpoint", name="CP"))
    after = matching.current_index()
    assert after is not before
    assert after.locate([113.11], [37.61], "checkpoint")[0] == r.get_json()["id"]


def test_jurisdiction_needs_existing_team(api):
    r = api.as_user("commander", "POST", "/api/v1/geofences", json=feature(kind="jurisdiction"))
    assert r.status_code == 422 and "team_id" in r.get_json()["errors"]["properties"]
    r = api.as_user("commander", "POST", "/api/v1/geofences", json=feature(kind="jurisdiction", team_id=999))
    assert r.status_code == 422


def _geometry_errors(api, geometry):
    body = {"type": "Feature", "geometry": geometry, "properties": {"name": "bad", "kind": "restricted"}}
    r = api.as_user("commander", "POST", "/api/v1/geofences", json=body)
    assert r.status_code == 422, r.get_json()
    return " ".join(r.get_json()["errors"]["geometry"])


def test_invalid_geometries_explain_themselves(api):
    bowtie = [[113.1, 37.6], [113.2, 37.7], [113.2, 37.6], [113.1, 37.7], [113.1, 37.6]]
    assert "self-intersection" in _geometry_errors(api, {"type": "Polygon", "coordinates": [bowtie]}).lower()
    open_ring = SMALL[:-1]
    assert "closed" in _geometry_errors(api, {"type": "Polygon", "coordinates": [open_ring]})
    swapped = [[y, x] for x, y in SMALL]
    assert "latitude" in _geometry_errors(api, {"type": "Polygon", "coordinates": [[[37.6, 113.1], *swapped[1:]]]})
    assert "Point" in _geometry_errors(api, {"type": "Point", "coordinates": [113.1, 37.6]})
    huge = [[70.0, 10.0], [135.0, 10.0], [135.0, 55.0], [70.0, 55.0], [70.0, 10.0]]
    assert "too large" in _geometry_errors(api, {"type": "Polygon", "coordinates": [huge]})
    tiny = [[113.1, 37.6], [113.1000001, 37.6], [113.1000001, 37.6000001], [113.1, 37.6]]
    assert "too small" in _geometry_errors(api, {"type": "Polygon", "coordinates": [tiny]})


def test_feature_shape_errors(api):
    r = api.as_user("commander", "POST", "/api/v1/geofences", json={"type": "Feature"})
    errors = r.get_json()["errors"]
    assert r.status_code == 422 and "geometry" in errors and "properties" in errors
    r = api.as_user("commander", "POST", "/api/v1/geofences", json=feature(kind="lake"))
    assert r.status_code == 422 and "kind" in r.get_json()["errors"]["properties"]

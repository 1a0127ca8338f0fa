"""flask geofence import/export: a round trip, team codes resolved, a bad file rejected whole."""

from __future__ import annotations

import json

from backend.extensions import db
from backend.models import Geofence
from tests import world


def test_export_then_import_round_trip(app, tmp_path):
    runner = app.test_cli_runner()
    out = tmp_path / "fences.geojson"
    assert runner.invoke(args=["geofence", "export", str(out)]).exit_code == 0
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert {f["properties"]["name"] for f in exported["features"]} >= {"West", "East"}
    ring = [[113.2, 37.55], [113.25, 37.55], [113.25, 37.6], [113.2, 37.55]]
    feature = world.polygon_feature(ring, name="Imported", kind="jurisdiction", team="T2")
    src = tmp_path / "in.geojson"
    src.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
    result = runner.invoke(args=["geofence", "import", str(src)])
    assert result.exit_code == 0, result.output
    fence = db.session.query(Geofence).filter_by(name="Imported").one()
    assert fence.team_id == app.config["WORLD"]["T2"]


def test_bad_feature_rejects_the_whole_file(app, tmp_path):
    good = world.polygon_feature([[113.2, 37.55], [113.25, 37.55], [113.25, 37.6], [113.2, 37.55]],
                                 name="Good", kind="restricted")
    bad = world.polygon_feature([[113.2, 37.55], [113.25, 37.55]], name="Bad", kind="restricted")
    src = tmp_path / "in.geojson"
    src.write_text(json.dumps({"type": "FeatureCollection", "features": [good, bad]}), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["geofence", "import", str(src)])
    assert result.exit_code == 1 and "features[1]" in result.output
    assert db.session.query(Geofence).filter(Geofence.name.in_(["Good", "Bad"])).count() == 0

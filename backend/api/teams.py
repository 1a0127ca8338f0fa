"""Team and client settings for the apps: the caller's team, and the map tiles to use."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from backend.api.security import BEARER, current_principal, roles_required
from backend.domain import lifecycle
from backend.services import teams

blp = Blueprint("teams", __name__, url_prefix="/api/v1", description="Teams and client settings")

TILES = {
    "osm": {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "subdomains": "",
            "attribution": "© OpenStreetMap", "crs": "WGS-84"},
    # 天地图 serves WGS-84 (CGCS2000) tiles, so positions need no GCJ-02 shift; the key is a browser key.
    "tianditu": {"url": "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
                        "&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}"
                        "&TILECOL={x}&tk={key}", "subdomains": "01234567", "attribution": "© 天地图",
                 "crs": "WGS-84"},
}


@blp.route("/teams/mine")
class MyTeam(MethodView):
    @blp.doc(security=BEARER)
    @roles_required("officer", "commander")
    def get(self) -> dict[str, Any]:
        """The caller's team and its officers, with who is on duty."""
        return teams.my_team(current_principal())


@blp.route("/client-config")
class ClientConfig(MethodView):
    @blp.doc(security=BEARER)
    @roles_required("officer", "commander", "auditor", "admin")
    def get(self) -> dict[str, Any]:
        """What the apps need: the map tiles (OpenStreetMap, or 天地图 with its key), the time a dispatched
        task has to be accepted before it is re-notified and escalated, and the steps allowed from each state
        (so an app working offline knows what comes next)."""
        settings = current_app.config["ZHICHAO"]
        tiles = dict(TILES[settings.tiles])
        tiles["url"] = tiles["url"].replace("{key}", settings.tianditu_key or "")
        return {"tiles": tiles, "accept_within_s": settings.accept_within_s,
                "next": {state: lifecycle.allowed_next(state) for state in lifecycle.STATES}}

"""Static pages: the landing page, vendored front-end libraries, and the health check."""

from __future__ import annotations

import gzip
import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, abort, jsonify, request, send_from_directory
from sqlalchemy import text
from werkzeug.security import safe_join
from werkzeug.wrappers import Response

from backend.config import ROOT
from backend.extensions import db

PWA = ROOT / "pwa"
# Only these npm packages are served, and only their distributable folders.
VENDOR = {
    "swagger-ui": PWA / "node_modules" / "swagger-ui-dist",
    "leaflet": PWA / "node_modules" / "leaflet" / "dist",
    "socket.io": PWA / "node_modules" / "socket.io-client" / "dist",
}
APP = PWA / "app"
COMPRESSIBLE = (".js", ".css", ".html", ".json", ".webmanifest", ".map", ".svg")


@lru_cache(maxsize=256)
def _gzipped(path: str, mtime_ns: int) -> bytes:
    return gzip.compress(Path(path).read_bytes(), compresslevel=9, mtime=0)


def _send(folder: Path, filename: str, max_age: int) -> Response:
    """A static file, gzip-compressed (and cached compressed) when the client accepts it: on a weak mobile
    signal the officer app's scripts are a third of their size."""
    response = send_from_directory(folder, filename, max_age=max_age)
    path = safe_join(str(folder), filename)
    accepts = "gzip" in request.headers.get("Accept-Encoding", "")
    if path and response.status_code == 200 and filename.endswith(COMPRESSIBLE) and accepts:
        response.direct_passthrough = False
        response.set_data(_gzipped(path, Path(path).stat().st_mtime_ns))
        response.headers["Content-Encoding"] = "gzip"
        response.headers["Vary"] = "Accept-Encoding"
    return response


def shell_version() -> str:
    """A hash of the officer app's files and the pinned libraries: the service worker's cache version."""
    digest = hashlib.sha256()
    for path in [*sorted(APP.rglob("*")), PWA / "package-lock.json"]:
        if path.is_file() and path.name != "sw.js":
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def register_web(app: Flask) -> None:
    """Routes outside the API: /, /vendor/<pkg>/<file>, /healthz."""
    app.config.setdefault("OPENAPI_SWAGGER_UI_CONFIG", {"persistAuthorization": True, "tryItOutEnabled": True})

    @app.get("/")
    def index() -> Response:
        return send_from_directory(PWA, "index.html")

    @app.get("/app/")
    def officer_app() -> Response:
        return _send(APP, "index.html", max_age=0)

    @app.get("/app/sw.js")
    def service_worker() -> Response:
        script = (APP / "sw.js").read_text(encoding="utf-8").replace("__SHELL_VERSION__", shell_version())
        return Response(script, mimetype="text/javascript", headers={
            "Service-Worker-Allowed": "/app/", "Cache-Control": "no-cache"})

    @app.get("/app/<path:filename>")
    def officer_app_files(filename: str) -> Response:
        response = _send(APP, filename, max_age=0)
        if filename.endswith(".webmanifest"):
            response.mimetype = "application/manifest+json"
        return response

    @app.get("/static/<path:filename>")
    def static_files(filename: str) -> Response:
        return send_from_directory(PWA / "static", filename)

    @app.get("/vendor/<package>/<path:filename>")
    def vendor(package: str, filename: str) -> Response:
        folder: Path | None = VENDOR.get(package)
        if folder is None or not folder.is_dir():
            abort(404)
        return _send(folder, filename, max_age=86400)

    @app.get("/healthz")
    def healthz() -> tuple[Response, int]:
        db.session.execute(text("SELECT 1"))
        return jsonify(status="ok", database=db.engine.dialect.name), 200

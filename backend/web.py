"""Static pages: the landing page, vendored front-end libraries, and the health check."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, abort, jsonify, send_from_directory
from sqlalchemy import text
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


def register_web(app: Flask) -> None:
    """Routes outside the API: /, /vendor/<pkg>/<file>, /healthz."""
    app.config.setdefault("OPENAPI_SWAGGER_UI_CONFIG", {"persistAuthorization": True, "tryItOutEnabled": True})

    @app.get("/")
    def index() -> Response:
        return send_from_directory(PWA, "index.html")

    @app.get("/app/")
    def officer_app() -> Response:
        return send_from_directory(APP, "index.html", max_age=0)

    @app.get("/app/<path:filename>")
    def officer_app_files(filename: str) -> Response:
        response = send_from_directory(APP, filename, max_age=0)
        if filename == "sw.js":
            response.headers["Service-Worker-Allowed"] = "/app/"
            response.headers["Cache-Control"] = "no-cache"
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
        response = send_from_directory(folder, filename, max_age=86400)
        return response

    @app.get("/healthz")
    def healthz() -> tuple[Response, int]:
        db.session.execute(text("SELECT 1"))
        return jsonify(status="ok", database=db.engine.dialect.name), 200

"""Static serving for the apps: gzip for scripts and styles, the service worker stamped with the shell's hash."""

from __future__ import annotations

import gzip
import re

from backend import web


def test_scripts_are_gzipped_when_accepted(client):
    plain = client.get("/app/main.js")
    zipped = client.get("/app/main.js", headers={"Accept-Encoding": "gzip, deflate"})
    assert plain.status_code == zipped.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip" and zipped.headers["Vary"] == "Accept-Encoding"
    assert gzip.decompress(zipped.data) == plain.data and len(zipped.data) < len(plain.data)
    vendor = client.get("/vendor/leaflet/leaflet.js", headers={"Accept-Encoding": "gzip"})
    assert vendor.headers["Content-Encoding"] == "gzip" and len(vendor.data) < 60_000
    icon = client.get("/app/icons/icon-192.png", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in icon.headers  # images are compressed already
    assert client.get("/app/nothing.js", headers={"Accept-Encoding": "gzip"}).status_code == 404


def test_service_worker_carries_the_shell_version(client):
    r = client.get("/app/sw.js")
    assert r.status_code == 200 and r.headers["Service-Worker-Allowed"] == "/app/"
    assert r.headers["Cache-Control"] == "no-cache"
    version = re.search(r'const VERSION = "zhichao-app-([0-9a-f]{16})"', r.get_data(as_text=True)).group(1)
    assert version == web.shell_version()


def test_shell_version_follows_the_files(tmp_path, monkeypatch):
    (tmp_path / "main.js").write_text("one")
    monkeypatch.setattr(web, "APP", tmp_path)
    first = web.shell_version()
    (tmp_path / "main.js").write_text("two")
    assert web.shell_version() != first

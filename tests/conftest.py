"""Fixtures: the app on real SpatiaLite and real PostGIS, each test rolled back, clients and tokens."""

from __future__ import annotations

import hashlib
import io
import os
import tempfile

# Keys and secrets the app creates on first start go to a scratch instance/, not the developer's.
os.environ.setdefault("ZHICHAO_INSTANCE", tempfile.mkdtemp(prefix="zhichao-test-instance-"))
import uuid
from collections.abc import Iterator
from typing import Any

import flask_migrate
import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient

from backend import create_app
from backend.config import Settings
from backend.extensions import db
from tests import world

PG_ADMIN = os.environ.get("ZHICHAO_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
BACKENDS = ("spatialite", "postgis")


def _pg_database() -> tuple[str, str]:
    name = f"zhichao_test_{uuid.uuid4().hex[:8]}"
    # No skip: a missing PostGIS must fail the run (CI relies on it).
    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def _drop_pg(name: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_app(url: str) -> Flask:
    """An app on this database, migrated to head."""
    settings = Settings(database_url=url, secret_key="test-secret-key-that-is-long-enough-0123456789", demo=True)
    app = create_app({"TESTING": True}, settings)
    with app.app_context():
        flask_migrate.upgrade()
    return app


@pytest.fixture(scope="session", params=BACKENDS)
def backend_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def app(backend_name: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    pg_name = None
    if backend_name == "postgis":
        pg_name, url = _pg_database()
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    application = make_app(url)
    with application.app_context():
        application.config["WORLD"] = world.build()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()
    if pg_name:
        _drop_pg(pg_name)


@pytest.fixture()
def ids(app: Flask) -> dict[str, int]:
    return dict(app.config["WORLD"])


@pytest.fixture(autouse=True)
def _rollback(request: pytest.FixtureRequest) -> Iterator[None]:
    """Run each database test inside a transaction that is rolled back; services' commits are savepoints."""
    if "app" not in request.fixturenames:
        yield
        return
    application: Flask = request.getfixturevalue("app")
    with application.app_context():
        engines = db._app_engines[application]
        engine = engines[None]
        conn = engine.connect()
        trans = conn.begin()
        engines[None] = conn  # type: ignore[assignment]
        db.session.remove()
        db.session.configure(join_transaction_mode="create_savepoint")
        try:
            yield
        finally:
            db.session.remove()
            engines[None] = engine
            trans.rollback()
            conn.close()


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class Api:
    """A tiny client that logs in once per user and sends JSON."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self._tokens: dict[str, str] = {}

    def token(self, username: str) -> str:
        if username not in self._tokens:
            r = self.client.post("/api/v1/auth/login", json={"username": username, "password": world.PASSWORD})
            assert r.status_code == 200, r.get_json()
            self._tokens[username] = r.get_json()["access_token"]
        return self._tokens[username]

    def as_user(self, username: str, method: str, url: str, **kwargs: Any) -> Any:
        headers = {**kwargs.pop("headers", {}), "Authorization": f"Bearer {self.token(username)}"}
        return self.client.open(url, method=method, headers=headers, **kwargs)

    def site(self, code: str, body: Any, **kwargs: Any) -> Any:
        return self.client.post("/api/v1/weighings", json=body, headers={"X-Api-Key": world.SITE_KEYS[code]},
                                **kwargs)

    def fixes(self, items: Any) -> Any:
        return self.client.post("/api/v1/fixes", json=items, headers={"X-Api-Key": world.FEED_KEY})

    def photo(self, username: str, task_id: int, kind: str = "plate", data: bytes | None = None,
              **fields: Any) -> Any:
        """Upload a photo as the officer app does: multipart, its SHA-256 and a client-generated id."""
        data = data if data is not None else jpeg()
        form = {"id": uuid.uuid4().hex, "kind": kind, "sha256": hashlib.sha256(data).hexdigest(),
                "taken_at": "2026-11-22T08:31:00+08:00", "lon": "113.21", "lat": "37.71", "accuracy_m": "6",
                **fields}
        form = {k: v for k, v in form.items() if v is not None}
        return self.as_user(username, "POST", f"/api/v1/tasks/{task_id}/evidence",
                            data={**form, "file": (io.BytesIO(data), "photo.jpg", "image/jpeg")},
                            content_type="multipart/form-data")


def jpeg(size: int = 2048) -> bytes:
    """Bytes that start like a JPEG (what the server sniffs), different on every call."""
    return b"\xff\xd8\xff\xe0" + os.urandom(size)


@pytest.fixture()
def api(client: FlaskClient) -> Api:
    return Api(client)

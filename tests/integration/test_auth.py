"""Login, tokens, refresh rotation and role checks against the real databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from backend import clock
from tests import world


def test_login_returns_contract_shape(api):
    r = api.client.post("/api/v1/auth/login", json={"username": "officer1", "password": world.PASSWORD})
    assert r.status_code == 200
    body = r.get_json()
    assert set(body) >= {"access_token", "refresh_token", "user"}
    assert body["user"]["username"] == "officer1" and body["user"]["role"] == "officer"
    assert body["user"]["team_id"] is not None and body["user"]["team_name"] == "team T1"


@pytest.mark.parametrize("username,password", [("officer1", "wrong"), ("nobody", world.PASSWORD)])
def test_wrong_credentials_get_one_message(api, username, password):
    r = api.client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert r.status_code == 401
    assert r.get_json() == {"error": "wrong username or password"}


def test_login_validates_fields(api):
    r = api.client.post("/api/v1/auth/login", json={"username": ""})
    assert r.status_code == 422
    errors = r.get_json()["errors"]
    assert "password" in errors and "username" in errors


def test_password_is_stored_as_argon2(app):
    from backend.extensions import db
    from backend.models import User

    with app.app_context():
        user = db.session.query(User).filter_by(username="officer1").one()
        assert user.password_hash.startswith("$argon2id$")


def test_refresh_rotates_and_old_token_dies(api):
    first = api.client.post("/api/v1/auth/login", json={"username": "commander", "password": world.PASSWORD})
    refresh = first.get_json()["refresh_token"]
    second = api.client.post("/api/v1/auth/refresh", json={"refresh_token": refresh})
    assert second.status_code == 200
    assert second.get_json()["refresh_token"] != refresh
    again = api.client.post("/api/v1/auth/refresh", json={"refresh_token": refresh})
    assert again.status_code == 401


def test_logout_revokes_refresh_token(api):
    tokens = api.client.post("/api/v1/auth/login", json={"username": "auditor", "password": world.PASSWORD})
    refresh = tokens.get_json()["refresh_token"]
    assert api.client.post("/api/v1/auth/logout", json={"refresh_token": refresh}).status_code == 204
    assert api.client.post("/api/v1/auth/refresh", json={"refresh_token": refresh}).status_code == 401


def test_me_needs_a_valid_token(api):
    assert api.client.get("/api/v1/auth/me").status_code == 401
    r = api.client.get("/api/v1/auth/me", headers={"Authorization": "Bearer not.a.token"})
    assert r.status_code == 401 and r.get_json()["error"] == "invalid token"
    assert api.as_user("officer3", "GET", "/api/v1/auth/me").get_json()["username"] == "officer3"


def test_expired_token_is_refused(api):
    token = api.token("officer1")
    clock.set_source(lambda: datetime.now(UTC) + timedelta(hours=2))
    try:
        r = api.client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    finally:
        clock.set_source(None)
    assert r.status_code == 401 and r.get_json()["error"] == "token expired"


def test_role_checks_on_fence_writes(api):
    feature = world.polygon_feature([[113.1, 37.6], [113.2, 37.6], [113.2, 37.7], [113.1, 37.6]],
                                    name="x", kind="restricted")
    for user in ("officer1", "auditor"):
        r = api.as_user(user, "POST", "/api/v1/geofences", json=feature)
        assert r.status_code == 403, user
    assert api.as_user("commander", "POST", "/api/v1/geofences", json=feature).status_code == 201

"""Web Push end to end against a local push service that checks VAPID and decrypts the aes128gcm payload."""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from backend.extensions import db
from backend.models import PushMessage, PushSubscription
from backend.services import push


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class PushService:
    """A push service on 127.0.0.1: verifies the VAPID JWT against the app's key, decrypts with the device key."""

    def __init__(self, status: int = 201):
        self.status, self.received, self.errors = status, [], []
        self.device_key = ec.generate_private_key(ec.SECP256R1())
        self.auth = b"0123456789abcdef"
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                try:
                    service.check(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                except Exception as exc:  # recorded, and answered 400 like a real service would
                    service.errors.append(repr(exc))
                    self.send_response(400)
                else:
                    self.send_response(service.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}/push/device-1"

    def subscription(self):
        public = self.device_key.public_key().public_bytes(serialization.Encoding.X962,
                                                           serialization.PublicFormat.UncompressedPoint)
        return {"endpoint": self.endpoint, "keys": {"p256dh": b64(public), "auth": b64(self.auth)}}

    def check(self, path, headers, body):
        scheme, _, rest = headers["authorization"].partition(" ")
        assert scheme == "vapid"
        parts = dict(p.strip().split("=", 1) for p in rest.split(","))
        app_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(parts["k"]))
        assert parts["k"] == push.public_key()
        claims = jwt.decode(parts["t"], app_key, algorithms=["ES256"], audience=self.endpoint.split("/push")[0])
        assert claims["sub"].startswith("mailto:")
        assert headers["content-encoding"] == "aes128gcm" and headers["urgency"] == "high"
        assert headers["topic"].startswith("task-") and int(headers["ttl"]) > 0
        plain = http_ece.decrypt(body, private_key=self.device_key, auth_secret=self.auth, version="aes128gcm")
        self.received.append(json.loads(plain))


@pytest.fixture()
def service():
    svc = PushService()
    yield svc
    svc.server.shutdown()


def _subscribe(api, user, svc):
    r = api.as_user(user, "POST", "/api/v1/push/subscriptions", json=svc.subscription())
    assert r.status_code == 204, r.get_json()


def _dispatch(api, record_id="PUSH-1"):
    body = {"record_id": record_id, "plate": "晋C76276", "plate_color": 2, "axles": 2, "gross_kg": 25_000,
            "weighed_at": "2026-11-22T08:00:00+08:00"}
    warning_id = api.site("S1", body).get_json()["warning_id"]
    return api.as_user("commander", "POST", "/api/v1/tasks", json={"warning_id": warning_id}).get_json()


def _drain(app):
    from backend.realtime.notifier import Notifier

    Notifier(app).drain()
    return push.send_due()


def test_key_and_subscription_validation(api):
    key = api.as_user("officer1", "GET", "/api/v1/push/key").get_json()["public_key"]
    assert len(unb64(key)) == 65 and unb64(key)[0] == 4
    bad = api.as_user("officer1", "POST", "/api/v1/push/subscriptions", json={"endpoint": "nope", "keys": {}})
    assert bad.status_code == 422 and "endpoint" in bad.get_json()["errors"]


def test_task_push_is_signed_encrypted_and_small(app, api, service):
    _subscribe(api, "officer1", service)
    task = _dispatch(api)
    assert _drain(app) == 1
    assert service.errors == []
    assert service.received == [{"type": "task.created", "task_id": task["id"], "title": task["details"]["title"]}]
    assert db.session.query(PushMessage).one().state == "sent"


def test_other_team_gets_no_push(app, api, service):
    _subscribe(api, "officer3", service)
    _dispatch(api, "PUSH-2")
    _drain(app)
    assert service.received == [] and db.session.query(PushMessage).count() == 0


def test_gone_subscription_is_dropped(app, api, service):
    service.status = 410
    _subscribe(api, "officer1", service)
    _dispatch(api, "PUSH-3")
    _drain(app)
    assert db.session.query(PushSubscription).count() == 0
    assert db.session.query(PushMessage).one().state == "gone"


def test_failing_service_backs_off_and_unsubscribe(app, api, service):
    service.status = 500
    _subscribe(api, "officer1", service)
    _dispatch(api, "PUSH-4")
    _drain(app)
    message = db.session.query(PushMessage).one()
    assert message.state == "pending" and message.attempts == 1 and message.last_error.startswith("500")
    assert push.send_due() == 0  # not due again until the backoff passes
    r = api.as_user("officer1", "DELETE", "/api/v1/push/subscriptions", json={"endpoint": service.endpoint})
    assert r.status_code == 204 and db.session.query(PushSubscription).count() == 0


def test_logout_drops_this_devices_subscription(api, service):
    from tests import world

    _subscribe(api, "officer1", service)
    tokens = api.client.post("/api/v1/auth/login", json={"username": "officer1", "password": world.PASSWORD})
    r = api.client.post("/api/v1/auth/logout", json={"refresh_token": tokens.get_json()["refresh_token"],
                                                     "push_endpoint": service.endpoint})
    assert r.status_code == 204 and db.session.query(PushSubscription).count() == 0


def test_a_hanging_push_service_times_out_and_is_retried(app, api, service, monkeypatch):
    import time

    original = PushService.check
    monkeypatch.setattr(PushService, "check", lambda self, *a: (time.sleep(3), original(self, *a)))
    _subscribe(api, "officer1", service)
    _dispatch(api, "PUSH-5")
    from backend.realtime.notifier import Notifier

    Notifier(app).drain()
    started = time.monotonic()
    push.send_due(timeout_s=0.5)
    assert time.monotonic() - started < 2.5  # the request gave up; it did not wait for the service
    message = db.session.query(PushMessage).one()
    assert message.state == "pending" and message.attempts == 1 and "timed out" in message.last_error.lower()


def test_off_duty_officers_get_no_push(app, api, service):
    _subscribe(api, "officer1", service)
    r = api.as_user("officer1", "PUT", "/api/v1/push/duty", json={"on_duty": False})
    assert r.status_code == 200 and r.get_json() == {"on_duty": False}
    _dispatch(api, "PUSH-6")
    _drain(app)
    assert service.received == [] and db.session.query(PushMessage).count() == 0
    assert api.as_user("officer1", "PUT", "/api/v1/push/duty", json={"on_duty": "maybe"}).status_code == 422
    assert api.as_user("commander", "PUT", "/api/v1/push/duty", json={"on_duty": True}).status_code == 403
    api.as_user("officer1", "PUT", "/api/v1/push/duty", json={"on_duty": True})
    _dispatch(api, "PUSH-7")
    _drain(app)
    assert len(service.received) == 1

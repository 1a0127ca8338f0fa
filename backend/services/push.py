"""Web Push: VAPID keys kept in instance/, subscriptions per device, an outbox sent by a worker thread."""

from __future__ import annotations

import base64
import json
import logging
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid
from pywebpush import WebPushException, webpush
from sqlalchemy import delete, insert, select

from backend.clock import now
from backend.config import INSTANCE
from backend.domain.errors import Invalid
from backend.extensions import db
from backend.models import PushMessage, PushSubscription, User
from backend.services.auth import Principal

log = logging.getLogger(__name__)
PUSHED_KINDS = ("task.created", "task.renotified")
MAX_ATTEMPTS = 6
TTL_S = 600
_key_lock = threading.Lock()


def vapid(instance: Path = INSTANCE) -> Vapid:
    """The VAPID key pair, generated on first use and kept in instance/vapid_private.pem."""
    path = instance / "vapid_private.pem"
    with _key_lock:
        if not path.exists():
            instance.mkdir(parents=True, exist_ok=True)
            key = Vapid()
            key.generate_keys()
            key.save_key(str(path))
            path.chmod(0o600)
        return Vapid.from_file(str(path))


def public_key(instance: Path = INSTANCE) -> str:
    """The application server key browsers subscribe with (base64url, uncompressed P-256 point)."""
    raw = vapid(instance).public_key.public_bytes(serialization.Encoding.X962,
                                                 serialization.PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def subscribe(principal: Principal, endpoint: str, p256dh: str, auth: str, device: str | None) -> None:
    """Store (or move to this user) a device's subscription; the endpoint is the identity."""
    if not endpoint.startswith(("https://", "http://")):
        raise Invalid({"endpoint": ["must be an http(s) URL"]})
    existing = db.session.execute(
        select(PushSubscription).where(PushSubscription.endpoint == endpoint)).scalar_one_or_none()
    if existing is None:
        db.session.add(PushSubscription(user_id=principal.user_id, endpoint=endpoint, p256dh=p256dh, auth=auth,
                                        device=device))
    else:
        existing.user_id, existing.p256dh, existing.auth, existing.device = principal.user_id, p256dh, auth, device
    db.session.commit()


def unsubscribe(principal: Principal, endpoint: str) -> None:
    """Forget this device's subscription (on logout, or when the browser drops it); idempotent."""
    db.session.execute(delete(PushSubscription).where(PushSubscription.endpoint == endpoint,
                                                      PushSubscription.user_id == principal.user_id))
    db.session.commit()


def enqueue_for_event(event_id: int, kind: str, team_id: int | None, payload: dict[str, Any]) -> int:
    """Queue a small push (ids and a title; the app fetches the rest) to every device of the team's
    officers who are on duty."""
    if kind not in PUSHED_KINDS or team_id is None:
        return 0
    subs = db.session.execute(
        select(PushSubscription.id).join(User, User.id == PushSubscription.user_id)
        .where(User.team_id == team_id, User.role == "officer", User.active.is_(True),
               User.on_duty.is_(True))).scalars().all()
    body = {"type": kind, "task_id": payload.get("id"), "title": (payload.get("details") or {}).get("title", "")}
    rows = [{"subscription_id": s, "event_id": event_id, "topic": f"task-{payload.get('id')}"[:32],
             "payload": body, "attempts": 0, "next_attempt_at": now(), "state": "pending"} for s in subs]
    if rows:
        db.session.execute(insert(PushMessage), rows)
    return len(rows)


def send_due(limit: int = 50, timeout_s: float = 5.0) -> int:
    """Send the pushes that are due; 404/410 drop the subscription, other failures back off exponentially."""
    due = db.session.execute(
        select(PushMessage).where(PushMessage.state == "pending", PushMessage.next_attempt_at <= now())
        .order_by(PushMessage.id).limit(limit).with_for_update(skip_locked=True)).scalars().all()
    key = vapid() if due else None
    for message in due:
        sub = db.session.get(PushSubscription, message.subscription_id)
        if sub is None:
            message.state = "dropped"
            continue
        try:
            webpush({"endpoint": sub.endpoint, "keys": {"p256dh": sub.p256dh, "auth": sub.auth}},
                    json.dumps(message.payload, ensure_ascii=False), vapid_private_key=key,
                    vapid_claims={"sub": "mailto:ops@zhichao.invalid"},  # a fresh dict: pywebpush mutates it
                    ttl=TTL_S, timeout=timeout_s, headers={"Urgency": "high", "Topic": message.topic})
            message.state = "sent"
        except WebPushException as exc:
            status = exc.response.status_code if exc.response is not None else None
            if status in (404, 410):
                message.state = "gone"
                db.session.delete(sub)
            else:
                _retry(message, f"{status}: {exc}")
        except Exception as exc:  # timeouts and refused connections: retry later, never block others
            _retry(message, str(exc))
        message.attempts += 1
    db.session.commit()
    return len(due)


def _retry(message: PushMessage, error: str) -> None:
    message.last_error = error[:300]
    if message.attempts + 1 >= MAX_ATTEMPTS:
        message.state = "failed"
    else:
        message.next_attempt_at = now() + timedelta(seconds=2 ** (message.attempts + 1))


def set_duty(principal: Principal, on_duty: bool) -> dict[str, Any]:
    """Go on or off duty (off duty: no pushes); audited, since it decides who is reachable."""
    user = db.session.get(User, principal.user_id)
    if user is None:
        raise Invalid({"user": ["unknown user"]})
    if user.on_duty != on_duty:
        user.on_duty = on_duty
        from backend.services import audit

        audit.append(user.username, "user.on_duty" if on_duty else "user.off_duty", "user", user.id, {})
    db.session.commit()
    return {"on_duty": user.on_duty}

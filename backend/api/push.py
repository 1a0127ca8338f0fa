"""Web Push endpoints: the VAPID public key, and subscribing or unsubscribing a device."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE, Schema, fields, validate

from backend.api.security import BEARER, current_principal, roles_required
from backend.services import push

blp = Blueprint("push", __name__, url_prefix="/api/v1/push", description="Web Push subscriptions")


class KeysSchema(Schema):
    """The subscription's encryption keys, as the browser gives them."""

    class Meta:
        unknown = RAISE

    p256dh = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9_-]{80,100}$"))
    auth = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9_-]{16,32}$"))


class SubscriptionSchema(Schema):
    """PushSubscription.toJSON() plus an optional device label."""

    class Meta:
        unknown = RAISE

    endpoint = fields.Url(required=True, require_tld=False, validate=validate.Length(max=2000))
    keys = fields.Nested(KeysSchema, required=True)
    expirationTime = fields.Raw(allow_none=True)
    device = fields.String(validate=validate.Length(max=200), load_default=None)


class EndpointSchema(Schema):
    """Which subscription to forget."""

    endpoint = fields.Url(required=True, require_tld=False)


@blp.route("/key")
class Key(MethodView):
    @blp.doc(security=BEARER)
    @roles_required("commander", "officer", "auditor")
    def get(self) -> dict[str, Any]:
        """The VAPID application server key for PushManager.subscribe()."""
        return {"public_key": push.public_key()}


@blp.route("/subscriptions")
class Subscriptions(MethodView):
    @blp.doc(security=BEARER)
    @roles_required("commander", "officer")
    @blp.arguments(SubscriptionSchema)
    @blp.response(204)
    def post(self, body: dict[str, Any]) -> None:
        """Subscribe this device (idempotent: the endpoint identifies it)."""
        push.subscribe(current_principal(), body["endpoint"], body["keys"]["p256dh"], body["keys"]["auth"],
                       body.get("device"))

    @blp.doc(security=BEARER)
    @roles_required("commander", "officer")
    @blp.arguments(EndpointSchema)
    @blp.response(204)
    def delete(self, body: dict[str, Any]) -> None:
        """Unsubscribe this device (on logout, or when the browser replaced the subscription)."""
        push.unsubscribe(current_principal(), body["endpoint"])


class DutySchema(Schema):
    """On or off duty."""

    class Meta:
        unknown = RAISE

    on_duty = fields.Boolean(required=True)


@blp.route("/duty")
class Duty(MethodView):
    @blp.doc(security=BEARER)
    @roles_required("officer")
    @blp.arguments(DutySchema)
    def put(self, body: dict[str, Any]) -> dict[str, Any]:
        """Go on or off duty; off duty, no pushes reach this officer's devices."""
        return push.set_duty(current_principal(), body["on_duty"])

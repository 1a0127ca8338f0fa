"""Authentication endpoints: login, refresh, logout, who am I."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from backend.api.security import BEARER, current_principal, roles_required
from backend.extensions import db
from backend.models import User
from backend.schemas.auth import LoginSchema, LogoutSchema, RefreshSchema, TokenSchema, UserSchema
from backend.services import auth

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Log in and tokens")


@blp.route("/login")
class Login(MethodView):
    @blp.arguments(LoginSchema)
    @blp.response(200, TokenSchema)
    @blp.alt_response(401, description="wrong username or password")
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Log in with username and password; returns a bearer token and a refresh token."""
        return auth.login(body["username"], body["password"])


@blp.route("/refresh")
class Refresh(MethodView):
    @blp.arguments(RefreshSchema)
    @blp.response(200, TokenSchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Exchange a refresh token for new tokens (the old refresh token stops working)."""
        return auth.refresh(body["refresh_token"])


@blp.route("/logout")
class Logout(MethodView):
    @blp.arguments(LogoutSchema)
    @blp.response(204)
    def post(self, body: dict[str, Any]) -> None:
        """Revoke a refresh token; with push_endpoint, this device also stops receiving pushes."""
        auth.logout(body["refresh_token"], body.get("push_endpoint"))


@blp.route("/me")
class Me(MethodView):
    @blp.doc(security=BEARER)
    @roles_required("commander", "officer", "auditor")
    @blp.response(200, UserSchema)
    def get(self) -> User:
        """The logged-in user."""
        return db.get_or_404(User, current_principal().user_id)

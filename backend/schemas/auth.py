"""Login, refresh and token schemas."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class LoginSchema(Schema):
    """Credentials posted to /auth/login."""

    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=256))


class RefreshSchema(Schema):
    """A refresh token to exchange or revoke."""

    refresh_token = fields.String(required=True, validate=validate.Length(min=10, max=200))


class LogoutSchema(RefreshSchema):
    """Logout: the refresh token, and this device's push endpoint so it stops receiving pushes."""

    push_endpoint = fields.String(validate=validate.Length(max=2000), load_default=None)


class UserSchema(Schema):
    """The user as the client sees it."""

    id = fields.Integer()
    username = fields.String()
    role = fields.String()
    team_id = fields.Integer(allow_none=True)
    team_name = fields.String(allow_none=True)
    on_duty = fields.Boolean()
    display_name = fields.String()


class TokenSchema(Schema):
    """Tokens issued on login or refresh."""

    access_token = fields.String()
    refresh_token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer()
    user = fields.Nested(UserSchema)

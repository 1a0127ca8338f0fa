"""Bearer-token and API-key guards for views; every view names the roles it admits."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import g, request

from backend.domain.errors import Forbidden, Unauthenticated
from backend.services.auth import Principal, principal_from_token

F = TypeVar("F", bound=Callable[..., Any])
BEARER: list[dict[str, list[str]]] = [{"bearerAuth": []}]
API_KEY: list[dict[str, list[str]]] = [{"apiKey": []}]


def current_principal() -> Principal:
    """The authenticated caller of this request (set by roles_required)."""
    return cast(Principal, g.principal)


def bearer_principal() -> Principal:
    """Authenticate the Authorization: Bearer header."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("missing bearer token")
    return principal_from_token(token.strip())


def roles_required(*roles: str) -> Callable[[F], F]:
    """Admit only callers with one of the roles (admin is always admitted)."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            principal = bearer_principal()
            if principal.role != "admin" and principal.role not in roles:
                raise Forbidden(f"role '{principal.role}' may not do this")
            g.principal = principal
            return view(*args, **kwargs)

        return cast(F, wrapper)

    return decorate


def api_key() -> str | None:
    """The X-Api-Key header of a site or feed."""
    return request.headers.get("X-Api-Key")

"""Domain errors; one handler in the API maps each to its HTTP status and JSON body."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


class DomainError(Exception):
    """Base of every error a client can cause; carries the HTTP status it maps to."""

    status = 400

    def __init__(self, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra

    def body(self) -> dict[str, Any]:
        """The JSON body: {"error": message, **extra}."""
        return {"error": self.message, **self.extra}


class Invalid(DomainError):
    """Input that is well-formed JSON but wrong: 422 with field-level messages."""

    status = 422

    def __init__(self, errors: Mapping[str, Sequence[str] | Mapping[str, Any]], message: str = "invalid input"):
        super().__init__(message, errors=dict(errors))


class Unauthenticated(DomainError):
    """No or a wrong credential: 401."""

    status = 401


class Forbidden(DomainError):
    """A valid credential that may not do this: 403."""

    status = 403


class NotFound(DomainError):
    """The resource does not exist or is not visible to the caller: 404."""

    status = 404


class Conflict(DomainError):
    """The request conflicts with the current state (a replay with another body, an illegal transition): 409."""

    status = 409

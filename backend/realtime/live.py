"""Socket.IO namespace /live: bearer token on connect, rooms chosen by the server from role and team."""

from __future__ import annotations

from typing import Any, cast

from flask import request
from flask_socketio import ConnectionRefusedError, Namespace, join_room

from backend.clock import now
from backend.domain.errors import DomainError
from backend.services import events, positions
from backend.services.auth import Principal, principal_from_token

NAMESPACE = "/live"
COMMAND_ROOM = "command"
_principals: dict[str, tuple[Principal, float]] = {}


def _sid() -> str:
    """The Socket.IO session id Flask-SocketIO puts on the request."""
    return str(cast(Any, request).sid)


def team_room(team_id: int) -> str:
    """The room of one team's officers."""
    return f"team:{team_id}"


def rooms_for(principal: Principal) -> list[str]:
    """Officers: their own room and their team's; everyone else: the command room (which sees all)."""
    rooms = [f"user:{principal.user_id}"]
    if principal.role == "officer":
        if principal.team_id is not None:
            rooms.append(team_room(principal.team_id))
    else:
        rooms.append(COMMAND_ROOM)
    return rooms


class LiveNamespace(Namespace):  # type: ignore[misc]
    """Authenticated on connect; clients never pick their rooms."""

    def on_connect(self, auth: Any = None) -> None:
        token = auth.get("token") if isinstance(auth, dict) else None
        if not isinstance(token, str) or not token:
            raise ConnectionRefusedError("unauthorized: send {token} in auth")
        try:
            principal = principal_from_token(token)
            import jwt  # the expiry is re-checked on every client event

            expires = float(jwt.decode(token, options={"verify_signature": False})["exp"])
        except DomainError as exc:
            raise ConnectionRefusedError(f"unauthorized: {exc.message}") from exc
        _principals[_sid()] = (principal, expires)
        for room in rooms_for(principal):
            join_room(room)

    def on_disconnect(self, *_: Any) -> None:
        _principals.pop(_sid(), None)

    def _caller(self) -> Principal | None:
        entry = _principals.get(_sid())
        if entry is None or entry[1] <= now().timestamp():
            sid = _sid()
            self.emit("auth.expired", {"error": "token expired: reconnect with a fresh token"}, room=sid)

            def close_after_the_answer() -> None:
                self.socketio.sleep(0.2)  # let the acknowledgement go out first
                self.socketio.server.disconnect(sid, namespace=NAMESPACE)

            self.socketio.start_background_task(close_after_the_answer)
            return None
        return entry[0]

    def on_catch_up(self, data: Any) -> dict[str, Any]:
        """{"since": cursor} → {"events": [...], "cursor": n}: what this client missed, filtered to it."""
        principal = self._caller()
        if principal is None:
            return {"error": "token expired"}
        since = data.get("since") if isinstance(data, dict) else None
        if not isinstance(since, int) or isinstance(since, bool) or since < 0:
            return {"error": "invalid payload", "errors": {"since": ["a non-negative integer cursor"]}}
        items = events.since(principal, since, 500)
        return {"events": items, "cursor": items[-1]["cursor"] if items else since}

    def on_position(self, data: Any) -> dict[str, Any]:
        """An officer's own position over the socket: {"lon", "lat", "accuracy_m"?, "at"}."""
        principal = self._caller()
        if principal is None:
            return {"error": "token expired"}
        try:
            return positions.report_own(principal, data)
        except DomainError as exc:
            return exc.body()

    def on_join(self, data: Any) -> dict[str, Any]:
        """Rooms are the server's choice; asking for one is refused plainly."""
        return {"error": "rooms are assigned by the server from your role and team"}

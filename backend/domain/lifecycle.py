"""The enforcement task's state machine (domain.md §4): allowed transitions and who may make them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

Role = Literal["admin", "commander", "officer", "auditor"]

STATES: Final = ("dispatched", "accepted", "declined", "en_route", "intercepted", "missed", "inspecting",
                 "reweighed", "disposed", "source_traced", "closed", "cancelled")
TERMINAL: Final = frozenset({"closed", "cancelled"})

# to-state -> the states it may be reached from. "dispatched" from a live state is a reassignment.
ALLOWED: Final[dict[str, frozenset[str]]] = {
    "accepted": frozenset({"dispatched"}),
    "declined": frozenset({"dispatched"}),
    "en_route": frozenset({"accepted"}),
    "intercepted": frozenset({"en_route"}),
    "missed": frozenset({"en_route"}),
    "inspecting": frozenset({"intercepted"}),
    "reweighed": frozenset({"inspecting"}),
    "disposed": frozenset({"inspecting", "reweighed"}),
    "source_traced": frozenset({"disposed"}),
    "closed": frozenset({"disposed", "source_traced", "missed"}),
    "dispatched": frozenset({"dispatched", "declined", "accepted", "en_route", "missed"}),
    "cancelled": frozenset({"dispatched", "declined", "accepted", "en_route", "missed"}),
}
# Steps taken in the field by the assigned team; the rest belong to the command center.
FIELD_STEPS: Final = frozenset({"accepted", "declined", "en_route", "intercepted", "missed", "inspecting",
                                "reweighed", "disposed", "source_traced"})
# Steps that by law need two officers of the assigned team (《行政处罚法》, 《行政强制法》 Art. 18).
TWO_OFFICER_STEPS: Final = frozenset({"inspecting", "disposed"})
NEEDS_REASON: Final = frozenset({"declined", "cancelled", "missed", "dispatched"})  # dispatched = reassigned
DISPOSALS: Final = ("unloaded", "seized", "released_with_penalty")


class TransitionError(Exception):
    """A refused transition; `kind` says why (illegal, forbidden, invalid) and maps to 409, 403 or 422."""

    def __init__(self, kind: Literal["illegal", "forbidden", "invalid"], message: str,
                 field: str | None = None) -> None:
        super().__init__(message)
        self.kind, self.message, self.field = kind, message, field


@dataclass(frozen=True)
class Actor:
    """Who asks for the transition."""

    user_id: int
    role: str
    team_id: int | None


@dataclass(frozen=True)
class Request:
    """A requested transition with what the rules look at."""

    to: str
    officers: Sequence[int] = ()
    reason: str | None = None
    new_team_id: int | None = None
    disposal: str | None = None
    unconfirmed_steps: Sequence[int] = ()


def allowed_next(state: str) -> list[str]:
    """The states reachable from `state`, in STATES order (the UI's next-step buttons)."""
    return [to for to in STATES if state in ALLOWED.get(to, frozenset())]


def check(state: str, task_team_id: int | None, actor: Actor, request: Request,
          officer_teams: dict[int, int | None]) -> None:
    """Refuse a transition that the table, the actor's role and team, or the two-officer rule forbid.

    Order of the checks: unknown state (invalid), not allowed from here (illegal: 409 with the current
    state), wrong role or team (forbidden), missing reason or officers (invalid), closing while a
    two-officer step waits for the partner's own confirmation (illegal), missing disposal (invalid).
    `officer_teams` maps each named officer's user id to their team (None when not an officer).
    """
    to = request.to
    if to not in STATES:
        raise TransitionError("invalid", f"unknown state '{to}'", "to")
    if state in TERMINAL or state not in ALLOWED.get(to, frozenset()):
        raise TransitionError("illegal", f"cannot go from {state} to {to}")
    if to in FIELD_STEPS:
        if actor.role != "officer" or actor.team_id is None or actor.team_id != task_team_id:
            raise TransitionError("forbidden", f"only an officer of the assigned team may record '{to}'")
    elif actor.role not in ("commander", "admin"):
        raise TransitionError("forbidden", f"only the command center may set '{to}'")
    if to in NEEDS_REASON and not (request.reason and request.reason.strip()):
        raise TransitionError("invalid", f"'{to}' needs a reason", "reason")
    if to == "dispatched" and request.new_team_id is None:
        raise TransitionError("invalid", "a reassignment names the new team", "team_id")
    if to in TWO_OFFICER_STEPS:
        officers = set(request.officers) | {actor.user_id}
        if len(officers) < 2:
            raise TransitionError("invalid", f"'{to}' needs two officers of the assigned team", "officers")
        strangers = sorted(o for o in officers if officer_teams.get(o) != task_team_id)
        if strangers:
            raise TransitionError("invalid", f"officers {strangers} are not officers of the assigned team",
                                  "officers")
    if to == "closed" and request.unconfirmed_steps:
        steps = ", ".join(str(s) for s in request.unconfirmed_steps)
        raise TransitionError("illegal", f"two-officer steps {steps} still wait for the partner's confirmation")
    if to == "disposed" and request.disposal not in DISPOSALS:
        raise TransitionError("invalid", f"disposal must be one of {', '.join(DISPOSALS)}", "disposal")

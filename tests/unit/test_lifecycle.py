"""The task state machine, table-driven: every allowed step works, every other one is refused."""

from __future__ import annotations

import itertools

import pytest

from backend.domain.lifecycle import (
    ALLOWED,
    FIELD_STEPS,
    STATES,
    TERMINAL,
    Actor,
    Request,
    TransitionError,
    allowed_next,
    check,
)

TEAM = 7
OFFICER = Actor(1, "officer", TEAM)
PARTNER = 2
COMMANDER = Actor(9, "commander", None)
TEAMS = {1: TEAM, 2: TEAM, 3: 8}


def request_for(to):
    return Request(to=to, officers=[PARTNER], reason="因故", new_team_id=8, disposal="seized")


def actor_for(to):
    return OFFICER if to in FIELD_STEPS else COMMANDER


ALL_PAIRS = list(itertools.product(STATES, STATES))
LEGAL = [(a, b) for a, b in ALL_PAIRS if a in ALLOWED.get(b, frozenset()) and a not in TERMINAL]
ILLEGAL = [(a, b) for a, b in ALL_PAIRS if (a, b) not in LEGAL]


@pytest.mark.parametrize("state,to", LEGAL)
def test_allowed_transitions_pass(state, to):
    check(state, TEAM, actor_for(to), request_for(to), TEAMS)


@pytest.mark.parametrize("state,to", ILLEGAL)
def test_every_other_transition_is_409(state, to):
    with pytest.raises(TransitionError) as err:
        check(state, TEAM, actor_for(to), request_for(to), TEAMS)
    assert err.value.kind == "illegal"


def test_the_happy_path_exists():
    path = ["dispatched", "accepted", "en_route", "intercepted", "inspecting", "reweighed", "disposed",
            "source_traced", "closed"]
    for state, to in itertools.pairwise(path):
        assert to in allowed_next(state)
    assert allowed_next("closed") == [] and allowed_next("cancelled") == []


@pytest.mark.parametrize("to", sorted(FIELD_STEPS))
def test_field_steps_need_an_officer_of_the_team(to):
    state = next(iter(ALLOWED[to]))
    for actor in (COMMANDER, Actor(3, "officer", 8), Actor(4, "auditor", None)):
        with pytest.raises(TransitionError) as err:
            check(state, TEAM, actor, request_for(to), TEAMS)
        assert err.value.kind == "forbidden"


@pytest.mark.parametrize("to", ["cancelled", "closed", "dispatched"])
def test_command_steps_are_not_for_officers(to):
    state = "missed"
    with pytest.raises(TransitionError) as err:
        check(state, TEAM, OFFICER, request_for(to), TEAMS)
    assert err.value.kind == "forbidden"


@pytest.mark.parametrize("to,state", [("inspecting", "intercepted"), ("disposed", "inspecting")])
def test_two_officers_of_the_team(to, state):
    alone = Request(to=to, officers=[], disposal="seized")
    with pytest.raises(TransitionError, match="two officers"):
        check(state, TEAM, OFFICER, alone, TEAMS)
    foreign = Request(to=to, officers=[3], disposal="seized")
    with pytest.raises(TransitionError, match="not officers of the assigned team"):
        check(state, TEAM, OFFICER, foreign, TEAMS)
    check(state, TEAM, OFFICER, Request(to=to, officers=[PARTNER], disposal="unloaded"), TEAMS)


@pytest.mark.parametrize("to,state", [("declined", "dispatched"), ("missed", "en_route"),
                                      ("cancelled", "accepted"), ("dispatched", "declined")])
def test_reasons_required(to, state):
    for reason in (None, "", "   "):
        with pytest.raises(TransitionError) as err:
            check(state, TEAM, actor_for(to), Request(to=to, reason=reason, new_team_id=8), TEAMS)
        assert err.value.field == "reason"


def test_reassignment_names_a_team_and_disposal_a_kind():
    with pytest.raises(TransitionError, match="new team"):
        check("declined", TEAM, COMMANDER, Request(to="dispatched", reason="x"), TEAMS)
    with pytest.raises(TransitionError, match="disposal"):
        check("inspecting", TEAM, OFFICER, Request(to="disposed", officers=[PARTNER], disposal="burned"), TEAMS)


def test_unknown_state_is_invalid():
    with pytest.raises(TransitionError) as err:
        check("dispatched", TEAM, OFFICER, Request(to="teleported"), TEAMS)
    assert err.value.kind == "invalid" and err.value.field == "to"


@pytest.mark.parametrize("state", ["disposed", "source_traced", "missed"])
def test_closing_waits_for_partners_confirmations(state):
    with pytest.raises(TransitionError) as err:
        check(state, TEAM, COMMANDER, Request(to="closed", unconfirmed_steps=[41, 42]), TEAMS)
    assert err.value.kind == "illegal" and "41, 42" in err.value.message
    check(state, TEAM, COMMANDER, Request(to="closed"), TEAMS)

"""Task endpoints: dispatch, list, one task, transitions; and the event catch-up feed."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from backend.api.security import BEARER, current_principal, roles_required
from backend.schemas.position import OwnPositionSchema
from backend.schemas.task import ConfirmSchema, DispatchSchema, EventQuerySchema, TaskQuerySchema, TransitionSchema
from backend.services import case, events, field_steps, positions, tasks

blp = Blueprint("tasks", __name__, url_prefix="/api/v1", description="Tasks (派单) and live events")


@blp.route("/tasks")
class Tasks(MethodView):
    @blp.doc(security=BEARER)
    @roles_required("commander", "officer", "auditor")
    @blp.arguments(TaskQuerySchema, location="query")
    def get(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """Tasks the caller may see, newest first (officers: their own team's only)."""
        return tasks.list_tasks(current_principal(), **args)

    @blp.doc(security=BEARER)
    @roles_required("commander")
    @blp.arguments(DispatchSchema)
    @blp.alt_response(409, description="the warning is no longer open")
    def post(self, body: dict[str, Any]) -> tuple[dict[str, Any], int]:
        """Dispatch a task for a warning; without team_id, the team holding the warning's jurisdiction."""
        return tasks.dispatch(current_principal(), **body), 201


@blp.route("/tasks/<int:task_id>")
class TaskById(MethodView):
    @blp.doc(security=BEARER)
    @roles_required("commander", "officer", "auditor")
    def get(self, task_id: int) -> dict[str, Any]:
        """One task with the steps it may take next."""
        return tasks.task_view(tasks.visible_task(current_principal(), task_id))


@blp.route("/tasks/<int:task_id>/transitions")
class Transitions(MethodView):
    @blp.doc(security=BEARER, parameters=[{"in": "header", "name": "Idempotency-Key", "required": False,
                                           "schema": {"type": "string", "maxLength": 128}}])
    @roles_required("commander", "officer")
    @blp.arguments(TransitionSchema)
    @blp.alt_response(409, description="not allowed from the current state: {\"error\", \"status\"}")
    def post(self, body: dict[str, Any], task_id: int) -> dict[str, Any]:
        """Move the task one step; the same Idempotency-Key returns the first answer."""
        key = (request.headers.get("Idempotency-Key") or "").strip()[:128] or None
        return tasks.transition(current_principal(), task_id, body, request.get_json(silent=True), key)


@blp.route("/tasks/<int:task_id>/case")
class TaskCase(MethodView):
    @blp.doc(security=BEARER)
    @roles_required("commander", "officer", "auditor")
    def get(self, task_id: int) -> dict[str, Any]:
        """The task screen: the warning's facts, the truck's last position, the steps and the evidence."""
        return case.case(current_principal(), task_id)


@blp.route("/tasks/<int:task_id>/backtrack")
class TaskBacktrack(MethodView):
    @blp.doc(security=BEARER)
    @roles_required("commander", "officer", "auditor")
    def get(self, task_id: int) -> dict[str, Any]:
        """The source backtrack: the site, its record of this departure, the truck's and the site's history."""
        return case.backtrack(current_principal(), task_id)


@blp.route("/tasks/<int:task_id>/steps/<int:step_id>/confirm")
class ConfirmStep(MethodView):
    @blp.doc(security=BEARER)
    @roles_required("officer")
    @blp.arguments(ConfirmSchema)
    @blp.alt_response(409, description="the step needs no confirmation")
    def post(self, body: dict[str, Any], task_id: int, step_id: int) -> dict[str, Any]:
        """The partner named on a two-officer step confirms it on their own phone (once; again → same answer)."""
        return field_steps.confirm(current_principal(), task_id, step_id, body)


@blp.route("/positions/me")
class OwnPosition(MethodView):
    @blp.doc(security=BEARER, requestBody={"required": True, "content": {"application/json": {
        "schema": OwnPositionSchema}}})
    @roles_required("officer")
    def post(self) -> dict[str, Any]:
        """Report the officer's own position; the team and the command center see it live."""
        return positions.report_own(current_principal(), request.get_json(silent=True))


@blp.route("/events")
class Events(MethodView):
    @blp.doc(security=BEARER)
    @roles_required("commander", "officer", "auditor")
    @blp.arguments(EventQuerySchema, location="query")
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Everything the caller may see after the cursor, oldest first; resume from `cursor`."""
        items = events.since(current_principal(), args["since"], args["limit"])
        return {"events": items, "cursor": items[-1]["cursor"] if items else args["since"]}

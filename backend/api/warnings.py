"""Warning endpoints: the list and one warning with its hand-over history."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from backend.api.security import BEARER, current_principal, roles_required
from backend.models import WarningRecord
from backend.schemas.warning import WarningDetailSchema, WarningQuerySchema, WarningSchema
from backend.services import proposal, warning_queries

blp = Blueprint("warnings", __name__, url_prefix="/api/v1/warnings", description="Warnings (预警)")


@blp.route("")
class Warnings(MethodView):
    @blp.doc(security=BEARER)
    @roles_required("commander", "officer", "auditor")
    @blp.arguments(WarningQuerySchema, location="query")
    @blp.response(200, WarningSchema(many=True))
    def get(self, args: dict[str, Any]) -> list[WarningRecord]:
        """Warnings the caller may see, newest first (officers: their own team's only)."""
        return warning_queries.list_warnings(current_principal(), **args)


@blp.route("/<int:warning_id>")
class WarningById(MethodView):
    @blp.doc(security=BEARER)
    @roles_required("commander", "officer", "auditor")
    @blp.response(200, WarningDetailSchema)
    def get(self, warning_id: int) -> dict[str, Any]:
        """One warning with its events (creation, hand-overs)."""
        return warning_queries.get_warning(current_principal(), warning_id)


@blp.route("/<int:warning_id>/proposal")
class WarningProposal(MethodView):
    @blp.doc(security=BEARER)
    @roles_required("commander")
    def get(self, warning_id: int) -> dict[str, Any]:
        """The proposed team and interception point, with distances and ETAs for the truck and every team."""
        return proposal.propose(warning_queries.visible_warning(current_principal(), warning_id))

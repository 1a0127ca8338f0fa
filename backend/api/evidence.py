"""Evidence endpoints: upload a photo for a task (multipart), list a task's evidence, fetch one file."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, request, send_file
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import ValidationError

from backend.api.security import BEARER, current_principal, roles_required
from backend.domain.errors import Invalid
from backend.schemas.task import EvidenceUploadSchema
from backend.services import evidence, tasks

blp = Blueprint("evidence", __name__, url_prefix="/api/v1", description="Evidence photos (证据)")

UPLOAD_DOC = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["id", "kind", "sha256", "file"],
    "properties": {"file": {"type": "string", "format": "binary"}, "id": {"type": "string"},
                   "kind": {"type": "string"}, "sha256": {"type": "string"}, "taken_at": {"type": "string"},
                   "lon": {"type": "number"}, "lat": {"type": "number"}, "accuracy_m": {"type": "number"}}}}}}


@blp.route("/tasks/<int:task_id>/evidence")
class TaskEvidence(MethodView):
    @blp.doc(security=BEARER)
    @roles_required("commander", "officer", "auditor")
    def get(self, task_id: int) -> list[dict[str, Any]]:
        """The task's evidence, in upload order."""
        return evidence.for_task(tasks.visible_task(current_principal(), task_id))

    @blp.doc(security=BEARER, requestBody=UPLOAD_DOC)
    @roles_required("officer")
    @blp.alt_response(409, description="this id was uploaded with other content, or the task is closed")
    @blp.alt_response(422, description="a field is wrong, or the file's SHA-256 is not the one given")
    def post(self, task_id: int) -> tuple[dict[str, Any], int]:
        """Upload a photo with the SHA-256 computed at capture; the server recomputes it and refuses a
        mismatch. The same id again answers the first upload."""
        # Photos are larger than any JSON body: this route alone takes up to max_photo_bytes.
        request.max_content_length = current_app.config["ZHICHAO"].max_photo_bytes + 64 * 1024
        upload = request.files.get("file")
        try:
            meta = EvidenceUploadSchema().load(request.form.to_dict())
        except ValidationError as exc:
            errors = dict(exc.normalized_messages())
            if upload is None:
                errors["file"] = ["the photo is missing"]
            raise Invalid(errors) from exc
        if upload is None:
            raise Invalid({"file": ["the photo is missing"]})
        return evidence.upload(current_principal(), task_id, meta, upload.read())


@blp.route("/evidence/<string:evidence_id>")
class EvidenceById(MethodView):
    @blp.doc(security=BEARER)
    @roles_required("commander", "officer", "auditor")
    def get(self, evidence_id: str) -> dict[str, Any]:
        """One evidence record."""
        return evidence.view(evidence.get(current_principal(), evidence_id))


@blp.route("/evidence/<string:evidence_id>/file")
class EvidenceFile(MethodView):
    @blp.doc(security=BEARER)
    @roles_required("commander", "officer", "auditor")
    def get(self, evidence_id: str) -> Response:
        """The photo's bytes, exactly as uploaded (their SHA-256 is the ETag)."""
        item = evidence.get(current_principal(), evidence_id)
        response = send_file(evidence.path_of(item.sha256), mimetype=item.mime, etag=item.sha256,
                             max_age=31_536_000, conditional=True)
        response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
        return response

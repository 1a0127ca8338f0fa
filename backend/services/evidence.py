"""Evidence photos: stored under the SHA-256 the phone computed at capture, after the server recomputed it."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from backend.clock import now
from backend.domain.errors import Conflict, Forbidden, Invalid, NotFound
from backend.extensions import db
from backend.models import Evidence, Task
from backend.services import audit, tasks, wal  # tasks imports this module too: names resolved at call time
from backend.services.auth import Principal

# Magic numbers of the formats phones' cameras produce; anything else is not a photo we keep.
_MAGIC = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))


def sniff(data: bytes) -> str | None:
    """The image type from the file's first bytes (JPEG, PNG, WebP, HEIC), or None."""
    for magic, mime in _MAGIC:
        if data.startswith(magic):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"msf1"):
        return "image/heic"
    return None


def store_dir() -> Path:
    """Where evidence bytes live (ZHICHAO_EVIDENCE_DIR, default instance/evidence)."""
    return Path(current_app.config["ZHICHAO"].evidence_dir)


def path_of(sha256: str) -> Path:
    """The file of a digest: content-addressed, so a replayed upload writes nothing new."""
    return store_dir() / sha256[:2] / sha256


def _write(sha256: str, data: bytes) -> None:
    target = path_of(sha256)
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())  # on disk before the row that points at it commits
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def view(item: Evidence) -> dict[str, Any]:
    """An evidence record as clients see it."""
    return {
        "id": item.client_id, "task_id": item.task_id, "kind": item.kind, "sha256": item.sha256,
        "mime": item.mime, "size": item.size, "taken_at": item.taken_at.isoformat() if item.taken_at else None,
        "position": {"lon": item.lon, "lat": item.lat, "accuracy_m": item.accuracy_m} if item.lon is not None else None,
        "uploaded_by": item.uploaded_by, "uploaded_at": item.uploaded_at.isoformat(),
        "url": f"/api/v1/evidence/{item.client_id}/file",
    }


def _replay(meta: dict[str, Any], task_id: int) -> tuple[dict[str, Any], int] | None:
    done = db.session.execute(select(Evidence).where(Evidence.client_id == meta["id"])).scalar_one_or_none()
    if done is None:
        return None
    same, answer = done.sha256 == meta["sha256"] and done.task_id == task_id, view(done)
    wal.ensure_read_durable()  # the first request may still be waiting for its flush: tell only what is kept
    if not same:
        raise Conflict(f"evidence {meta['id']} was uploaded with other content or for another task")
    return answer, 200


def upload(principal: Principal, task_id: int, meta: dict[str, Any], data: bytes) -> tuple[dict[str, Any], int]:
    """Keep a photo for a task: only an officer of the assigned team, only while the task is open; the
    server's SHA-256 of the bytes must equal the one computed at capture (422 otherwise); the same id again
    answers the first upload (200), the same id with other bytes or another task 409s."""
    task = tasks.visible_task(principal, task_id)
    digest = hashlib.sha256(data).hexdigest()
    done = _replay(meta, task_id)
    if done is not None:
        return done
    if principal.role != "officer" or principal.team_id != task.team_id:
        raise Forbidden("only an officer of the assigned team adds evidence")
    if task.status in ("closed", "cancelled"):
        raise Conflict(f"task {task_id} is {task.status}", status=task.status)
    if digest != meta["sha256"]:
        raise Invalid({"sha256": [f"the file's SHA-256 is {digest}: it is not the file hashed at capture"]})
    mime = sniff(data)
    if mime is None:
        raise Invalid({"file": ["not a JPEG, PNG, WebP or HEIC photo"]})
    _write(digest, data)
    position = meta.get("position") or {}
    item = Evidence(client_id=meta["id"], task_id=task_id, kind=meta["kind"], sha256=digest, mime=mime,
                    size=len(data), taken_at=meta.get("taken_at"), lon=position.get("lon"),
                    lat=position.get("lat"), accuracy_m=position.get("accuracy_m"),
                    uploaded_by=principal.user_id, uploaded_at=now())
    db.session.add(item)
    try:
        db.session.flush()
    except IntegrityError:  # the same upload, retried by the phone while the first was still in flight
        db.session.rollback()
        replay = _replay(meta, task_id)
        if replay is None:
            raise
        return replay
    audit.append(principal.username, "evidence.uploaded", "task", task_id, {
        "evidence_id": item.client_id, "kind": item.kind, "sha256": digest, "size": item.size, "mime": mime,
        "taken_at": item.taken_at.isoformat() if item.taken_at else None, "position": position or None})
    db.session.commit()
    return view(item), 201


def get(principal: Principal, client_id: str) -> Evidence:
    """An evidence record whose task the caller may see; otherwise 'not found'."""
    item = db.session.execute(select(Evidence).where(Evidence.client_id == client_id)).scalar_one_or_none()
    if item is None:
        raise NotFound(f"no evidence {client_id}")
    tasks.visible_task(principal, item.task_id)
    return item


def for_task(task: Task) -> list[dict[str, Any]]:
    """The task's evidence, in upload order."""
    rows = db.session.execute(select(Evidence).where(Evidence.task_id == task.id).order_by(Evidence.id)).scalars()
    return [view(item) for item in rows]


def check_refs(task_id: int, refs: list[dict[str, Any]]) -> None:
    """Evidence named by a step must be uploaded for this task with the same SHA-256 (a step never points
    at a photo the server has not verified): 422 keyed evidence.<index> otherwise."""
    if not refs:
        return
    ids = [ref["id"] for ref in refs]
    known = {e.client_id: e for e in db.session.execute(
        select(Evidence).where(Evidence.client_id.in_(ids))).scalars()}
    errors: dict[str, Any] = {}
    for index, ref in enumerate(refs):
        item = known.get(ref["id"])
        if item is None or item.task_id != task_id:
            errors[str(index)] = {"id": [f"no evidence {ref['id']} uploaded for task {task_id}"]}
        elif item.sha256 != ref["sha256"]:
            errors[str(index)] = {"sha256": [f"evidence {ref['id']} has SHA-256 {item.sha256}"]}
    if errors:
        raise Invalid({"evidence": errors})

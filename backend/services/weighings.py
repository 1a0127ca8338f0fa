"""Weighing ingest: idempotent per (site, record_id), evaluated against the limits, warned when overloaded."""

from __future__ import annotations

from typing import Any, cast

from geoalchemy2.shape import to_shape
from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from backend.domain import overload
from backend.domain.chain import canonical, sha256_hex
from backend.domain.errors import Conflict, Forbidden, Invalid
from backend.extensions import db
from backend.models import SourceSite, Vehicle, Weighing
from backend.schemas import field_errors
from backend.schemas.common import nul_errors
from backend.schemas.weighing import WeighingSchema
from backend.services import audit, matching
from backend.services.warnings import raise_warning, responsible

_schema = WeighingSchema()


def _replay(site: SourceSite, record_id: str, body_hash: str) -> dict[str, Any] | None:
    """The stored answer for an identical replay; 409 for the same record_id with another body."""
    existing = db.session.execute(
        select(Weighing).where(Weighing.site_id == site.id, Weighing.record_id == record_id)
    ).scalar_one_or_none()
    if existing is None:
        return None
    if existing.body_sha256 != body_hash:
        raise Conflict(f"record_id '{record_id}' was already used with a different body",
                       record_id=record_id, id=existing.id)
    return dict(existing.response)


def ingest(site: SourceSite, body: Any) -> dict[str, Any]:
    """Store and evaluate one weighing; an identical replay returns the first answer.

    Rules: the raw record is stored in the same transaction as its evaluation and warning, so an
    acknowledged record is never lost; `overloaded` is gross > limit + the site's tolerance.
    """
    if not isinstance(body, dict):
        raise Invalid({"_schema": ["the body must be a JSON object"]})
    if nul := nul_errors(body):
        raise Invalid(nul)
    body_hash = sha256_hex(canonical(body))
    record_id = body.get("record_id")
    if isinstance(record_id, str) and record_id and (stored := _replay(site, record_id, body_hash)):
        return stored
    try:
        data = _schema.load(body)
    except ValidationError as exc:
        raise Invalid(field_errors(exc)) from exc
    if data.get("site_code") not in (None, site.code):
        raise Forbidden(f"this key belongs to site {site.code}, not {data['site_code']}")
    try:
        return _store(site, data, body, body_hash)
    except IntegrityError:
        # A concurrent request with the same record_id won the race: answer as a replay would.
        db.session.rollback()
        stored = _replay(site, data["record_id"], body_hash)
        if stored is None:
            raise
        return stored


def _store(site: SourceSite, data: dict[str, Any], raw: dict[str, Any], body_hash: str) -> dict[str, Any]:
    vehicle = db.session.execute(
        select(Vehicle).where(Vehicle.plate == data["plate"], Vehicle.plate_color == data["plate_color"])
    ).scalar_one_or_none()
    kind = cast(overload.VehicleKind | None, data.get("vehicle_kind") or (vehicle.kind if vehicle else None))
    single_drive = data["single_drive_axle"] or bool(vehicle and vehicle.single_drive_axle)
    limit = overload.gross_limit(data["axles"], kind, single_drive_axle=single_drive,
                                 single_tyre_axles=data["single_tyre_axles"])
    tolerance = overload.tolerance_for(limit.limit_kg, tolerance_kg=site.tolerance_kg,
                                       tolerance_pct=site.tolerance_pct)
    evaluation = overload.evaluate(data["gross_kg"], data["axles"], kind, single_drive_axle=single_drive,
                                   single_tyre_axles=data["single_tyre_axles"], tolerance_kg=tolerance)
    weighing = Weighing(
        site_id=site.id, record_id=data["record_id"], body_sha256=body_hash, raw=raw,
        plate=data["plate"], plate_color=data["plate_color"], axles=data["axles"], vehicle_kind=kind,
        gross_kg=data["gross_kg"], tare_kg=data.get("tare_kg"), weighed_at=data["weighed_at"],
        limit_kg=evaluation.limit_kg, tolerance_kg=evaluation.tolerance_kg, excess_kg=evaluation.excess_kg,
        excess_pct=evaluation.excess_pct, overloaded=evaluation.overloaded,
        rule_version=evaluation.rule_version, evaluation=evaluation.as_dict(), response={},
    )
    db.session.add(weighing)
    db.session.flush()
    actor = f"site:{site.code}"
    audit.append(actor, "weighing.received", "weighing", weighing.id, {
        "site": site.code, "record_id": data["record_id"], "body_sha256": body_hash,
        "evaluation": evaluation.as_dict(),
    })
    warning_id = None
    if evaluation.overloaded:
        point = to_shape(site.location)
        jurisdiction_id, team_id = responsible(matching.current_index(), point.x, point.y)
        warning = raise_warning(
            kind="overload", trigger="overloaded_departure", plate=data["plate"],
            plate_color=data["plate_color"], lon=point.x, lat=point.y,
            title=f"{data['plate']} 超限 {evaluation.excess_pct:.2f}% 驶离 {site.name}",
            jurisdiction_id=jurisdiction_id, team_id=team_id, actor=actor, weighing_id=weighing.id,
            site_id=site.id, at=weighing.received_at,
            details={"gross_kg": data["gross_kg"], "axles": data["axles"], "limit_kg": evaluation.limit_kg,
                     "excess_kg": evaluation.excess_kg, "excess_pct": evaluation.excess_pct,
                     "site_code": site.code, "site_name": site.name, "record_id": data["record_id"],
                     "weighed_at": data["weighed_at"].isoformat(), "goods": data.get("goods")},
        )
        warning_id = warning.id
        weighing.warning_id = warning_id
    response = {
        "id": weighing.id, "overloaded": evaluation.overloaded, "limit_kg": evaluation.limit_kg,
        "excess_kg": evaluation.excess_kg, "excess_pct": evaluation.excess_pct,
        "tolerance_kg": evaluation.tolerance_kg, "rule_version": evaluation.rule_version,
        "warning_id": warning_id, "kind_assumed": evaluation.kind_assumed, "notes": list(evaluation.notes),
    }
    weighing.response = response
    db.session.commit()
    return response  # built before the commit, which expires the row (no reload needed)

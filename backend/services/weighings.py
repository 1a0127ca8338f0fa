"""Weighing ingest: idempotent per (site, record_id), evaluated against the limits, warned when overloaded."""

from __future__ import annotations

from typing import Any, cast

from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from backend.clock import now
from backend.domain import overload
from backend.domain.chain import canonical, sha256_hex
from backend.domain.errors import Conflict, Forbidden, Invalid
from backend.extensions import db
from backend.models import Vehicle, WarningRecord, Weighing
from backend.schemas import field_errors
from backend.schemas.common import nul_errors
from backend.schemas.weighing import WeighingSchema
from backend.services import audit, matching, wal
from backend.services.auth import SiteRef
from backend.services.warnings import raise_warning, responsible

_schema = WeighingSchema()


# Statements are built once: building them per request (values(**kwargs)) cost more than running them.
_INSERTS: dict[str, Any] = {}


def _insert_statement() -> Any:
    """INSERT … ON CONFLICT (site_id, record_id) DO NOTHING RETURNING id, for this database."""
    name = db.session.get_bind().dialect.name
    if name not in _INSERTS:
        dialect_insert = postgresql.insert if name == "postgresql" else sqlite.insert
        _INSERTS[name] = (dialect_insert(Weighing).on_conflict_do_nothing(index_elements=["site_id", "record_id"])
                          .returning(Weighing.id))
    return _INSERTS[name]


def _answer(row: Any) -> dict[str, Any]:
    # The stored answer lacks the ids, which exist only after the insert; they are joined back here.
    return {"id": row.id, **row.response, "warning_id": row.warning_id}


_RAISED = (select(WarningRecord.id).where(WarningRecord.weighing_id == Weighing.id)
           .order_by(WarningRecord.id).limit(1).scalar_subquery())


def _replay(site: SiteRef, record_id: str, body_hash: str) -> dict[str, Any]:
    """The first answer for an identical replay; 409 for the same record_id with another body."""
    existing = db.session.execute(
        select(Weighing.id, Weighing.body_sha256, Weighing.response, _RAISED.label("warning_id"))
        .where(Weighing.site_id == site.id, Weighing.record_id == record_id)
    ).one()
    wal.ensure_read_durable()  # the first request may still be waiting for its flush: tell only what is kept
    if existing.body_sha256 != body_hash:
        raise Conflict(f"record_id '{record_id}' was already used with a different body",
                       record_id=record_id, id=existing.id)
    return _answer(existing)


def ingest(site: SiteRef, body: Any, auto_dispatch_pct: float | None = None) -> dict[str, Any]:
    """Store and evaluate one weighing; an identical replay returns the first answer.

    Rules: the raw record is stored in the same transaction as its evaluation, warning and audit entries,
    so an acknowledged record is never lost; `overloaded` is gross > limit + the site's tolerance; the
    first insert of (site, record_id) wins, even against a concurrent duplicate; with an auto-dispatch
    threshold, an overload rate at or above it is dispatched to the responsible team at once.
    """
    if not isinstance(body, dict):
        raise Invalid({"_schema": ["the body must be a JSON object"]})
    if nul := nul_errors(body):
        raise Invalid(nul)
    try:
        data = _schema.load(body)
    except ValidationError as exc:
        raise Invalid(field_errors(exc)) from exc
    if data.get("site_code") not in (None, site.code):
        raise Forbidden(f"this key belongs to site {site.code}, not {data['site_code']}")
    return _store(site, data, body, sha256_hex(canonical(body)), auto_dispatch_pct)


def _evaluate(site: SiteRef, data: dict[str, Any]) -> tuple[overload.Evaluation, str | None]:
    """The limit for this truck: the record's kind, else the registry's, else the lower limit (noted)."""
    vehicle = db.session.execute(
        select(Vehicle.kind, Vehicle.single_drive_axle)
        .where(Vehicle.plate == data["plate"], Vehicle.plate_color == data["plate_color"])
    ).first()
    kind = cast(overload.VehicleKind | None, data.get("vehicle_kind") or (vehicle.kind if vehicle else None))
    single_drive = data["single_drive_axle"] or bool(vehicle and vehicle.single_drive_axle)
    limit = overload.gross_limit(data["axles"], kind, single_drive_axle=single_drive,
                                 single_tyre_axles=data["single_tyre_axles"])
    tolerance = overload.tolerance_for(limit.limit_kg, tolerance_kg=site.tolerance_kg,
                                       tolerance_pct=site.tolerance_pct)
    return overload.evaluate(data["gross_kg"], data["axles"], kind, single_drive_axle=single_drive,
                             single_tyre_axles=data["single_tyre_axles"], tolerance_kg=tolerance), kind


def _store(site: SiteRef, data: dict[str, Any], raw: dict[str, Any], body_hash: str,
           auto_dispatch_pct: float | None) -> dict[str, Any]:
    evaluation, kind = _evaluate(site, data)
    answer = {"overloaded": evaluation.overloaded, "limit_kg": evaluation.limit_kg,
              "excess_kg": evaluation.excess_kg, "excess_pct": evaluation.excess_pct,
              "tolerance_kg": evaluation.tolerance_kg, "rule_version": evaluation.rule_version,
              "kind_assumed": evaluation.kind_assumed, "notes": list(evaluation.notes)}
    received = now()
    weighing_id = db.session.connection().execute(_insert_statement(), {
        "site_id": site.id, "record_id": data["record_id"], "body_sha256": body_hash, "raw": raw,
        "plate": data["plate"], "plate_color": data["plate_color"], "axles": data["axles"], "vehicle_kind": kind,
        "gross_kg": data["gross_kg"], "tare_kg": data.get("tare_kg"), "weighed_at": data["weighed_at"],
        "received_at": received, "limit_kg": evaluation.limit_kg, "tolerance_kg": evaluation.tolerance_kg,
        "excess_kg": evaluation.excess_kg, "excess_pct": evaluation.excess_pct, "overloaded": evaluation.overloaded,
        "rule_version": evaluation.rule_version, "evaluation": evaluation.as_dict(), "response": answer,
    }).scalar()
    if weighing_id is None:  # this site already sent this record_id (a retry, or a concurrent duplicate)
        db.session.rollback()
        return _replay(site, data["record_id"], body_hash)
    actor = f"site:{site.code}"
    audit.append(actor, "weighing.received", "weighing", weighing_id, {
        "site": site.code, "record_id": data["record_id"], "body_sha256": body_hash,
        "evaluation": evaluation.as_dict(),
    })
    warning_id = None
    if evaluation.overloaded:
        jurisdiction_id, team_id = responsible(matching.current_index(), site.lon, site.lat)
        warning_id = raise_warning(
            kind="overload", trigger="overloaded_departure", plate=data["plate"],
            plate_color=data["plate_color"], lon=site.lon, lat=site.lat,
            title=f"{data['plate']} 超限 {evaluation.excess_pct:.2f}% 驶离 {site.name}",
            jurisdiction_id=jurisdiction_id, team_id=team_id, actor=actor, weighing_id=weighing_id,
            site_id=site.id, at=received,
            details={"gross_kg": data["gross_kg"], "axles": data["axles"], "limit_kg": evaluation.limit_kg,
                     "excess_kg": evaluation.excess_kg, "excess_pct": evaluation.excess_pct,
                     "site_code": site.code, "site_name": site.name, "record_id": data["record_id"],
                     "weighed_at": data["weighed_at"].isoformat(), "goods": data.get("goods")},
        )
        if auto_dispatch_pct is not None and evaluation.excess_pct >= auto_dispatch_pct and team_id is not None:
            # The policy: overloads this far over the limit go straight to the responsible team.
            from backend.services.tasks import create_task

            create_task("policy:auto-dispatch", warning_id, None, None, None)
    db.session.commit()
    return {"id": weighing_id, **answer, "warning_id": warning_id}

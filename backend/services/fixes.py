"""Fix ingest: validate a batch, store history and latest positions, raise alarm warnings, hand over."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from marshmallow import ValidationError
from sqlalchemy import func, select

from backend.clock import now
from backend.domain import alarms
from backend.domain.errors import Invalid
from backend.extensions import db
from backend.models import Alarm, Feed, WarningRecord
from backend.schemas import field_errors
from backend.schemas.common import nul_errors
from backend.schemas.fix import FixSchema
from backend.schemas.fix_fast import fast_load
from backend.services import audit, fix_store, matching, positions
from backend.services.warnings import hand_over, open_warnings_for, raise_warning

_schema = FixSchema()
Vehicle = tuple[str, int]


@dataclass
class BatchResult:
    """What a batch did: counts for the feed, and what it raised (for notifications)."""

    accepted: int = 0
    duplicates: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[int] = field(default_factory=list)
    handovers: list[int] = field(default_factory=list)

    def body(self) -> dict[str, Any]:
        """The 202 answer of the contract."""
        return {"accepted": self.accepted, "duplicates": self.duplicates, "rejected": self.rejected}


def validate(items: Any, max_batch: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Split a posted array into valid fixes and per-index rejections (field-level messages)."""
    if not isinstance(items, list):
        raise Invalid({"_schema": ["the body must be a JSON array of fixes"]})
    if len(items) > max_batch:
        raise Invalid({"_schema": [f"at most {max_batch} fixes per request; got {len(items)}"]})
    valid, rejected = [], []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            rejected.append({"index": i, "errors": {"_schema": ["each fix must be a JSON object"]}})
            continue
        if (fast := fast_load(item)) is not None:
            fast["_index"] = i
            valid.append(fast)
            continue
        if nul := nul_errors(item):
            rejected.append({"index": i, "errors": nul})
            continue
        try:
            fix = _schema.load(item)
        except ValidationError as exc:
            rejected.append({"index": i, "errors": field_errors(exc)})
            continue
        fix["_index"] = i
        valid.append(fix)
    return valid, rejected


def ingest(feed: Feed, items: Any, max_batch: int, policy: alarms.AlarmPolicy) -> BatchResult:
    """Store a batch of fixes and act on it in one transaction.

    Rules: replayed fixes (same vehicle and time) are acknowledged but stored once; the latest position
    only moves forward in time; alarm warnings are raised on rising edges of configured alarms inside
    a jurisdiction, at most once per vehicle and code within the dedup window; an open warning follows
    its truck into the next jurisdiction.
    """
    fixes, rejected = validate(items, max_batch)
    result = BatchResult(rejected=rejected)
    if not fixes:
        return result
    received = now()
    fixes.sort(key=lambda f: (f["plate"], f["plate_color"], f["at"]))
    lon = np.fromiter((f["lon"] for f in fixes), dtype=np.float64, count=len(fixes))
    lat = np.fromiter((f["lat"] for f in fixes), dtype=np.float64, count=len(fixes))
    index = matching.current_index()
    jurisdiction = index.locate(lon, lat, "jurisdiction")
    rows = [{
        "feed_id": feed.id, "plate": f["plate"], "plate_color": f["plate_color"], "at": f["at"],
        "received_at": received, "lon": f["lon"], "lat": f["lat"], "speed_kmh": f["speed_kmh"],
        "heading": f["heading"], "alarm_flags": f["alarm_flags"], "status_flags": f["status_flags"],
        "jurisdiction_id": int(j) if j >= 0 else None,
        "extra": {"adas": f["adas"], "dsm": f["dsm"]} if (f["adas"] or f["dsm"]) else None,
    } for f, j in zip(fixes, jurisdiction, strict=True)]
    new_keys = fix_store.insert_fixes(rows)
    result.accepted, result.duplicates = len(fixes), len(fixes) - len(new_keys)
    fresh = [(f, int(j)) for f, j in zip(fixes, jurisdiction, strict=True)
             if (f["plate"], f["plate_color"], f["at"]) in new_keys]
    previous = fix_store.previous_flags([(f["plate"], f["plate_color"]) for f, _ in fresh])
    _upsert_latest(fresh)
    actor = f"feed:{feed.code}"
    _raise_alarms(fresh, previous, index, policy, actor, result)
    _follow_open_warnings(fresh, index, actor, result)
    audit.append(actor, "fixes.ingested", "feed", feed.id, {
        "accepted": result.accepted, "stored": len(fresh), "duplicates": result.duplicates,
        "rejected": len(rejected), "batch_sha256": fix_store.batch_digest([f for f, _ in fresh]),
        "alarm_warnings": result.warnings, "handovers": result.handovers,
    })
    db.session.commit()
    return result


def _upsert_latest(fresh: list[tuple[dict[str, Any], int]]) -> None:
    """Latest fix per vehicle in this batch, handed to the store (which keeps the newest)."""
    latest: dict[Vehicle, dict[str, Any]] = {}
    for f, j in fresh:  # fixes are sorted by vehicle and time, so the last one wins
        latest[(f["plate"], f["plate_color"])] = {
            "plate": f["plate"], "plate_color": f["plate_color"], "at": f["at"], "lon": f["lon"], "lat": f["lat"],
            "speed_kmh": f["speed_kmh"], "heading": f["heading"], "alarm_flags": f["alarm_flags"],
            "status_flags": f["status_flags"], "jurisdiction_id": j if j >= 0 else None}
    fix_store.upsert_latest(list(latest.values()))
    positions.publish_target_positions(list(latest.values()))


def _raise_alarms(fresh: list[tuple[dict[str, Any], int]], previous: dict[Vehicle, int], index: Any,
                  policy: alarms.AlarmPolicy, actor: str, result: BatchResult) -> None:
    """Record every new alarm event; raise a warning for configured codes inside a jurisdiction."""
    events: list[tuple[dict[str, Any], int, alarms.AlarmEvent]] = []
    prev = dict(previous)
    for f, j in fresh:
        vehicle = (f["plate"], f["plate_color"])
        if f["alarm_flags"] or f["adas"] or f["dsm"]:
            for event in alarms.classify(f["alarm_flags"], prev.get(vehicle), f["adas"], f["dsm"]):
                events.append((f, j, event))
        prev[vehicle] = f["alarm_flags"]
    if not events:
        return
    since = min(f["at"] for f, _, _ in events) - timedelta(seconds=policy.dedup_window_s)
    last_raised = _last_alarm_warnings({(f["plate"], f["plate_color"]) for f, _, _ in events}, since)
    for f, j, event in events:
        vehicle = (f["plate"], f["plate_color"])
        alarm = Alarm(plate=f["plate"], plate_color=f["plate_color"], code=event.code, source=event.source,
                      level=event.level, identifier=event.identifier, at=f["at"], lon=f["lon"], lat=f["lat"],
                      jurisdiction_id=j if j >= 0 else None)
        db.session.add(alarm)
        key = (*vehicle, event.code)
        if j < 0 or not alarms.should_raise(policy, event.code, last_raised.get(key), f["at"]):
            continue
        db.session.flush()
        fence = index.get(j)
        warning_id = raise_warning(
            kind="alarm", trigger=event.code, plate=f["plate"], plate_color=f["plate_color"],
            title=f"{f['plate']} {alarms.label(event.code)}", lon=f["lon"], lat=f["lat"], jurisdiction_id=j,
            team_id=fence.team_id if fence else None, actor=actor, alarm_id=alarm.id,
            details={"code": event.code, "source": event.source, "level": event.level,
                     "at": f["at"].isoformat(), "speed_kmh": f["speed_kmh"], "heading": f["heading"]},
        )
        alarm.warning_id = warning_id
        last_raised[key] = f["at"]
        result.warnings.append(warning_id)


def _last_alarm_warnings(vehicles: set[Vehicle], since: datetime) -> dict[tuple[str, int, str], datetime]:
    """When each vehicle last had an alarm warning per code since the start of the dedup window."""
    rows = db.session.execute(
        select(WarningRecord.plate, WarningRecord.plate_color, WarningRecord.trigger,
               func.max(Alarm.at))
        .join(Alarm, Alarm.id == WarningRecord.alarm_id)
        .where(WarningRecord.kind == "alarm", WarningRecord.plate.in_(sorted({p for p, _ in vehicles})),
               Alarm.at >= since)
        .group_by(WarningRecord.plate, WarningRecord.plate_color, WarningRecord.trigger)
    ).all()
    return {(p, c, code): at for p, c, code, at in rows if (p, c) in vehicles}


def _follow_open_warnings(fresh: list[tuple[dict[str, Any], int]], index: Any, actor: str,
                          result: BatchResult) -> None:
    """Hand each open warning over when its truck's latest fix lies in another jurisdiction."""
    last_inside: dict[Vehicle, tuple[dict[str, Any], int]] = {}
    for f, j in fresh:
        if j >= 0:
            last_inside[(f["plate"], f["plate_color"])] = (f, j)
    if not last_inside:
        return
    by_vehicle: dict[Vehicle, list[WarningRecord]] = defaultdict(list)
    for warning in open_warnings_for([p for p, _ in last_inside]):
        by_vehicle[(warning.plate, warning.plate_color)].append(warning)
    for vehicle, warnings in by_vehicle.items():
        if vehicle not in last_inside:
            continue
        f, j = last_inside[vehicle]
        for warning in warnings:
            if hand_over(warning, index, j, at=f["at"], lon=f["lon"], lat=f["lat"], actor=actor):
                result.handovers.append(warning.id)

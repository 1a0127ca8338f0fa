"""Drains the event outbox into Socket.IO rooms: at least once, in cursor order, after the commit."""

from __future__ import annotations

import logging
import threading
from typing import Any

from flask import Flask
from sqlalchemy import event as sa_event
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from backend.clock import now
from backend.extensions import db, socketio
from backend.models import Event
from backend.realtime.live import COMMAND_ROOM, NAMESPACE, team_room
from backend.services import escalation, push, wal
from backend.services.events import PUBLISHED, as_message

log = logging.getLogger(__name__)
BATCH = 200


class Notifier:
    """A background thread; a commit that published events wakes it, otherwise it polls every interval.

    Each round first sweeps escalations (tasks not accepted in time), then drains the outbox.

    Rows are claimed with FOR UPDATE SKIP LOCKED (PostgreSQL), so several processes can drain one outbox;
    an event is marked sent only after it was emitted, so a crash in between re-sends it (clients
    de-duplicate by cursor) and nothing committed is ever lost.
    """

    def __init__(self, app: Flask, interval_s: float = 0.5) -> None:
        self.app, self.interval_s = app, interval_s
        self._wake, self._stop, self._push_wake = threading.Event(), threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._run, name="zhichao-notifier", daemon=True)
        # Web Push has its own thread: a push service that hangs must not hold up live events.
        self._pusher = threading.Thread(target=self._push_loop, name="zhichao-pusher", daemon=True)

    def start(self) -> Notifier:
        """Start draining; wakes on commits that published events."""
        sa_event.listen(Session, "after_commit", self._after_commit)
        self._thread.start()
        self._pusher.start()
        return self

    def stop(self) -> None:
        """Stop the thread (tests)."""
        sa_event.remove(Session, "after_commit", self._after_commit)
        self._stop.set()
        self._wake.set()
        self._push_wake.set()
        self._thread.join(5)
        self._pusher.join(10)

    def _after_commit(self, session: Session) -> None:
        if session.info.pop(PUBLISHED, False):
            self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval_s)
            self._wake.clear()
            try:
                with self.app.app_context():
                    escalation.sweep(self.app.config["ZHICHAO"].accept_within_s)
                    while self.drain() == BATCH:
                        pass
            except Exception:  # keep draining after a database hiccup; the rows stay unsent
                log.exception("notifier: drain failed")

    def _push_loop(self) -> None:
        while not self._stop.is_set():
            self._push_wake.wait(1.0)
            self._push_wake.clear()
            try:
                with self.app.app_context():
                    while push.send_due() and not self._stop.is_set():
                        pass
            except Exception:  # the rows stay pending and are retried
                log.exception("pusher: send failed")

    def drain(self) -> int:
        """Emit and mark one batch of unsent events; returns how many."""
        # Rows committed asynchronously may not be on disk yet: never announce those.
        rows = wal.read_durably(
            select(Event.id, Event.kind, Event.team_id, Event.payload, Event.created_at)
            .where(Event.sent_at.is_(None)).order_by(Event.id).limit(BATCH)
            .with_for_update(skip_locked=True), keep_transaction=True)
        for row in rows:
            message = as_message(row.id, row.kind, row.payload, row.created_at)
            rooms: list[str] = [COMMAND_ROOM] + ([team_room(row.team_id)] if row.team_id is not None else [])
            socketio.emit(row.kind, message, to=rooms, namespace=NAMESPACE)
            if push.enqueue_for_event(row.id, row.kind, row.team_id, row.payload):
                self._push_wake.set()
        if rows:
            db.session.execute(update(Event).where(Event.id.in_([r.id for r in rows])).values(sent_at=now()))
        db.session.commit()
        return len(rows)


def start_notifier(app: Flask, **kwargs: Any) -> Notifier:
    """Start the notifier for this process (wsgi.py and the realtime tests)."""
    return Notifier(app, **kwargs).start()

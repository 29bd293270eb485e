"""``projektfabrik worker``: sends the outbox as soon as mail is queued.

A long-running process (``deploy/projektfabrik-worker.service``; ``dev.py demo``
starts one too). On PostgreSQL it waits on ``LISTEN projektfabrik_outbox``: the
web request's transaction sends a NOTIFY that arrives when it commits, so mail
goes out within moments and never from a web worker. On SQLite it looks every
``WORKER_POLL_SECONDS`` (default 2). Either way it also wakes when a failed
message is due again, and once an hour deletes mail older than
``MAIL_RETENTION_DAYS``.

Several workers (one per app machine) are safe on PostgreSQL: each message is
claimed with ``FOR UPDATE SKIP LOCKED`` (:func:`~projektfabrik.mail.outbox.deliver_due`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.mail.models import OutboxMessage
from projektfabrik.mail.outbox import CHANNEL, MAX_ATTEMPTS, deliver_due, purge_old
from projektfabrik.tenancy.context import tenant_context
from projektfabrik.tenancy.isolation import ALL_TENANTS

log = logging.getLogger(__name__)

BATCH = 100
PURGE_EVERY = 3600.0
#: On PostgreSQL a NOTIFY wakes the worker; this is only the safety net.
POSTGRES_POLL = 30.0
#: How often a waiting worker checks whether it was asked to stop.
STOP_CHECK = 1.0
#: After losing the database, how long to wait before connecting again.
RECONNECT_PAUSE = 1.0


class Worker:
    def __init__(self, app: Flask, poll: float | None = None) -> None:
        self.app = app
        self.stop = threading.Event()
        self.poll = poll if poll is not None else app.config["WORKER_POLL_SECONDS"]
        self._last_purge = 0.0
        #: "listen" (PostgreSQL NOTIFY) or "poll" (SQLite), set when run() starts.
        self._listener_kind = "poll"

    def run(self, once: bool = False) -> None:
        while not self.stop.is_set():
            try:
                with self._listener() as listener:
                    while not self.stop.is_set():
                        more = self.round()
                        if once:
                            return
                        if not more:
                            self._wait(listener, self._pause())
            except Exception:  # noqa: BLE001 - the database restarted or failed over
                if once:
                    raise
                # The LISTEN connection (or the query for the next due time) died
                # with the database; without this the worker would end and mail
                # wait for systemd's restart. docs/operations.md, "What happens
                # when a part fails".
                log.warning("mail worker lost its database; connecting again", exc_info=True)
                with self.app.app_context():
                    db.session.remove()
                self.stop.wait(RECONNECT_PAUSE)

    def round(self) -> bool:
        """Send what is due; purge when it is time. Whether a full batch went out
        (then there may be more, and the next round starts at once)."""
        with self.app.app_context():
            try:
                with tenant_context(None):
                    sent, failed = deliver_due(BATCH)
                    if time.monotonic() - self._last_purge >= PURGE_EVERY:
                        purged = purge_old(self.app.config["MAIL_RETENTION_DAYS"])
                        db.session.commit()
                        self._last_purge = time.monotonic()
                        if purged:
                            log.info("deleted %d mail(s) past their retention", purged)
                if sent or failed:
                    log.info("mail: %d sent, %d failed (kept for retry)", sent, failed)
                self._other_tasks()
                return sent + failed >= BATCH and not failed
            except Exception:  # noqa: BLE001 - the worker outlives any one failure
                log.exception("mail round failed; trying again")
                db.session.rollback()
                return False
            finally:
                db.session.remove()

    def _other_tasks(self) -> None:
        """What other areas retry here (e.g. regions' pending town messages), each
        isolated: one failing task never stops the mail."""
        for task in self.app.extensions.get("projektfabrik_worker_tasks", []):
            try:
                with tenant_context(None):
                    task(self.app)
            except Exception:  # noqa: BLE001 - the worker outlives any one failure
                log.exception("worker task %s failed; trying again", task)
                db.session.rollback()

    def _pause(self) -> float:
        """Until the next retry is due, at most the poll interval."""
        with self.app.app_context():
            try:
                with tenant_context(None):
                    nearest: datetime | None = db.session.scalar(
                        select(func.min(OutboxMessage.next_attempt_at))
                        .where(
                            OutboxMessage.sent_at.is_(None),
                            OutboxMessage.attempts < MAX_ATTEMPTS,
                        )
                        .execution_options(**ALL_TENANTS)
                    )
            finally:
                db.session.remove()
        limit = self.poll if self._listener_kind == "poll" else max(self.poll, POSTGRES_POLL)
        if nearest is None:
            return limit
        if nearest.tzinfo is None:  # SQLite hands back naive UTC
            nearest = nearest.replace(tzinfo=utcnow().tzinfo)
        return max(0.0, min(limit, (nearest - utcnow()).total_seconds()))

    @contextmanager
    def _listener(self) -> Iterator[Any]:
        url = make_url(self.app.config["SQLALCHEMY_DATABASE_URI"])
        if url.get_backend_name() != "postgresql":
            self._listener_kind = "poll"
            yield None
            return
        import psycopg

        # The engine's own connect arguments: several hosts (?host=a:5432&host=b:5432)
        # and target_session_attrs reach libpq as the web workers' connections do.
        with self.app.app_context():
            _args, params = db.engine.dialect.create_connect_args(db.engine.url)
        params.pop("context", None)
        with psycopg.connect(autocommit=True, **params) as connection:
            connection.execute(f"LISTEN {CHANNEL}")
            self._listener_kind = "listen"
            yield connection

    def _wait(self, listener: Any, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.stop.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return
            step = min(left, STOP_CHECK)
            if listener is None:
                self.stop.wait(step)
                continue
            if any(True for _n in listener.notifies(timeout=step, stop_after=1)):
                return  # mail was queued: send it now

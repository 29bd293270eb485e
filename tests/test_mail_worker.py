"""Mail off the request path: with MAIL_DELIVERY = "worker" (the production default)
no web request opens an SMTP connection; ``projektfabrik worker`` sends the outbox
over one connection per batch, loses nothing while the SMTP server hangs, and
sends every message once when it is back."""

from __future__ import annotations

import smtplib
import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update

from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.mail.models import OutboxMessage
from projektfabrik.mail.worker import Worker
from projektfabrik.tenancy.context import tenant_context
from projektfabrik.tenancy.isolation import ALL_TENANTS
from projektfabrik.testing import Mailbox, Town


class HangingSMTP:
    """Accepts connections and never says a word (an overloaded or broken relay)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.held: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            self.held.append(conn)

    def close(self) -> None:
        self.sock.close()
        for conn in self.held:
            conn.close()


@pytest.fixture
def hanging() -> Iterator[HangingSMTP]:
    server = HangingSMTP()
    yield server
    server.close()


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "MAIL_DELIVERY": "worker", "SMTP_TIMEOUT": 0.5}


def _rows() -> list[OutboxMessage]:
    with tenant_context(None):
        rows = db.session.scalars(
            select(OutboxMessage).order_by(OutboxMessage.id).execution_options(**ALL_TENANTS)
        ).all()
        db.session.rollback()
        return list(rows)


def _all_due() -> None:
    with tenant_context(None):
        db.session.execute(
            update(OutboxMessage)
            .values(next_attempt_at=utcnow() - timedelta(seconds=1))
            .execution_options(**ALL_TENANTS)
        )
        db.session.commit()


def test_requests_never_wait_for_smtp_and_nothing_is_lost_or_sent_twice(
    app: Flask, town_a: Town, hanging: HangingSMTP, mailbox: Mailbox, smtp_server: Any
) -> None:
    people = [f"p{i}@example.org" for i in range(3)]
    for email in people:
        town_a.user(email)
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{hanging.port}"
    client = town_a.client()
    for email in people:
        response = client.post("/passwort-vergessen", data={"email": email})
        assert response.status_code == 302
    # The web requests queued the mail and never connected to the SMTP server.
    assert hanging.connections == 0
    assert [r.recipient for r in _rows()] == people and not any(r.sent_at for r in _rows())

    # The worker tries: the relay hangs, the batch stops after the first timeout.
    worker = Worker(app, poll=0.1)
    worker.round()
    assert hanging.connections == 1
    rows = _rows()
    assert [r.attempts for r in rows] == [1, 0, 0] and not any(r.sent_at for r in rows)

    # The relay is back: every message goes out once, over one connection.
    app.config["SMTP_URL"] = smtp_server[0]
    _all_due()
    opened = []
    original = smtplib.SMTP.__init__

    def counting(self: smtplib.SMTP, *args: Any, **kwargs: Any) -> None:
        opened.append(args)
        original(self, *args, **kwargs)

    smtplib.SMTP.__init__ = counting  # type: ignore[method-assign]
    try:
        worker.round()
        worker.round()  # nothing left: nothing sent again
    finally:
        smtplib.SMTP.__init__ = original  # type: ignore[method-assign]
    assert len(opened) == 1
    assert all(r.sent_at for r in _rows())
    assert sorted(m["To"] for m in mailbox.messages) == people


def test_a_waiting_worker_is_woken_by_the_commit(
    app: Flask, town_a: Town, mailbox: Mailbox
) -> None:
    """PostgreSQL: LISTEN/NOTIFY. The worker polls only every minute here, so only
    the notification can make the mail arrive while the test waits."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no NOTIFY; the worker polls there (tested above)")
    town_a.user("wake@example.org")
    worker = Worker(app, poll=60)
    worker._last_purge = float("inf")  # no purge round in the way
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    try:
        assert mailbox.messages == []
        town_a.client().post("/passwort-vergessen", data={"email": "wake@example.org"})
        received = mailbox.wait_for("wake@example.org", timeout=20)
        assert received is not None
    finally:
        worker.stop.set()
        thread.join(timeout=10)

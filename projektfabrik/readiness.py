"""What ``/readyz`` checks before a load balancer sends people to this app.

``/healthz`` says the process lives; ``/readyz`` says it can serve: the
database answers, its schema is at the revisions the installed code (core and
plugins) expects, Redis answers when one is configured, the file storage (a
folder or an S3 bucket, projektfabrik/storage) answers, and the mail outbox
is not stuck (the oldest message due to go out waits less than
``READY_MAIL_BACKLOG_MINUTES``). Each problem is one short English phrase for
the operator; nothing about a town or a person.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select, text

from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.mail.models import OutboxMessage
from projektfabrik.mail.outbox import MAX_ATTEMPTS
from projektfabrik.tenancy.context import tenant_context
from projektfabrik.tenancy.isolation import ALL_TENANTS


def check() -> list[str]:
    problems: list[str] = []
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - whatever it is, the database is not usable
        db.session.rollback()
        return ["database unavailable"]
    problems += _schema()
    problems += _redis()
    problems += _storage()
    if not problems:  # the outbox's table may not even exist while the schema is behind
        problems += _mail()
    db.session.rollback()
    return problems


def schema_behind() -> list[str]:
    """The revisions the installed code expects and the database is not at (empty:
    the schema fits). A database ahead of the code (a newer release's revisions)
    counts too: this code may not know its columns."""
    from projektfabrik.migrations import runner
    from projektfabrik.tenancy.archive import schema_revisions

    here = set(schema_revisions(db.session.connection()))
    expected = set(runner.code_heads())
    return sorted(expected ^ here)


def _schema() -> list[str]:
    from projektfabrik.migrations import runner
    from projektfabrik.tenancy.archive import schema_revisions

    here = set(schema_revisions(db.session.connection()))
    expected = set(runner.code_heads())
    if here != expected:
        return [
            f"schema not at the code's revisions (run: projektfabrik db upgrade); missing {sorted(expected - here)}"
        ]
    return []


def _redis() -> list[str]:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return []
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001 - any failure: not reachable
        return ["redis unavailable"]
    return []


def _storage() -> list[str]:
    """Ask the storage for a file that is not there: a folder answers at once, a
    bucket with a HEAD request; a dead endpoint or a folder that is gone fails."""
    from projektfabrik.storage import StorageUnavailable, storage

    try:
        storage().get("readyz/probe")
    except StorageUnavailable:
        return ["file storage unavailable"]
    return []


def _mail() -> list[str]:
    limit = timedelta(minutes=current_app.config["READY_MAIL_BACKLOG_MINUTES"])
    with tenant_context(None):
        oldest = db.session.scalar(
            select(func.min(OutboxMessage.next_attempt_at))
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
            .execution_options(**ALL_TENANTS)
        )
    if oldest is None:
        return []
    if oldest.tzinfo is None:  # SQLite
        oldest = oldest.replace(tzinfo=utcnow().tzinfo)
    waiting = utcnow() - oldest
    if waiting > limit:
        minutes = int(waiting.total_seconds() // 60)
        return [
            f"mail waits: the oldest due message has waited {minutes} minutes (is the worker running?)"
        ]
    return []

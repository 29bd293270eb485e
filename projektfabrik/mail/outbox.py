"""Queue mail with the data change that causes it; deliver after the commit.

``queue_mail`` only adds a row to the session, so a request that fails rolls
the mail back with everything else, and a request that succeeds cannot lose
its mail: when SMTP is down the row stays and ``deliver_due`` tries again with
a growing pause.

Who sends (``MAIL_DELIVERY``): ``"worker"`` (the default) leaves it to
``projektfabrik worker`` (:mod:`projektfabrik.mail.worker`), woken by a
PostgreSQL NOTIFY when the transaction commits, so no web request ever waits
for an SMTP server; ``"after_response"`` sends from the web worker once the
answer has gone out (the tests use it, to read mail right after a request).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Callable
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from typing import Any

from flask import current_app, g, has_app_context
from sqlalchemy import and_, delete, or_, select, text
from werkzeug.wrappers import Response

from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.mail.models import OutboxMessage
from projektfabrik.mail.transport import CONNECTION_ERRORS, transport_from_config
from projektfabrik.tenancy.context import tenant_context
from projektfabrik.tenancy.isolation import ALL_TENANTS
from projektfabrik.tenancy.models import Tenant

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
#: The PostgreSQL NOTIFY channel a waiting worker listens on.
CHANNEL = "projektfabrik_outbox"


#: Headers a caller may set on a queued mail; the outbox sets From, To, Subject itself.
EXTRA_HEADERS = frozenset(
    {"Reply-To", "List-Unsubscribe", "List-Unsubscribe-Post", "Auto-Submitted", "List-Id"}
)


def queue_mail(
    recipient: str, subject: str, body_text: str, headers: dict[str, str] | None = None
) -> OutboxMessage:
    """Add a mail for the current town to the session; it is sent after commit.

    ``headers``: extra headers from :data:`EXTRA_HEADERS` (e.g. an unsubscribe link).
    """
    unknown = set(headers or {}) - EXTRA_HEADERS
    if unknown:
        raise ValueError(f"headers the outbox does not set: {sorted(unknown)}")
    message = OutboxMessage(
        recipient=recipient, subject=subject, body_text=body_text, headers=headers or None
    )
    db.session.add(message)
    g.setdefault("mail_queued", True)
    if has_app_context() and current_app.config["MAIL_DELIVERY"] == "worker":
        wake_the_worker()
    return message


def sender_address(tenant: Tenant) -> str:
    address = current_app.config.get("MAIL_FROM") or f"noreply@{tenant.canonical_host}"
    return formataddr((tenant.sender_name, address))


#: Headers whose value is a ``<URL>`` a program reads: sent exactly as given. The
#: email package folds a long header without spaces into RFC 2047 encoded words
#: (``=?utf-8?q?=3Chttp...``), and mail providers then find no one-click link.
VERBATIM_HEADERS = frozenset({"List-Unsubscribe", "List-Unsubscribe-Post", "List-Id"})

#: Headers set with ``set_raw`` are written as they are (``refold_source="none"``);
#: all others are folded and encoded as usual. A URL stays far below the 998
#: characters a line of mail may have.
MAIL_POLICY = policy.default.clone(refold_source="none")


def message_id(row: OutboxMessage, tenant: Tenant) -> str:
    """``<hash@town host>``, the same on every attempt, so a receiver that got a
    message whose delivery was then retried can tell it is the same one. Keyed
    with the secret, so it tells nobody how many mails the deployment sent."""
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    digest = hashlib.blake2b(f"{tenant.id}:{row.id}".encode(), key=key[:64], digest_size=16)
    return f"<{digest.hexdigest()}@{tenant.canonical_host}>"


def build_email(row: OutboxMessage, tenant: Tenant) -> EmailMessage:
    message = EmailMessage(policy=MAIL_POLICY)
    message["From"] = sender_address(tenant)
    message["To"] = row.recipient
    message["Subject"] = row.subject
    # When the mail was written (queued), not when a retry finally got it out.
    message["Date"] = format_datetime(row.created_at or utcnow())
    message["Message-ID"] = message_id(row, tenant)
    for name, value in sorted((row.headers or {}).items()):
        if name in VERBATIM_HEADERS:
            message.set_raw(name, value)
        elif name in EXTRA_HEADERS:
            message[name] = value
    message.set_content(row.body_text)
    return message


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2**attempts, 24 * 60))


def deliver_due(limit: int = 100) -> tuple[int, int]:
    """Send due mail of every town over one connection; return (sent, failed).

    Each message is sent under its own town's context, so nothing about one
    town's mail can be read or changed while handling another's. When the
    connection itself fails, the batch stops: the rest stays due for the next
    round instead of each waiting for the same timeout.
    """
    now = utcnow()
    due = db.session.execute(
        select(OutboxMessage.id, OutboxMessage.tenant_id)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.attempts < MAX_ATTEMPTS,
            OutboxMessage.next_attempt_at <= now,
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
        .execution_options(**ALL_TENANTS)
    ).all()
    if not due:
        db.session.rollback()
        return 0, 0
    transport = transport_from_config(
        current_app.config["SMTP_URL"], current_app.config["SMTP_TIMEOUT"]
    )
    sent = failed = 0
    with contextlib.ExitStack() as connection:
        send: Callable[[EmailMessage], Any] | None = None
        for message_id, tenant_id in due:
            tenant = db.session.get(Tenant, tenant_id)
            if tenant is None:  # the town was deleted since the query: its mail goes with it
                continue
            broken = False
            with tenant_context(tenant):
                # Claim the row: on PostgreSQL another worker or the timer skips a
                # message being sent right now instead of sending it a second time.
                row = db.session.scalar(
                    select(OutboxMessage)
                    .where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None))
                    .with_for_update(skip_locked=True)
                    .execution_options(populate_existing=True)
                )
                if row is None:
                    db.session.commit()
                    continue
                try:
                    if send is None:
                        send = connection.enter_context(transport.batch())
                    send(build_email(row, tenant))
                except Exception as exc:  # noqa: BLE001 - any failure means: try again later
                    row.attempts += 1
                    row.last_error = f"{type(exc).__name__}: {exc}"[:1000]
                    row.next_attempt_at = utcnow() + _backoff(row.attempts)
                    failed += 1
                    broken = isinstance(exc, CONNECTION_ERRORS)
                    log.warning("mail %s to town %s not sent: %s", row.id, tenant.slug, exc)
                else:
                    row.attempts += 1
                    row.sent_at = utcnow()
                    row.last_error = ""
                    sent += 1
                db.session.commit()
            if broken:
                # Closing a broken connection may fail too; the rows are safe already.
                connection.pop_all()
                break
    return sent, failed


def wake_the_worker() -> None:
    """Tell a waiting ``projektfabrik worker`` that mail was queued (PostgreSQL:
    a NOTIFY, delivered when this transaction commits; SQLite: it polls)."""
    if g.get("outbox_notified") or db.session.get_bind().dialect.name != "postgresql":
        return
    db.session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})
    g.outbox_notified = True


def purge_old(days: int) -> int:
    """Delete mail sent, or given up, more than ``days`` days ago, in every town.

    Whole rows go: recipient, subject and body are personal data and are no
    longer needed once the message is out. Returns how many were deleted.
    """
    cutoff = utcnow() - timedelta(days=days)
    done = or_(
        OutboxMessage.sent_at < cutoff,
        and_(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.attempts >= MAX_ATTEMPTS,
            OutboxMessage.next_attempt_at < cutoff,
        ),
    )
    result = db.session.execute(delete(OutboxMessage).where(done).execution_options(**ALL_TENANTS))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def deliver_after_response(response: Response) -> Response:
    """After-request hook: send the mail this request queued once the response
    has gone out (``call_on_close``), so no answer waits for SMTP and the time
    an answer takes does not tell whether a mail was sent (an account exists).

    Only with ``MAIL_DELIVERY = "after_response"`` (the tests'); in production
    (``"worker"``) ``projektfabrik worker`` sends it, and no web worker ever
    waits for an SMTP server."""
    if not g.pop("mail_queued", False) or current_app.config["MAIL_DELIVERY"] != "after_response":
        return response
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def deliver() -> None:
        with app.app_context():
            try:
                with tenant_context(None):
                    deliver_due()
            except Exception:  # noqa: BLE001 - the outbox keeps it; the timer retries
                log.exception("immediate mail delivery failed; left in the outbox")
                db.session.rollback()
            finally:
                db.session.remove()

    response.call_on_close(deliver)
    return response


def deliver_after_request(exc: BaseException | None) -> None:
    """Teardown hook, for contexts that built no response (CLI and test request
    contexts): try the mail they queued right away. A request's response has
    taken the mail over in :func:`deliver_after_response` already."""
    if exc is not None or not g.pop("mail_queued", False):
        return
    if current_app.config["MAIL_DELIVERY"] != "after_response":
        return
    try:
        with tenant_context(None):
            deliver_due()
    except Exception:  # noqa: BLE001 - the outbox keeps it; the timer retries
        log.exception("immediate mail delivery failed; left in the outbox")
        db.session.rollback()

"""Notify people: a row for the bell, and a mail through the outbox.

Texts are rendered in each recipient's language when the notification is
made, so the bell and the mail read the same later. Per-kind preferences
(immediately / daily digest / off) are not built yet: every notification is
mailed right away.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import func, select, update

from projektfabrik.accounts.models import User
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.mail.outbox import queue_mail
from projektfabrik.notifications.models import Notification
from projektfabrik.tenancy.context import current_tenant
from projektfabrik.tenancy.links import public_url


def notify(
    recipients: Iterable[User],
    kind: str,
    text: Callable[[], str],
    link: str,
    exclude: User | None = None,
) -> int:
    """Notify each active recipient once; ``text`` is called in their language."""
    tenant = current_tenant()
    seen: set[int] = set()
    for user in recipients:
        if user.id in seen or not user.is_active or (exclude is not None and user.id == exclude.id):
            continue
        seen.add(user.id)
        with force_locale(user.locale or tenant.default_locale):
            message = text()
            body = render_template(
                "mail/notification.txt",
                user=user,
                tenant=tenant,
                text=message,
                url=public_url(tenant, link),
            )
        db.session.add(Notification(user_id=user.id, kind=kind, text=message, link=link))
        subject, _sep, rest = body.partition("\n\n")
        queue_mail(user.email, subject.strip(), rest.strip() + "\n")
    return len(seen)


def unread_count(user: User) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        )
        or 0
    )


def recent(user: User, limit: int = 50) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def mark_all_read(user: User) -> None:
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )

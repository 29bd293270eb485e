"""The daily digest: one mail per person and day with every pending "daily" notification.

Runs for the town in context (``projektfabrik mail digest`` loops over the
towns, each in its own ``tenant_context``), so one town's digest can never
read another town's notifications. Idempotent per day: a row in
``notification_digest`` (unique per person and day, in the town's time zone)
is written with the mail, so running the command again the same day sends
nothing twice; what arrives later waits for the next day.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from zoneinfo import ZoneInfo

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from projektfabrik.accounts.models import User
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.mail.outbox import queue_mail
from projektfabrik.notifications.kinds import DIGEST, find, is_plugin_kind
from projektfabrik.notifications.models import (
    Delivery,
    DigestSent,
    Notification,
    NotificationPreference,
)
from projektfabrik.notifications.services import locale_of, path_for, unsubscribe_headers
from projektfabrik.tenancy.context import current_tenant
from projektfabrik.tenancy.links import public_url


def today_in_town() -> date:
    tenant = current_tenant()
    return utcnow().astimezone(ZoneInfo(tenant.timezone or "Europe/Berlin")).date()


def send_digests(day: date | None = None) -> int:
    """Queue the current town's digests for ``day`` (default: today there); return how many.

    The caller commits. Notifications whose kind the person has switched off
    since, or whose plugin the town has switched off since, are dropped from
    the digest (and never mailed).
    """
    day = day or today_in_town()
    pending = list(
        db.session.scalars(
            select(Notification)
            .where(Notification.delivery == Delivery.DAILY, Notification.mailed_at.is_(None))
            .order_by(Notification.user_id, Notification.created_at, Notification.id)
        )
    )
    if not pending:
        return 0
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for row in pending:
        by_user[row.user_id].append(row)
    ids = list(by_user)
    done = set(
        db.session.scalars(
            select(DigestSent.user_id).where(DigestSent.day == day, DigestSent.user_id.in_(ids))
        )
    )
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
    switched_off = set(
        db.session.execute(
            select(NotificationPreference.user_id, NotificationPreference.kind).where(
                NotificationPreference.user_id.in_(ids),
                NotificationPreference.delivery == Delivery.OFF,
            )
        ).all()
    )
    tenant = current_tenant()
    now = utcnow()
    sent = 0
    for user_id, rows in by_user.items():
        if user_id in done:
            continue  # today's digest went out already; these wait for tomorrow
        user = people.get(user_id)
        keep = [
            r
            for r in rows
            if (user_id, r.kind) not in switched_off
            and (not is_plugin_kind(r.kind) or find(r.kind) is not None)
        ]
        for row in rows:
            if row not in keep:
                row.delivery = Delivery.OFF  # switched off since: never mailed
        if user is None or not user.is_active or not keep:
            for row in keep:
                row.delivery = Delivery.OFF
            continue
        savepoint = db.session.begin_nested()
        try:
            # Claim the day first: a second run at the same moment fails here.
            db.session.add(DigestSent(user_id=user_id, day=day, count=len(keep)))
            db.session.flush()
        except IntegrityError:
            savepoint.rollback()
            continue
        savepoint.commit()
        with force_locale(locale_of(user)):
            unsubscribe_url, headers = unsubscribe_headers(user, DIGEST)
            body = render_template(
                "mail/digest.txt",
                user=user,
                tenant=tenant,
                items=[(row, public_url(tenant, row.link or "/")) for row in keep],
                unsubscribe_url=unsubscribe_url,
                settings_url=public_url(tenant, path_for("notifications.settings")),
                bell_url=public_url(tenant, path_for("notifications.index")),
            )
        subject, _sep, rest = body.partition("\n\n")
        queue_mail(user.email, subject.strip(), rest.strip() + "\n", headers=headers)
        for row in keep:
            row.mailed_at = now
        sent += 1
    return sent


def send_all_digests(slugs: list[str] | None = None) -> dict[str, int]:
    """Run :func:`send_digests` for each town (or those named), each in its own
    ``tenant_context`` and transaction; return digests queued per town slug."""
    from flask import current_app

    from projektfabrik.tenancy.context import tenant_context
    from projektfabrik.tenancy.links import public_url
    from projektfabrik.tenancy.models import Tenant

    query = select(Tenant).order_by(Tenant.slug)
    if slugs:
        query = query.where(Tenant.slug.in_(slugs))
    result: dict[str, int] = {}
    for town in db.session.scalars(query).all():
        # A request context on the town's host, so templates render as in a request.
        with tenant_context(town), current_app.test_request_context(base_url=public_url(town, "/")):
            try:
                result[town.slug] = send_digests()
                db.session.commit()
            except Exception:
                db.session.rollback()
                raise
    return result

"""Notify people: a row for the bell, and mail as each person chose per kind.

Texts are rendered in each recipient's language when the notification is
made, so the bell and the mail read the same later. Each person chooses per
kind (see :mod:`projektfabrik.notifications.kinds`) how mail reaches them:

* immediately: the mail is queued in the outbox now;
* daily: only the bell row is made now; ``projektfabrik mail digest`` collects
  it into one mail a day (:mod:`projektfabrik.notifications.digest`);
* off: no mail. The bell always shows everything.

Every mail carries a one-click unsubscribe link (in the text and in the
``List-Unsubscribe`` headers of RFC 2369 / RFC 8058).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import func, select, update

from projektfabrik.accounts.models import User
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.mail.outbox import queue_mail
from projektfabrik.notifications import counting
from projektfabrik.notifications.kinds import DIGEST, default_for, find, is_plugin_kind, kinds_for
from projektfabrik.notifications.models import Delivery, Notification, NotificationPreference
from projektfabrik.notifications.tokens import make_unsubscribe_token
from projektfabrik.tenancy.context import current_tenant
from projektfabrik.tenancy.links import public_url
from projektfabrik.throttle import Throttle
from projektfabrik.workercache import person_value


def path_for(endpoint: str, **values: object) -> str:
    """A path of the site, also outside a request (CLI, mail handling)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def unsubscribe_headers(user: User, kind: str) -> tuple[str, dict[str, str]]:
    """The unsubscribe URL for ``kind`` and the headers that carry it."""
    url = public_url(
        current_tenant(),
        path_for("notifications.unsubscribe", token=make_unsubscribe_token(user, kind)),
    )
    headers = {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    return url, headers


def locale_of(user: User) -> str:
    return user.locale or current_tenant().default_locale or "de"


# --- choices -------------------------------------------------------------------


def deliveries(users: Iterable[User], kind: str) -> dict[int, Delivery]:
    """Each person's choice for ``kind`` (their own, else the default), in one query."""
    people = list(users)
    ids = [u.id for u in people]
    chosen: dict[int, Delivery] = {}
    if ids:
        chosen = dict(
            db.session.execute(
                select(NotificationPreference.user_id, NotificationPreference.delivery).where(
                    NotificationPreference.user_id.in_(ids), NotificationPreference.kind == kind
                )
            ).all()
        )
    default = default_for(kind)
    return {u.id: Delivery(chosen.get(u.id, default)) for u in people}


def preferences(user: User) -> dict[str, Delivery]:
    """Every kind the person can choose about, with their current choice."""
    own = dict(
        db.session.execute(
            select(NotificationPreference.kind, NotificationPreference.delivery).where(
                NotificationPreference.user_id == user.id
            )
        ).all()
    )
    return {k.key: Delivery(own.get(k.key, k.default)) for k in kinds_for(user)}


def set_preference(user: User, kind: str, delivery: Delivery) -> None:
    row = db.session.scalar(
        select(NotificationPreference).where(
            NotificationPreference.user_id == user.id, NotificationPreference.kind == kind
        )
    )
    if row is None:
        db.session.add(NotificationPreference(user_id=user.id, kind=kind, delivery=delivery))
    else:
        row.delivery = delivery


def set_preferences(user: User, choices: Mapping[str, Delivery | str]) -> None:
    known = {k.key for k in kinds_for(user)}
    for kind, delivery in choices.items():
        if kind in known:
            set_preference(user, kind, Delivery(delivery))


def unsubscribe(user: User, kind: str) -> list[str]:
    """Switch mail off for ``kind`` (for ``"digest"``: every kind now sent daily).

    Returns the kinds switched off.
    """
    if kind == DIGEST:
        kinds = [k for k, d in preferences(user).items() if d == Delivery.DAILY]
    else:
        kinds = [kind]
    for key in kinds:
        set_preference(user, key, Delivery.OFF)
    return kinds


# --- notifying ---------------------------------------------------------------------

#: Notification mails one person gets right away; past this, they wait for the
#: daily summary (docs/security.md, "Floods and discovery").
MAILS_PER_PERSON = Throttle("notification-mail", "20 per hour")


def notify(
    recipients: Iterable[User],
    kind: str,
    text: Callable[[], str],
    link: str,
    exclude: User | None = None,
    *,
    details: Callable[[], str] | None = None,
    reply_to: str | Callable[[User], str | None] | None = None,
) -> int:
    """Notify each active recipient once; ``text`` is called in their language.

    ``details`` (also called per language) adds longer text to the mail, e.g.
    the post that was written; ``reply_to`` sets the mail's Reply-To (a function
    of the recipient gives each person their own address).
    Returns how many people were notified (on the bell).

    A plugin's kind (``"<plugin>.<name>"``) is sent only while the current town
    has that plugin switched on and the plugin declares the kind; otherwise
    nobody is notified. People of another town are never notified.
    """
    tenant = current_tenant()
    if is_plugin_kind(kind) and find(kind) is None:
        return 0
    seen: set[int] = set()
    people: list[User] = []
    for user in recipients:
        if user.id in seen or not user.is_active or (exclude is not None and user.id == exclude.id):
            continue
        if user.tenant_id != tenant.id:
            continue  # a person of another town, passed by mistake: never across the wall
        seen.add(user.id)
        people.append(user)
    if not people:
        return 0
    choices = deliveries(people, kind)
    now = utcnow()
    for user in people:
        delivery = choices[user.id]
        if delivery == Delivery.IMMEDIATELY and not MAILS_PER_PERSON.hit(user.ref):
            # Whatever others do, one person's inbox gets a bounded number of
            # mails; the rest still reach them, in the daily summary.
            delivery = Delivery.DAILY
        with force_locale(locale_of(user)):
            message = text()
            note = Notification(
                user_id=user.id, kind=kind, text=message, link=link, delivery=delivery
            )
            if delivery == Delivery.IMMEDIATELY:
                unsubscribe_url, headers = unsubscribe_headers(user, kind)
                address = reply_to(user) if callable(reply_to) else reply_to
                if address:
                    headers["Reply-To"] = address
                body = render_template(
                    "mail/notification.txt",
                    user=user,
                    tenant=tenant,
                    text=message,
                    details=details() if details is not None else "",
                    url=public_url(tenant, link),
                    unsubscribe_url=unsubscribe_url,
                    settings_url=public_url(tenant, path_for("notifications.settings")),
                )
                subject, _sep, rest = body.partition("\n\n")
                queue_mail(user.email, subject.strip(), rest.strip() + "\n", headers=headers)
                note.mailed_at = now
        db.session.add(note)
    return len(people)


# --- the bell ------------------------------------------------------------------------


def unread_count(user: User) -> int:
    """The bell's number. Kept per worker until the person's notifications change
    (notifications/counting.py); a request that changed some itself counts afresh."""
    if counting.has_pending_changes(db.session()):
        return _count_unread(user)
    return person_value(
        "unread-notifications", user.id, user.notifications_version, lambda: _count_unread(user)
    )


def _count_unread(user: User) -> int:
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
        .execution_options(**{counting.NOTICE_USERS: [user.id]})
    )
